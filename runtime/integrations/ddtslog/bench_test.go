package ddtslog_test

import (
	"context"
	"github.com/go-ddt/ddt/runtime/event"
	"github.com/go-ddt/ddt/runtime/integrations/ddtslog"
	"io"
	"log/slog"
	"testing"
)

type discard struct{}

func (discard) Record(*event.Event) {}

// BenchmarkLog measures one InfoContext call with three attributes to a
// JSON handler: without ddtslog, through ddtslog while no request is
// recorded, and through ddtslog capturing it for a request.
func BenchmarkLog(b *testing.B) {
	plain := slog.New(slog.NewJSONHandler(io.Discard, nil))
	wrapped := slog.New(ddtslog.NewHandler(slog.NewJSONHandler(io.Discard, nil), nil))
	run := func(b *testing.B, ctx context.Context, l *slog.Logger) {
		for b.Loop() {
			l.InfoContext(ctx, "request handled", "user", 42, "path", "/dashboard", "password", "x")
		}
	}
	b.Run("plain", func(b *testing.B) { run(b, context.Background(), plain) })
	b.Run("ddtslog/idle", func(b *testing.B) { run(b, context.Background(), wrapped) })
	b.Run("ddtslog/recording", func(b *testing.B) {
		ctx, unbind := event.Bind(context.Background(), "bench", discard{})
		defer unbind()
		run(b, ctx, wrapped)
	})
	// A debug record the console drops, captured for the toolbar.
	b.Run("ddtslog/recording-debug", func(b *testing.B) {
		ctx, unbind := event.Bind(context.Background(), "bench", discard{})
		defer unbind()
		for b.Loop() {
			wrapped.DebugContext(ctx, "cache miss", "key", "dash:7")
		}
	})
}
