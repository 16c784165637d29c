// Package timeline is the toolbar's Timeline panel: every event of one
// request on one waterfall, so that what ran when, and in parallel with
// what, can be seen at a glance.
//
// # Lanes and nesting
//
// Each goroutine that made an event has a lane; the goroutine serving the
// request comes first, under the handler's own span (the request from the
// toolbar's start to the handler's return). Within a lane, an event that
// starts and ends inside another is drawn under it, one row deeper: a
// goroutine runs one call at a time, so containment in time on one
// goroutine is nesting in calls, and the panel needs nothing recorded
// beyond an event's Start, Duration and Goroutine. Events without a
// duration (log records) are drawn as instants.
//
// # Interaction
//
// The waterfall is laid out by the toolbar's script from data attributes
// (positions in microseconds), so its content holds no inline style. A
// bar's tooltip says what it is; clicking it shows the event's row (its
// arguments, results and stack trace) above the waterfall, with a button
// that opens the panel that lists events of its kind.
//
// The panel lists [panel.AllKinds]: it receives every event of the
// request, besides the panel that shows events of that kind.
package timeline
