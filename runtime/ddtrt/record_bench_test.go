package ddtrt_test

import (
	"context"
	"testing"

	ddtrt "github.com/go-ddt/ddt/runtime/ddtrt"
)

type discardSink struct{}

func (discardSink) Record(*ddtrt.Event) {}
func (discardSink) WantStacks() bool    { return false }

// BenchmarkActive is the cost of one recorded call in ddtrt alone: Enter,
// the rendering of two arguments and a result, and Exit, delivered to a
// sink that keeps nothing.
func BenchmarkActive(b *testing.B) {
	_, unbind := ddtrt.Bind(context.Background(), "bench", discardSink{})
	defer unbind()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		flag(ctx, "abc")
	}
}
