package ddtrt

import (
	"context"
	"runtime/pprof"
	"sync"
	"unsafe"
)

// getProfLabel returns the current goroutine's profiler label pointer, which
// goroutines inherit from the goroutine that starts them. The runtime keeps
// this name linkable on purpose (go.dev/issue/67401).
//
//go:linkname getProfLabel runtime/pprof.runtime_getProfLabel
func getProfLabel() unsafe.Pointer

type sinkKey struct{}

// tokens maps a request's pprof label set (its pointer) to its sink.
var tokens sync.Map // unsafe.Pointer -> Sink

// RequestLabel is the pprof label key that [Bind] sets to the request id.
// CPU profiles taken while requests run can be filtered by it.
const RequestLabel = "ddt_request"

// Bind makes ctx and the current goroutine, and every goroutine it starts
// from now on, deliver events to sink. It returns the context to hand to the
// request's handler and a function that undoes the binding; call it on the
// same goroutine once the handler has returned. While at least one binding
// is live, [Active] reports true.
func Bind(ctx context.Context, id string, sink Sink) (context.Context, func()) {
	ctx = context.WithValue(ctx, sinkKey{}, sink)
	ctx = pprof.WithLabels(ctx, pprof.Labels(RequestLabel, id))
	prev := getProfLabel()
	pprof.SetGoroutineLabels(ctx)
	token := getProfLabel()
	tokens.Store(token, sink)
	inflight.Add(1)
	return ctx, func() {
		inflight.Add(-1)
		tokens.Delete(token)
		if getProfLabel() == token {
			setProfLabel(prev)
		}
	}
}

//go:linkname setProfLabel runtime/pprof.runtime_setProfLabel
func setProfLabel(unsafe.Pointer)

// SinkFrom returns the sink bound to ctx, or nil.
func SinkFrom(ctx context.Context) Sink { return sinkFromContext(ctx) }

func sinkFromContext(ctx context.Context) Sink {
	if ctx == nil {
		return nil
	}
	s, _ := ctx.Value(sinkKey{}).(Sink)
	return s
}

func sinkFromGoroutine() Sink {
	p := getProfLabel()
	if p == nil {
		return nil
	}
	s, ok := tokens.Load(p)
	if !ok {
		return nil
	}
	return s.(Sink)
}

type contexter interface{ Context() context.Context }

// attribute finds the sink for a call of s with args: a context parameter,
// then a request-like parameter, then the goroutine's token.
func attribute(s *Site, args []any) Sink {
	if s.Ctx >= 0 && s.Ctx < len(args) {
		if ctx, ok := args[s.Ctx].(context.Context); ok && ctx != nil {
			if sink := sinkFromContext(ctx); sink != nil {
				return sink
			}
		}
	}
	if s.Req >= 0 && s.Req < len(args) {
		if r, ok := args[s.Req].(contexter); ok && !isNilPointer(r) {
			if sink := sinkFromContext(r.Context()); sink != nil {
				return sink
			}
		}
	}
	return sinkFromGoroutine()
}
