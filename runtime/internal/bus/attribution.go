package bus

import (
	"context"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"unsafe"
)

// Attribution decides which request an event belongs to, and files it
// there only when that is known (see doc.go for the rules and why):
//
//   - a context argument that carries a binding: that request;
//   - the goroutine that serves the request (the one that called Bind):
//     that request;
//   - a goroutine that inherited the request's profiler labels: held until
//     the request ends, then filed under it if the goroutine was started by
//     the handler's goroutine (or by one so filed), by code outside the
//     standard library, and ended before the request did; otherwise
//     unattributed, with the reason;
//   - anything else: unattributed, with the reason.

// getProfLabel returns the current goroutine's profiler label pointer, which
// goroutines inherit from the goroutine that starts them. The runtime keeps
// this name linkable on purpose (go.dev/issue/67401).
//
//go:linkname getProfLabel runtime/pprof.runtime_getProfLabel
func getProfLabel() unsafe.Pointer

//go:linkname setProfLabel runtime/pprof.runtime_setProfLabel
func setProfLabel(unsafe.Pointer)

type sinkKey struct{}

var (
	// tokens maps the label set Bind gave a request's goroutine (its
	// pointer) to the request's binding.
	tokens sync.Map // unsafe.Pointer -> *binding
	// handlers maps the descriptor of a goroutine serving a request to
	// the request's binding, for when its labels changed (pprof.Do).
	handlers sync.Map // unsafe.Pointer -> *binding
	// requests maps a bound request's id to its binding, for label sets
	// derived from the request's context.
	requests sync.Map // string -> *binding
)

// maxHeld bounds the events a request holds from other goroutines.
const maxHeld = 10000

// binding is one call of Bind: the sink, what it asked for, and the memory
// its calls are recorded in.
type binding struct {
	sink       Sink
	id         string
	wantStacks bool                              // see Sink
	fields     atomic.Pointer[chunk[Field]]      // see fieldsFor
	text       atomic.Pointer[chunk[byte]]       // see textFor
	unbound    atomic.Bool                       // the binding was undone: its token may name another
	clock      clock                             // how its calls read the time
	handler    goroutine                         // the goroutine that serves the request
	overrides  atomic.Pointer[map[string]string] // see SetFlagOverrides

	mu      sync.Mutex
	held    eventLog              // events of other goroutines (and those after them), decided at the end
	seen    map[uint64]*goroutine // the goroutines those came from, by id
	settled bool                  // the held events were decided: hold no more
	holding atomic.Bool           // some events are held: queue the others behind them

	// deliver serializes the sink's Record calls, and ended (set once the
	// held events are decided) turns away those that come after: the one
	// place that decides what becomes of an event that reaches its request
	// after the request ended.
	deliver sync.Mutex
	ended   bool
}

// record hands e to the sink, or, once the request has ended, counts it as
// unattributed: its code outlived the request.
func (b *binding) record(e *Event) {
	b.deliver.Lock()
	defer b.deliver.Unlock()
	if b.ended {
		e.Via, e.Unattributed = "", reasonLate
		recordUnattributed(e)
		return
	}
	b.sink.Record(e)
}

// end turns away the events that reach b from now on (see record).
func (b *binding) end() {
	b.deliver.Lock()
	b.ended = true
	b.deliver.Unlock()
}

