package ddtrt

import (
	"context"
	"sync/atomic"
	"time"
)

// inflight counts the requests being recorded, across all toolbars.
var inflight atomic.Int32

// captureStacks says whether [Enter] captures the caller's stack.
var captureStacks atomic.Bool

func init() { captureStacks.Store(true) }

// SetCaptureStacks turns stack capture for new events on or off for the
// whole process. It is on by default.
func SetCaptureStacks(on bool) { captureStacks.Store(on) }

// MaxStackDepth is the number of frames kept for an event's stack.
const MaxStackDepth = 48

// Active reports whether any request is being recorded. Generated code calls
// it first and skips everything else when it returns false.
func Active() bool { return inflight.Load() != 0 }

// Call is one in-progress call of a marked function.
// It is in use until Exit returns; see callmem.go.
type Call struct {
	ev    Event
	b     *binding // nil for an unattributed call
	start uint64   // a reading of the binding's clock
	// results is the room for the results, taken with the arguments'.
	results []Field
}

// Enter starts recording a call of the function described by s with the
// given arguments (one per parameter, in order). A call that belongs to no
// request is counted as unattributed when it ends (see [Unattributed]).
//
// Enter is kept out of line: inlined, it grows every marked function's
// frame, which costs the calls that record nothing about 2 ns.
//
//go:noinline
func Enter(s *Site, args ...any) *Call {
	return enter(s, launder(args))
}

func enter(s *Site, args []any) *Call {
	c := newCall()
	b := attribute(s, args, &c.ev)
	c.b = b
	c.ev.Kind, c.ev.Func, c.ev.Site = s.Kind, s.Func, s
	// The context argument attributes the call; rendered, it would say
	// "context.Context" in every event, so it is left out of Args.
	nargs, skip := len(args), -1
	if s.Ctx >= 0 && s.Ctx < len(args) {
		nargs, skip = nargs-1, s.Ctx
	}
	fields := b.fieldsFor(nargs + len(s.Results))
	if nargs > 0 {
		c.ev.Args = b.renderFields(fields[:nargs:nargs], s.Params, args, "arg", skip)
	}
	c.results = fields[nargs:]
	if i := s.NameArg; i >= 0 && i != skip && i < len(args) {
		if skip >= 0 && skip < i {
			i--
		}
		// What the event is about, from the argument already rendered:
		// a string as it is, anything else as rendered.
		c.ev.Name = c.ev.Args[i].Text()
	}
	if captureStacks.Load() && (b == nil || b.wantStacks) {
		// Skip enter, Enter and the marked function.
		c.ev.Stack = captureStack(3)
	}
	clk := b.clockOf()
	c.start = clk.now()
	c.ev.Start = clk.at(c.start)
	return c
}

// Exit finishes the call. The generated deferred function passes what its
// own recover() returned and the current values of the results. A non-nil
// recovered value is recorded and raised again with the same value, so the
// panic continues as if nothing had intercepted it.
//
// Like Enter, Exit hides the results from escape analysis (see launder):
// otherwise a result that refers to the caller's stack, such as
// append(buf[:0], ...) of a stack array, would move to the heap in every
// call, recorded or not.
//
//go:noinline
func (c *Call) Exit(recovered any, results ...any) {
	c.exit(recovered, launder(results))
}

func (c *Call) exit(recovered any, results []any) {
	c.ev.Duration = c.b.clockOf().since(c.start)
	if recovered != nil {
		c.ev.Panicked = true
		c.ev.Panic = Render(recovered)
	} else {
		fields := c.results
		if len(fields) != len(results) {
			// Not the results the Site declares: not from generated code.
			fields = c.b.fieldsFor(len(results))
		}
		c.ev.Results = c.b.renderFields(fields, c.ev.Site.Results, results, "r", -1)
	}
	deliver(c.b, &c.ev)
	c.release()
	if recovered != nil {
		panic(recovered)
	}
}

// Record delivers an event emitted by hand (not by generated code) to the
// request found from ctx, or from the current goroutine when ctx carries
// none. Start defaults to now and Stack to the stack of the code that
// called Record's caller (Record is meant to be called by a helper such as
// toolbar.Emit).
func Record(ctx context.Context, e *Event) {
	if !Active() {
		return
	}
	b := bindingFromContext(ctx)
	if b != nil {
		_, e.Goroutine = current()
		e.Via = ViaContext
	} else {
		b = attributeGoroutine(e)
	}
	if e.Start.IsZero() {
		e.Start = time.Now()
	}
	if e.Stack == nil && captureStacks.Load() && (b == nil || b.wantStacks) {
		// From the caller of the function that called Record: the code
		// that emits the event through a helper like toolbar.Emit.
		e.Stack = captureStack(2)
	}
	deliver(b, e)
}

func deliver(b *binding, e *Event) {
	switch {
	case b == nil:
		recordUnattributed(e)
	case e.Via == ViaChild:
		b.hold(e)
	case b.holding.Load() && b.queue(e):
	default:
		b.sink.Record(e)
	}
}
