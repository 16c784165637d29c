package event

import (
	"context"
	"sync"

	"github.com/go-ddt/ddt/runtime/internal/bus"
)

// Event is one recorded call of a marked function, or one [Emit]ted
// emission: its Kind, Func, Name (what it is about: the flag name for kind
// "flag"), Args and Results as rendered [Field]s, Start and Duration,
// Panicked and Panic, Stack (program counters, innermost first, shared
// between events: do not modify), Site (the marked function), Via and
// Goroutine (how and where it was attributed) and, for an event of no
// request, Unattributed (why).
type Event = bus.Event

// Field is one rendered argument or result: Name, Type, Value (Go syntax,
// bounded by the Render limits) and Raw (the value itself when it is a
// bool, a number or a string, for panels to use without parsing; or a
// typed value an integration hands its panel, such as [Headers]).
type Field = bus.Field

// Site describes one marked function: the directive's kind, the qualified
// name, where it is declared, its parameters and results. Generated code
// declares one per marked function (as ddtrt.Site).
type Site = bus.Site

// A Sink receives the events attributed to one request, one at a time (the
// calls come from any goroutine, never two at once), and none once the
// function that [Bind] returned has returned.
//
// Record must not keep e after it returns: the Event of a marked call is
// reused by the next one. What e points to is never reused and may be kept:
// its Args and Results slices, the strings in them, and its Stack. To keep
// the event itself, keep a copy (ev := *e).
type Sink = bus.Sink

// A StackWanter is a [Sink] that says whether the events recorded for it
// should carry stacks. A Sink whose WantStacks returns false receives
// events without stacks, and the calls recorded for it skip the cost of
// capturing them.
type StackWanter = bus.StackWanter

// How an event was attributed to its request ([Event].Via).
const (
	ViaContext = bus.ViaContext // a context.Context argument
	ViaRequest = bus.ViaRequest // an argument with a Context method (*http.Request)
	ViaHandler = bus.ViaHandler // it ran on the goroutine serving the request
	ViaChild   = bus.ViaChild   // on a goroutine the handler started that ended before the handler returned
)

// RequestLabel is the pprof label key that [Bind] sets to the request id.
// CPU profiles taken while requests run can be filtered by it.
const RequestLabel = bus.RequestLabel

// MaxStackDepth is the number of frames kept for an event's stack.
const MaxStackDepth = bus.MaxStackDepth

// Limits of [Render]. Values are rendered on the calling goroutine while the
// marked function runs, so they must be bounded: a huge or cyclic argument
// costs at most these.
const (
	MaxRenderDepth  = bus.MaxRenderDepth  // nesting of structs, slices, maps and pointers
	MaxRenderElems  = bus.MaxRenderElems  // elements of a slice, array or map, fields of a struct
	MaxRenderString = bus.MaxRenderString // bytes of one string
	MaxRenderBytes  = bus.MaxRenderBytes  // bytes of the whole rendering
)

// Truncated marks where a rendering was cut.
const Truncated = bus.Truncated

// Active reports whether any request is being recorded, anywhere in the
// process: one atomic load. Integrations call it first and skip everything
// else when it returns false.
func Active() bool { return bus.Active() }

// Bind makes ctx and the current goroutine deliver events to sink, and
// the goroutines it starts from now on candidates to (see the package
// doc). It returns the context to hand to the request's handler and a
// function that undoes the binding; call it on the same goroutine once the
// handler has returned: it decides the events held from other goroutines
// and delivers those that belong to the request before it returns. Once it
// has returned, sink receives nothing more: an event that reaches the
// request later is unattributed. While at least one binding is live,
// [Active] reports true.
func Bind(ctx context.Context, id string, sink Sink) (context.Context, func()) {
	return bus.Bind(ctx, id, sink)
}

// Emit delivers an event made by hand (not by generated code) to the
// request found from ctx, or from the current goroutine when ctx carries
// none (ctx may be nil). Start defaults to now and Stack to the stack of
// the code that called Emit's caller: Emit is meant to be called by a
// helper, such as toolbar.Emit or an integration's hook.
func Emit(ctx context.Context, e *Event) { bus.Emit(ctx, e, 0) }

