package ddtrt

import (
	"github.com/go-ddt/ddt/runtime/internal/bus"
)

// Site describes one marked function. Generated code declares one Site per
// marked function as a package-level variable and passes its address to
// [Enter]; it is never modified after initialization. It is [event.Site].
type Site = bus.Site

// Call is one in-progress call of a marked function, from [Enter] to its
// Exit. It is in use until Exit returns.
//
// Exit finishes the call. The generated deferred function passes what its
// own recover() returned and the current values of the results. A non-nil
// recovered value is recorded and raised again with the same value, so the
// panic continues as if nothing had intercepted it.
type Call = bus.Call

// Active reports whether any request is being recorded. Generated code calls
// it first and skips everything else when it returns false.
func Active() bool { return bus.Active() }

// Enter starts recording a call of the function described by s with the
// given arguments (one per parameter, in order). A call that belongs to no
// request is counted as unattributed when it ends.
//
// Enter is kept out of line: inlined, it grows every marked function's
// frame, which costs the calls that record nothing about 2 ns. It hides
// args from escape analysis: it keeps nothing of them once it returns
// (rendered text and copies only), and otherwise every pointer argument of
// every marked function would move to the heap, recorded or not.
//
//go:noinline
func Enter(s *Site, args ...any) *Call {
	return bus.Enter(s, bus.Launder(args))
}