// Exclusive runs f while no event is being delivered to the sink bound to
// ctx, and none will be until f returns: a sink reads what its Record calls
// write, such as the toolbar's Server-Timing entries, without a lock of its
// own. Without a binding in ctx, f just runs.
func Exclusive(ctx context.Context, f func()) {
	b := bindingFromContext(ctx)
	if b == nil {
		f()
		return
	}
	b.deliver.Lock()
	defer b.deliver.Unlock()
	f()
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

func newBinding(id string, sink Sink) *binding {
	b := &binding{sink: sink, id: id, wantStacks: true, clock: newClock()}
	if w, ok := sink.(StackWanter); ok {
		b.wantStacks = w.WantStacks()
	}
	return b
}

// RequestLabel is the pprof label key that [Bind] sets to the request id.
// CPU profiles taken while requests run can be filtered by it.
const RequestLabel = "ddt_request"

// Bind makes ctx and the current goroutine deliver events to sink, and
// the goroutines it starts from now on candidates to (see the package
// doc). It returns the context to hand to the request's handler and a
// function that undoes the binding; call it on the same goroutine once the
// handler has returned: it decides the events held from other goroutines
// and delivers those that belong to the request before it returns. Once it
// has returned, the sink receives nothing more: an event that reaches the
// request later (from a goroutine that outlived it, with its context) is
// unattributed. While at least one binding is live, [Active] reports true.
func Bind(ctx context.Context, id string, sink Sink) (context.Context, func()) {
	goroutineLayout()
	labelLayoutOnce.Do(checkLabelLayout)
	b := newBinding(id, sink)
	b.handler = describe(current())
	ctx = pprof.WithLabels(ctx, pprof.Labels(RequestLabel, id))
	prev := getProfLabel()
	pprof.SetGoroutineLabels(ctx)
	// The binding's value is the outermost, so that finding it from the
	// handler's own context is one step.
	ctx = context.WithValue(ctx, sinkKey{}, b)
	token := getProfLabel()
	tokens.Store(token, b)
	if b.handler.g != nil {
		handlers.Store(b.handler.g, b)
	}
	requests.Store(id, b)
	inflight.Add(1)
	return ctx, func() {
		inflight.Add(-1)
		b.unbound.Store(true)
		tokens.Delete(token)
		if b.handler.g != nil {
			handlers.CompareAndDelete(b.handler.g, b)
		}
		requests.CompareAndDelete(id, b)
		slot := tokenSlot(token)
		if e := slot.Load(); e != nil && e.token == token {
			slot.CompareAndSwap(e, nil)
		}
		if getProfLabel() == token {
			setProfLabel(prev)
		}
		b.settle()
		b.end()
	}
}

// WantStacks reports whether the events of the request bound to ctx carry
// stacks: false when its sink is a [StackWanter] that wants none, true
// otherwise (and when ctx carries no request).
func WantStacks(ctx context.Context) bool {
	if b := bindingFromContext(ctx); b != nil {
		return b.wantStacks
	}
	return true
}

// Recorded reports whether ctx carries a request being recorded.
func Recorded(ctx context.Context) bool { return bindingFromContext(ctx) != nil }

// HandlerGoroutine returns the id of the goroutine serving the request
// bound to ctx (the one that called Bind), or 0 when ctx carries no
// request or ids are not read.
func HandlerGoroutine(ctx context.Context) uint64 {
	if b := bindingFromContext(ctx); b != nil {
		return b.handler.id
	}
	return 0
}

func bindingFromContext(ctx context.Context) *binding {
	if ctx == nil {
		return nil
	}
	b, _ := ctx.Value(sinkKey{}).(*binding)
	return b
}

// bindingFromLabels returns the binding the current goroutine's labels
// name: the label set Bind made, or one derived from the request's context.
// ended reports that they name a request that is no longer bound.
func bindingFromLabels() (b *binding, ended bool) {
	p := getProfLabel()
	if p == nil {
		return nil, false
	}
	slot := tokenSlot(p)
	if e := slot.Load(); e != nil && e.token == p && !e.b.unbound.Load() {
		return e.b, false
	}
	if v, ok := tokens.Load(p); ok {
		b := v.(*binding)
		slot.Store(&tokenEntry{token: p, b: b})
		return b, false
	}
	id := requestOfLabels(p)
	if id == "" {
		return nil, false
	}
	if v, ok := requests.Load(id); ok {
		return v.(*binding), false
	}
	return nil, true
}

type contexter interface{ Context() context.Context }

// attribute finds the binding for a call of s with args: a context
// parameter, then a request-like parameter, then the goroutine. It sets
// e's Via, Goroutine and, for a call of no request, Unattributed.
func attribute(s *Site, args []any, e *Event) *binding {
	if s.Ctx >= 0 && s.Ctx < len(args) {
		if ctx, ok := args[s.Ctx].(context.Context); ok && ctx != nil {
			if b := bindingFromContext(ctx); b != nil {
				_, e.Goroutine = current()
				e.Via = ViaContext
				return b
			}
		}
	}
	if s.Req >= 0 && s.Req < len(args) {
		if r, ok := args[s.Req].(contexter); ok && !isNilPointer(r) {
			if b := bindingFromContext(r.Context()); b != nil {
				_, e.Goroutine = current()
				e.Via = ViaRequest
				return b
			}
		}
	}
	return attributeGoroutine(e)
}

// attributeGoroutine finds the binding of the current goroutine. For a
// goroutine other than the request's own it sets Via to ViaChild: the
// event is held, and decided when the request ends (see binding.hold).
func attributeGoroutine(e *Event) *binding {
	g, id := current()
	e.Goroutine = id
	b, ended := bindingFromLabels()
	if b == nil && g != nil {
		// The handler's goroutine, its labels replaced (pprof.Do with a
		// context of its own).
		if v, ok := handlers.Load(g); ok {
			b = v.(*binding)
		}
	}
	switch {
	case b != nil && g != nil && g == b.handler.g:
		e.Via = ViaHandler
		return b
	case b != nil && layout.creators:
		e.Via = ViaChild
		return b
	case b != nil:
		e.Unattributed = layout.failureReason + ": only a context argument attributes events of goroutines other than the handler's"
	case ended:
		e.Unattributed = reasonEnded
	default:
		e.Unattributed = reasonNone
	}
	return nil
}

// Why an event is unattributed.
const (
	reasonNone     = "no request: no context argument carries one, and the goroutine is not one a request started; pass the request's context"
	reasonEnded    = "its request had ended: the goroutine outlived the request that started it; pass the context of the request it works for"
	reasonAlive    = "its goroutine was still running when the request ended: a goroutine that outlives its request may be a worker serving others; pass the request's context"
	reasonLibrary  = "its goroutine was started by the standard library (%s), whose goroutines serve whoever comes next; pass the request's context"
	reasonUnseen   = "its goroutine was started by goroutine %d, which made no event, so ddt cannot tell whose work it did; pass the request's context"
	reasonAncestor = "its goroutine was started by goroutine %d, which ddt cannot vouch for (%s)"
	reasonTooMany  = "the request held too many events of other goroutines"
)