// New returns an empty Event for [Emit], from a pool: sinks keep no Event
// once their Record returns, so an Event can be used again once Emit has
// returned, and an emitted event then costs no allocation of its own. Hand
// it back with [Release] after Emit; an Event from new(Event) works too.
func New() *Event { return pool.Get().(*Event) }

// Release empties e and puts it back for [New] to return again. e must not
// be used after.
func Release(e *Event) {
	*e = Event{}
	pool.Put(e)
}

var pool = sync.Pool{New: func() any { return new(Event) }}

// WantStacks reports whether the events of the request bound to ctx carry
// stacks: false when its sink is a [StackWanter] that wants none, true
// otherwise (and when ctx carries no request). Integrations that capture
// stacks themselves ask it first.
func WantStacks(ctx context.Context) bool { return bus.WantStacks(ctx) }

// Recorded reports whether ctx carries a request being recorded (by
// [Bind]): integrations that keep a context to emit an event later, such
// as an OpenTelemetry span processor between a span's start and end, ask
// it first.
func Recorded(ctx context.Context) bool { return bus.Recorded(ctx) }

// HandlerGoroutine returns the id of the goroutine serving the request
// bound to ctx: the [Event].Goroutine of the events made on it. It is 0
// when ctx carries no request, or where ddt cannot read goroutine ids.
func HandlerGoroutine(ctx context.Context) uint64 { return bus.HandlerGoroutine(ctx) }

// Unattributed returns how many events belonged to no request since the
// process started, and the most recent of them, oldest first.
func Unattributed() (count int64, recent []*Event) { return bus.Unattributed() }

// NewField renders v as the field called name, the way arguments and results
// of marked functions are rendered. A context is rendered as
// "context.Context": its chain of wrapped contexts is noise, and can hold
// the toolbar's own state. An error is rendered as its type and message,
// *url.Error("Get \"/x\": EOF"), by calling its Error method, bounded to
// MaxRenderString bytes; a nil pointer error, or one whose Error method
// panics, is rendered by reflection as any other value.
func NewField(name string, v any) Field { return bus.NewField(name, v) }

// Render formats v in Go-like syntax within the Render limits. It reads
// values through reflection only: it never calls String, Error or any other
// method of the value, which could block, panic or have side effects.
func Render(v any) string { return bus.Render(v) }

// SetFollowPointers makes the arguments and results of marked functions
// render what their pointers and maps refer to, for the whole process.
//
// It is off by default because that memory is shared: a method's receiver
// or a cache's map may be written by other goroutines, under locks that
// the renderer does not hold. Reading it anyway is a data race (reported
// by -race), and iterating a map that is being written is a fatal error.
// Without it, a pointer renders as &T{…} and a map as map[K]V{…}; values
// passed by value, slices and strings are rendered in full. An error is
// rendered by its message either way (see [NewField]).
func SetFollowPointers(on bool) { bus.SetFollowPointers(on) }

// SetFlagOverrides makes the flag evaluations of the request bound to ctx
// return the values in o (flag key to value: "true"/"false" for a boolean
// flag, the text of another) instead of their own, and record both. The
// Feature Flags panel calls it with the developer's overrides; it reports
// whether ctx carries a bound request. o must not be modified afterwards.
//
// Only evaluations certain to be the request's work receive them: those
// attributed by a context argument, or made on the handler's goroutine,
// while the request is bound. An evaluation on another goroutine, known
// only by the labels it inherited, gets its real value: it may be a
// worker's, serving someone else. A function marked //ddt:flag returns
// the override in place of its first result when that is a bool or a
// string; integrations ask [FlagOverride].
func SetFlagOverrides(ctx context.Context, o map[string]string) bool {
	return bus.SetFlagOverrides(ctx, o)
}

// FlagOverride returns the override of the flag called key for the request
// that ctx carries or, when it carries none, for the request that the
// current goroutine serves (its handler's); false when there is none or no
// request is being recorded (one atomic load). Integrations that resolve
// flags call it, such as ddtopenfeature's provider.
func FlagOverride(ctx context.Context, key string) (string, bool) {
	return bus.FlagOverride(ctx, key)
}
