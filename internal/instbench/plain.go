package instbench

import "context"

//go:noinline
func plainFlagEnabled(ctx context.Context, name string) bool {
	return len(name)%2 == 0
}

//go:noinline
func plainDouble(n int) (int, error) {
	return n * 2, nil
}
