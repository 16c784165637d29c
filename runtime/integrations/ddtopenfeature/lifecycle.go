package ddtopenfeature

import (
	"context"

	"github.com/open-feature/go-sdk/openfeature"
)

// The SDK looks for these optional interfaces on a provider; the wrapper
// has them all and passes each call on when the wrapped provider has the
// method, doing what the SDK does without it otherwise.
var (
	_ openfeature.FeatureProvider          = (*WrappedProvider)(nil)
	_ openfeature.ContextAwareStateHandler = (*WrappedProvider)(nil)
	_ openfeature.EventHandler             = (*WrappedProvider)(nil)
	_ openfeature.Tracker                  = (*WrappedProvider)(nil)
)

// Init initializes the wrapped provider, if it is a StateHandler.
func (w *WrappedProvider) Init(ec openfeature.EvaluationContext) error {
	if h, ok := w.inner.(openfeature.StateHandler); ok {
		return h.Init(ec)
	}
	return nil
}

// Shutdown shuts the wrapped provider down, if it is a StateHandler.
func (w *WrappedProvider) Shutdown() {
	if h, ok := w.inner.(openfeature.StateHandler); ok {
		h.Shutdown()
	}
}

// InitWithContext initializes the wrapped provider with ctx if it takes
// one, as Init otherwise.
func (w *WrappedProvider) InitWithContext(ctx context.Context, ec openfeature.EvaluationContext) error {
	if h, ok := w.inner.(openfeature.ContextAwareStateHandler); ok {
		return h.InitWithContext(ctx, ec)
	}
	return w.Init(ec)
}

// ShutdownWithContext shuts the wrapped provider down with ctx if it takes
// one, as Shutdown otherwise.
func (w *WrappedProvider) ShutdownWithContext(ctx context.Context) error {
	if h, ok := w.inner.(openfeature.ContextAwareStateHandler); ok {
		return h.ShutdownWithContext(ctx)
	}
	w.Shutdown()
	return nil
}

// EventChannel returns the wrapped provider's events, or a channel that
// never delivers one.
func (w *WrappedProvider) EventChannel() <-chan openfeature.Event {
	if h, ok := w.inner.(openfeature.EventHandler); ok {
		return h.EventChannel()
	}
	return nil
}

// Track passes a tracking event to the wrapped provider, if it tracks.
func (w *WrappedProvider) Track(ctx context.Context, name string, ec openfeature.EvaluationContext, d openfeature.TrackingEventDetails) {
	if t, ok := w.inner.(openfeature.Tracker); ok {
		t.Track(ctx, name, ec, d)
	}
}
