package calls

import (
	"cmp"
	"embed"
	"html/template"
	"net/http"
	"slices"
	"time"

	"github.com/go-ddt/ddt/runtime/panel"
)

//go:embed calls.html
var files embed.FS

var tmpl = template.Must(panel.NewTemplate("calls.html").Funcs(template.FuncMap{"callRow": rowHTML}).ParseFS(files, "calls.html"))

// recentUnattributed is how many unattributed events the panel shows.
const recentUnattributed = 10

// Panel lists the calls of one request.
type Panel struct {
	panel.Base
	Calls []Call
	// Total is the time during which at least one call was running: the
	// union of the calls' [start, start+duration) intervals, so a call
	// nested in another (or overlapping it on another goroutine) does not
	// count twice, and Total never exceeds the time the calls spanned.
	Total time.Duration
	// Unattributed counts the events of no request in the whole process;
	// Recent holds the last few, newest first.
	Unattributed int
	Recent       []Call

	recorded int // calls recorded so far, for ServerTiming
}

// span is the interval of one call, in nanoseconds since the Unix epoch.
type span struct{ start, end int64 }

// Call is one recorded call or emitted event.
type Call struct {
	Func     string
	Kind     string
	Name     string
	Args     []panel.Field
	Results  []panel.Field
	Duration time.Duration
	Panic    string
	Stack    panel.Stack
	// Via says how the call was attributed to the request (ctx, request,
	// handler goroutine, child goroutine); Goroutine is the id of the
	// goroutine it ran on (0: unknown).
	Via       string `json:",omitempty"`
	Goroutine uint64 `json:",omitempty"`
	// Unattributed says why an event of no request has none.
	Unattributed string `json:",omitempty"`
}

// New returns an empty Calls panel.
func New() panel.Panel { return new(Panel) }

func (*Panel) ID() string                   { return "calls" }
func (*Panel) Title() string                { return "Calls" }
func (*Panel) Kinds() []string              { return []string{"trace", panel.Unclaimed} }
func (*Panel) Template() *template.Template { return tmpl }

// NavSubtitle counts the calls: "3 calls".
func (p *Panel) NavSubtitle() string { return panel.Count(len(p.Calls), "call", "calls") }

// Record counts the calls, for ServerTiming while the handler runs.
func (p *Panel) Record(*panel.Event) { p.recorded++ }

// ReadEvents lists the calls and computes the time during which any was
// running, once the handler has returned: the panel shares the toolbar's
// one record of each event with the Timeline.
func (p *Panel) ReadEvents(events panel.Events) {
	p.Calls = make([]Call, 0, events.Len())
	spans := make([]span, 0, events.Len())
	for e := range events.All() {
		p.Calls = append(p.Calls, callOf(e))
		start := e.Start.UnixNano()
		spans = append(spans, span{start, start + max(int64(e.Duration), 0)})
	}
	p.Total = covered(spans)
}

// GenerateStats adds the events that belonged to no request.
func (p *Panel) GenerateStats(*http.Request, *panel.Response) {
	n, recent := panel.Unattributed()
	p.Unattributed = int(n)
	for _, e := range slices.Backward(recent) {
		if len(p.Recent) == recentUnattributed {
			break
		}
		p.Recent = append(p.Recent, callOf(e))
	}
}

// covered returns the length of the union of the spans: the time during
// which at least one of them was running. It sorts spans.
func covered(spans []span) time.Duration {
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.start, b.start) })
	var total, end int64
	for i, s := range spans {
		switch {
		case i == 0 || s.start >= end:
			total += s.end - s.start
			end = s.end
		case s.end > end:
			total += s.end - end
			end = s.end
		}
	}
	return time.Duration(total)
}

// ServerTiming reports the calls: calls;dur=1.2;desc="3 calls, time any
// was running". The duration is [Panel.Total], during which any call ran, not
// the sum of their durations, which counts nested calls twice.
func (p *Panel) ServerTiming() []panel.Timing {
	if p.recorded == 0 {
		return nil
	}
	return []panel.Timing{{Name: "calls", Duration: p.Total, Desc: panel.Count(p.recorded, "call", "calls") + ", time any was running"}}
}

func callOf(e *panel.Event) Call {
	return Call{
		Func:     e.Func,
		Kind:     e.Kind,
		Name:     e.Name,
		Args:     e.Args,
		Results:  e.Results,
		Duration: e.Duration,
		Panic:    e.Panic,
		Stack:    panel.StackOf(e),

		Via:          e.Via,
		Goroutine:    e.Goroutine,
		Unattributed: e.Unattributed,
	}
}
