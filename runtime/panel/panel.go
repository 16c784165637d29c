package panel

import (
	"github.com/go-ddt/ddt/runtime/event"
	"html/template"
	"iter"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// Event is one recorded call of a marked function, or one event emitted by
// hand with toolbar.Emit.
type Event = event.Event

// Field is one rendered argument or result of an [Event].
type Field = event.Field

// Unclaimed, listed in a panel's Kinds, makes the panel receive the events
// of every kind that no panel of the toolbar lists. The Calls panel lists
// it, so nothing a user marked is ever silently lost.
const Unclaimed = "*"

// AllKinds, listed in a panel's Kinds, makes the panel receive the events
// of every kind, besides the panels that list the kind: the Timeline
// panel lists it. It does not claim any kind: the panels listing
// [Unclaimed] still receive the kinds no other panel lists.
const AllKinds = "**"

// Panel is one panel of the toolbar. The toolbar creates a new instance for
// every request it records, and another one, filled from the stored stats,
// each time it shows them. Embed [Base] for the default of every method
// but ID, Title and Template.
type Panel interface {
	// ID names the panel in URLs and in the ddt_disabled cookie: letters,
	// digits, "-", "_", "." and ":". It is the same for every instance.
	ID() string
	// Title heads the open panel.
	Title() string
	// NavTitle is shown in the toolbar's list; "" means Title.
	NavTitle() string
	// NavSubtitle is shown under NavTitle, such as "3 evaluations". It is
	// called on an instance filled from stored stats.
	NavSubtitle() string
	// HasContent reports whether the panel can be opened. It is called on
	// an instance filled from stored stats.
	HasContent() bool
	// Kinds lists the event kinds the panel receives: the <kind> of
	// //ddt:<kind> directives and of toolbar.Emit calls, [Unclaimed]
	// or [AllKinds].
	Kinds() []string
	// Template renders the panel's content; it is executed with an
	// instance filled from stored stats as its data. Parse it with
	// [MustParse] or [MustParseFS] to get the shared fragments.
	Template() *template.Template

	// EnableInstrumentation is called before the handler runs, only when
	// the panel is enabled for the request.
	EnableInstrumentation()
	// DisableInstrumentation is called after the handler has returned.
	DisableInstrumentation()
	// Wrap returns the handler that serves the request in place of next,
	// to see or change what the handler gets. Panels wrap in their order,
	// the first one outermost, inside the toolbar's own recording.
	Wrap(next http.Handler) http.Handler
	// Record receives one event of the panel's kinds, from the panel's own
	// request only. The toolbar serializes the calls of one request, so a
	// panel needs no lock of its own. e is reused once Record returns:
	// keep what it holds (its fields, strings and Stack may all be kept),
	// or a copy of it, never e itself.
	Record(e *Event)
	// GenerateStats is called once the handler has returned and
	// instrumentation is off: the place to set stats from the request and
	// the response, and to post-process what Record kept.
	GenerateStats(r *http.Request, resp *Response)
	// ServerTiming returns the panel's entries of the Server-Timing header.
	// It is called when the response's headers are written, which for a
	// streamed response is before the handler has finished.
	ServerTiming() []Timing
}

// An EventReader is a [Panel] that reads the request's events once the
// handler has returned rather than copying each one while it runs. The
// toolbar keeps one compact record of every event for all the panels that
// read them, so such a panel adds no memory per event to the request, and
// the work of turning events into rows is done after the handler, not on
// its goroutines. Record is still called for each event as it happens
// (Base's does nothing): the place for what the panel must know while the
// handler runs, such as a count its ServerTiming reports.
type EventReader interface {
	Panel
	// ReadEvents is called once per recorded request, after
	// DisableInstrumentation and before GenerateStats, with the events
	// Record received, in the order it received them.
	ReadEvents(events Events)
}

// Events are the events of a recorded request that an [EventReader]
// receives.
type Events struct {
	n   int
	all iter.Seq[*Event]
}

// NewEvents returns the n events that all yields.
func NewEvents(n int, all iter.Seq[*Event]) Events { return Events{n, all} }

// EventsOf returns events: for a panel's tests, as the toolbar would pass
// them to ReadEvents.
func EventsOf(events ...*Event) Events { return Events{len(events), slices.Values(events)} }

// Len returns the number of events, for sizing what holds their rows.
func (e Events) Len() int { return e.n }

// All yields the events in the order they were recorded. The Event it
// yields may be reused by the next one: keep what it holds (its fields,
// strings and Stack may all be kept), never the Event itself.
func (e Events) All() iter.Seq[*Event] {
	if e.all == nil {
		return func(func(*Event) bool) {}
	}
	return e.all
}

// Base provides the default behaviour of every [Panel] method except ID,
// Title and Template. It holds no state, so embedding it adds nothing to a
// panel's stats.
type Base struct{}

// NavTitle returns "": the toolbar shows the Title.
func (Base) NavTitle() string { return "" }

// NavSubtitle returns "".
func (Base) NavSubtitle() string { return "" }

// HasContent returns true.
func (Base) HasContent() bool { return true }

// Kinds returns nil: the panel receives no events.
func (Base) Kinds() []string { return nil }

// EnableInstrumentation does nothing.
func (Base) EnableInstrumentation() {}

// DisableInstrumentation does nothing.
func (Base) DisableInstrumentation() {}

// Wrap returns next.
func (Base) Wrap(next http.Handler) http.Handler { return next }

// Record does nothing.
func (Base) Record(*Event) {}

// GenerateStats does nothing.
func (Base) GenerateStats(*http.Request, *Response) {}

// ServerTiming returns nil.
func (Base) ServerTiming() []Timing { return nil }

// Response describes the response to a recorded request, as the handler
// wrote it (before the toolbar was injected).
type Response struct {
	Status      int           // 0 when the connection was hijacked before a status was written
	Header      http.Header   // the response's headers; do not modify
	Size        int64         // bytes of body the handler wrote
	ContentType string        // the Content-Type header, after sniffing
	Start       time.Time     // when the toolbar started the request
	Duration    time.Duration // from Start to the handler's return
	Streamed    bool          // flushed before the handler returned
	Hijacked    bool          // the handler took over the connection
	Panicked    bool          // the handler panicked
	Prefix      string        // the toolbar's path prefix, such as "/__debug__/"
	// Owners maps an event kind to the ID of the panel that lists it
	// (the first, in toolbar order), and [Unclaimed] to the first panel
	// that receives the kinds no panel lists: where a panel showing
	// events of all kinds links to. Shared: do not modify.
	Owners map[string]string
}

// Timing is one entry of the Server-Timing header: a metric name (a token,
// such as "sql"), how long it took, and a description ("2 queries").
type Timing struct {
	Name     string
	Duration time.Duration
	Desc     string
}

// Count returns n and the noun for n: "1 evaluation", "3 evaluations".
func Count(n int, singular, plural string) string {
	if n == 1 {
		return "1 " + singular
	}
	return strconv.Itoa(n) + " " + plural
}

// Milliseconds formats d as milliseconds with two decimals: "12.35 ms".
func Milliseconds(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 2, 64) + " ms"
}

// Unattributed returns how many events belonged to no request since the
// process started, and the most recent of them, oldest first: events from
// goroutines that no recorded request started and that were given no
// request's context, or that arrived after their request had finished.
func Unattributed() (count int64, recent []*Event) { return event.Unattributed() }
