// Package event is ddt's event bus: the events that marked functions,
// toolbar.Emit and the integrations make, and how each reaches the request
// it belongs to.
//
// A toolbar (or a test) binds a request to a [Sink] with [Bind]; the
// events of that request reach the sink, one at a time, until the binding
// is undone. Code that ddt does not instrument makes events with [Emit].
// Generated code goes through package ddtrt, which records into the same
// bus; panels receive the events through package panel, whose Event is
// this package's.
//
// # Attribution
//
// An [Event] is delivered to the [Sink] of the request whose work it was,
// when that is known, and is otherwise unattributed: counted by
// [Unattributed], kept in a small ring with the reason, never placed in
// another request. Its Via field says how it was attributed:
//
//  1. [ViaContext]: a parameter whose type implements context.Context;
//  2. [ViaRequest]: a parameter with a Context() context.Context method,
//     such as *http.Request;
//  3. [ViaHandler]: it ran on the goroutine that called [Bind], the one
//     serving the request (known by the runtime's goroutine descriptor, so
//     pprof.Do in the handler changes nothing);
//  4. [ViaChild]: it ran on a goroutine that inherited the request's pprof
//     labels. Labels say which goroutine started a goroutine, not whose
//     work it does: a worker pool that the request started lazily carries
//     them while it serves every later request. So such an event is held
//     until the request ends, and filed under it only if its goroutine has
//     ended by then, was started by code outside the standard library
//     (whose goroutines, such as context.AfterFunc's or a Transport's
//     connection loops, serve whoever comes next; sync.WaitGroup.Go
//     excepted), and was started by the handler's goroutine or by one
//     filed in turn. Events made after it are queued behind it, so the
//     sink receives the request's events in the order they were made.
//
// Goroutine ids, parents, go statements and ends are read from the
// runtime's goroutine descriptor at offsets found and checked against the
// runtime's own answers at the first Bind; where that check fails (another
// Go release, an architecture without getg), only context arguments
// attribute the events of goroutines other than the handler's.
//
// # Late events
//
// An event that reaches its request after the function Bind returned has
// returned — from a goroutine that outlived the request, holding its
// context — is unattributed, with that reason. The bus decides it, in one
// place: a Sink never receives an event after its request ended.
//
// # Typed values
//
// A [Field]'s Raw is the value itself for bools, numbers and strings. An
// integration may hand its panel a richer value there, such as [Headers]:
// panels read it with a type assertion instead of parsing names or text.
package event
