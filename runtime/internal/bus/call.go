package bus

import (
	"context"
	"sync/atomic"
	"time"
)

// inflight counts the requests being recorded, across all toolbars.
var inflight atomic.Int32

// Active reports whether any request is being recorded (ddtrt.Active).
func Active() bool { return inflight.Load() != 0 }

// MaxStackDepth is the number of frames kept for an event's stack.
const MaxStackDepth = 48

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
// given arguments (one per parameter, in order), already hidden from escape
// analysis by [Launder]. A call that belongs to no request is counted as
// unattributed when it ends (see [Unattributed]). It is ddtrt.Enter's body:
// called from there, the stack it captures skips itself, ddtrt.Enter and
// the marked function.
func Enter(s *Site, args []any) *Call {
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
	if b == nil || b.wantStacks {
		// Skip Enter, ddtrt.Enter and the marked function.
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
// Exit returns the value that replaces the first result, or nil: for a
// call of kind "flag" whose flag the toolbar's user overrode (see
// [SetFlagOverrides]), when the first result is a bool or a string. The
// event records the real results and the override.
//
// Like ddtrt.Enter, Exit hides the results from escape analysis (see Launder):
// otherwise a result that refers to the caller's stack, such as
// append(buf[:0], ...) of a stack array, would move to the heap in every
// call, recorded or not.
//
//go:noinline
func (c *Call) Exit(recovered any, results ...any) (override any) {
	return c.exit(recovered, Launder(results))
}

func (c *Call) exit(recovered any, results []any) (override any) {
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
		if len(results) > 0 && c.ev.Kind == flagKind {
			override = c.override(results[0])
		}
	}
	deliver(c.b, &c.ev)
	c.release()
	if recovered != nil {
		panic(recovered)
	}
	return override
}

// Emit delivers an event made by hand (not by generated code) to the
// request found from ctx, or from the current goroutine when ctx carries
// none. Start defaults to now and Stack to the stack of the code that
// called the caller of Emit's caller, skip frames further up: Emit is
// called by event.Emit (skip 0), which is called by a helper such as
// toolbar.Emit.
func Emit(ctx context.Context, e *Event, skip int) {
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
	if e.Stack == nil && (b == nil || b.wantStacks) {
		// From the caller of the helper that called event.Emit: the
		// code that emits the event through toolbar.Emit, say.
		e.Stack = captureStack(3 + skip)
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
		b.record(e)
	}
}
