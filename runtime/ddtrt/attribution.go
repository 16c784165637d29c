package ddtrt

import (
	"context"
	"runtime/pprof"
	"sync"
	"sync/atomic"
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
var tokens sync.Map // unsafe.Pointer -> *binding

// binding is one call of Bind: the sink, what it asked for, and the memory
// its calls are recorded in.
type binding struct {
	sink       Sink
	wantStacks bool                         // see Sink
	fields     atomic.Pointer[chunk[Field]] // see fieldsFor
	text       atomic.Pointer[chunk[byte]]  // see textFor
	unbound    atomic.Bool                  // the binding was undone: its token may name another
	clock      clock                        // how its calls read the time
}

// clockOf returns the clock of b's calls; b may be nil.
func (b *binding) clockOf() *clock {
	if b == nil {
		return nil
	}
	return &b.clock
}

// tokenCache remembers recent token lookups in front of tokens: a lookup
// there is a hash and a load, against a sync.Map's hashing of an interface.
// An entry of a binding that was undone is ignored, so a label set that
// reuses the memory of an ended request's is never taken for it.
var tokenCache [256]atomic.Pointer[tokenEntry]

type tokenEntry struct {
	token unsafe.Pointer
	b     *binding
}

func tokenSlot(token unsafe.Pointer) *atomic.Pointer[tokenEntry] {
	h := uint64(uintptr(token)) * 0x9e3779b97f4a7c15
	return &tokenCache[h>>56]
}

func newBinding(sink Sink) *binding {
	b := &binding{sink: sink, wantStacks: true, clock: newClock()}
	if w, ok := sink.(interface{ WantStacks() bool }); ok {
		b.wantStacks = w.WantStacks()
	}
	return b
}

// RequestLabel is the pprof label key that [Bind] sets to the request id.
// CPU profiles taken while requests run can be filtered by it.
const RequestLabel = "ddt_request"

// Bind makes ctx and the current goroutine, and every goroutine it starts
// from now on, deliver events to sink. It returns the context to hand to the
// request's handler and a function that undoes the binding; call it on the
// same goroutine once the handler has returned. While at least one binding
// is live, [Active] reports true.
func Bind(ctx context.Context, id string, sink Sink) (context.Context, func()) {
	b := newBinding(sink)
	ctx = pprof.WithLabels(ctx, pprof.Labels(RequestLabel, id))
	prev := getProfLabel()
	pprof.SetGoroutineLabels(ctx)
	// The binding's value is the outermost, so that finding it from the
	// handler's own context is one step.
	ctx = context.WithValue(ctx, sinkKey{}, b)
	token := getProfLabel()
	tokens.Store(token, b)
	inflight.Add(1)
	return ctx, func() {
		inflight.Add(-1)
		b.unbound.Store(true)
		tokens.Delete(token)
		slot := tokenSlot(token)
		if e := slot.Load(); e != nil && e.token == token {
			slot.CompareAndSwap(e, nil)
		}
		if getProfLabel() == token {
			setProfLabel(prev)
		}
	}
}

//go:linkname setProfLabel runtime/pprof.runtime_setProfLabel
func setProfLabel(unsafe.Pointer)

// SinkFrom returns the sink bound to ctx, or nil.
func SinkFrom(ctx context.Context) Sink {
	if b := bindingFromContext(ctx); b != nil {
		return b.sink
	}
	return nil
}

func bindingFromContext(ctx context.Context) *binding {
	if ctx == nil {
		return nil
	}
	b, _ := ctx.Value(sinkKey{}).(*binding)
	return b
}

func bindingFromGoroutine() *binding {
	p := getProfLabel()
	if p == nil {
		return nil
	}
	slot := tokenSlot(p)
	if e := slot.Load(); e != nil && e.token == p && !e.b.unbound.Load() {
		return e.b
	}
	v, ok := tokens.Load(p)
	if !ok {
		return nil
	}
	b := v.(*binding)
	slot.Store(&tokenEntry{token: p, b: b})
	return b
}

type contexter interface{ Context() context.Context }

// attribute finds the binding for a call of s with args: a context
// parameter, then a request-like parameter, then the goroutine's token.
func attribute(s *Site, args []any) *binding {
	if s.Ctx >= 0 && s.Ctx < len(args) {
		if ctx, ok := args[s.Ctx].(context.Context); ok && ctx != nil {
			if b := bindingFromContext(ctx); b != nil {
				return b
			}
		}
	}
	if s.Req >= 0 && s.Req < len(args) {
		if r, ok := args[s.Req].(contexter); ok && !isNilPointer(r) {
			if b := bindingFromContext(r.Context()); b != nil {
				return b
			}
		}
	}
	return bindingFromGoroutine()
}
