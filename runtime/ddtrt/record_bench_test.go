package ddtrt_test

import (
	"context"
	"github.com/go-ddt/ddt/runtime/event"
	"sync"
	"testing"
)

type discardSink struct{}

func (discardSink) Record(*event.Event) {}
func (discardSink) WantStacks() bool    { return false }

// BenchmarkActive is the cost of one recorded call in ddtrt alone: Enter,
// the rendering of two arguments and a result, and Exit, delivered to a
// sink that keeps nothing.
func BenchmarkActive(b *testing.B) {
	_, unbind := event.Bind(context.Background(), "bench", discardSink{})
	defer unbind()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		flag(ctx, "abc")
	}
}

// BenchmarkActiveChildGoroutine is BenchmarkActive on a goroutine the
// bound goroutine started: each call is held until the binding is undone,
// then decided and delivered. Batches of 1,000 calls per binding.
func BenchmarkActiveChildGoroutine(b *testing.B) {
	const batch = 1000
	ctx := context.Background()
	b.ReportAllocs()
	for done := 0; done < b.N; done += batch {
		n := min(batch, b.N-done)
		_, unbind := event.Bind(context.Background(), "bench", discardSink{})
		var wg sync.WaitGroup
		wg.Go(func() {
			for range n {
				flag(ctx, "abc")
			}
		})
		wg.Wait()
		unbind()
	}
}
