package instbench

import (
	"context"
	"testing"
)

// Sinks keep the compiler from discarding the calls.
var (
	sinkBool bool
	sinkInt  int
	sinkErr  error
)

func BenchmarkInactive(b *testing.B) {
	ctx := context.Background()
	b.Run("ctx/noinline", func(b *testing.B) {
		for b.Loop() {
			sinkBool = plainFlagEnabled(ctx, "abc")
		}
	})
	b.Run("ctx/ddt", func(b *testing.B) {
		for b.Loop() {
			sinkBool = FlagEnabled(ctx, "abc")
		}
	})
	b.Run("noctx/noinline", func(b *testing.B) {
		for b.Loop() {
			sinkInt, sinkErr = plainDouble(3)
		}
	})
	b.Run("noctx/ddt", func(b *testing.B) {
		for b.Loop() {
			sinkInt, sinkErr = Double(3)
		}
	})
}
