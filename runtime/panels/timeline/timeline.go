package timeline

import (
	"cmp"
	"embed"
	"html/template"
	"net/http"
	"slices"
	"time"

	"github.com/go-ddt/ddt/runtime/event"
	"github.com/go-ddt/ddt/runtime/panel"
)

//go:embed timeline.html
var files embed.FS

// tmpl renders the figures, the waterfall, the box a clicked bar's event
// is shown in, and the table of events.
var tmpl = template.Must(panel.NewTemplate("timeline.html").Funcs(template.FuncMap{
	"waterfall": waterfallHTML,
	"eventRows": rowsHTML,
}).ParseFS(files, "timeline.html"))

// Panel is the timeline of one request. Its exported fields are its stats.
type Panel struct {
	panel.Base
	// Request labels the handler's span: "GET /path" (no query).
	Request string `json:"request"`
	// Total is the handler's span: from the toolbar's start to the
	// handler's return.
	Total time.Duration `json:"total"`
	// Handler is the id of the goroutine that served the request (0 when
	// ddt cannot read it).
	Handler uint64 `json:"handler,omitempty"`
	// Events are the request's events in the order they started.
	Events []Entry `json:"events,omitempty"`
	// Lanes are the goroutines, the handler's first.
	Lanes []Lane `json:"lanes,omitempty"`
	// Owners maps the kinds of Events to the panel that lists them.
	Owners map[string]string `json:"owners,omitempty"`

	handler uint64 // set by the handler goroutine before the handler runs
}

// Entry is one event on the timeline.
type Entry struct {
	Kind    string        `json:"k"`
	Name    string        `json:"n,omitempty"`
	Func    string        `json:"f,omitempty"`
	Args    []panel.Field `json:"a,omitempty"`
	Results []panel.Field `json:"r,omitempty"`
	// Start is the time since the request started; Duration is 0 for an
	// instant (a log record).
	Start     time.Duration `json:"s"`
	Duration  time.Duration `json:"d,omitempty"`
	Goroutine uint64        `json:"g,omitempty"`
	Via       string        `json:"v,omitempty"`
	Panic     string        `json:"p,omitempty"`
	Stack     panel.Stack   `json:"st"`
	// Lane is the index of the event's lane in Panel.Lanes, Depth its row
	// in the lane (0 is the lane's top; the handler's span has the
	// handler lane's top row to itself).
	Lane  int `json:"l"`
	Depth int `json:"dp,omitempty"`
}

// Lane is one goroutine's row of the waterfall.
type Lane struct {
	Goroutine uint64 `json:"g,omitempty"`
	Handler   bool   `json:"h,omitempty"`
	// Rows is how many rows deep its events nest (at least 1).
	Rows int `json:"rows"`
	// Events counts the lane's events.
	Events int `json:"events"`
}

// New returns an empty Timeline panel.
func New() panel.Panel { return new(Panel) }

func (*Panel) ID() string                   { return "timeline" }
func (*Panel) Title() string                { return "Timeline" }
func (*Panel) Kinds() []string              { return []string{panel.AllKinds} }
func (*Panel) Template() *template.Template { return tmpl }

// NavSubtitle counts the events and goroutines: "12 events, 3 goroutines".
func (p *Panel) NavSubtitle() string {
	if len(p.Events) == 0 {
		return ""
	}
	return panel.Count(len(p.Events), "event", "events") + ", " + panel.Count(len(p.Lanes), "goroutine", "goroutines")
}

// Wrap learns which goroutine serves the request, on that goroutine.
func (p *Panel) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.handler = event.HandlerGoroutine(r.Context())
		next.ServeHTTP(w, r)
	})
}

// ReadEvents makes an entry of each event, once the handler has returned:
// the Timeline shares the toolbar's one record of each event with the
// panel that lists it, and keeps nothing of its own while the handler runs.
// An entry's Start is the event's, in Unix nanoseconds, until GenerateStats
// knows when the request started.
func (p *Panel) ReadEvents(events panel.Events) {
	p.Events = make([]Entry, 0, events.Len())
	for e := range events.All() {
		p.Events = append(p.Events, Entry{
			Kind: e.Kind, Name: e.Name, Func: e.Func, Via: e.Via, Panic: e.Panic,
			Args: e.Args, Results: e.Results, Stack: panel.StackOf(e),
			Start: time.Duration(e.Start.UnixNano()), Duration: max(e.Duration, 0), Goroutine: e.Goroutine,
		})
	}
}

// GenerateStats orders the events, puts them in lanes and nests them.
func (p *Panel) GenerateStats(r *http.Request, resp *panel.Response) {
	p.Request = r.Method + " " + r.URL.Path
	p.Total = resp.Duration
	p.Handler = p.handler
	start := time.Duration(resp.Start.UnixNano())
	for i := range p.Events {
		p.Events[i].Start -= start
	}
	// By start; of two that start together, the longer is the outer one.
	slices.SortStableFunc(p.Events, func(a, b Entry) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(b.Duration, a.Duration))
	})
	p.Lanes = layout(p.Events, p.Handler)
	for _, e := range p.Events {
		owner := resp.Owners[e.Kind]
		if owner == "" {
			owner = resp.Owners[panel.Unclaimed]
		}
		if owner != "" {
			if p.Owners == nil {
				p.Owners = map[string]string{}
			}
			p.Owners[e.Kind] = owner
		}
	}
}

// layout assigns each event (sorted by start) its lane and depth, and
// returns the lanes: the handler's first, then the others in the order of
// their first event.
func layout(events []Entry, handler uint64) []Lane {
	lanes := []Lane{{Goroutine: handler, Handler: true, Rows: 1}}
	index := map[uint64]int{handler: 0}
	// open holds, per lane, the ends of the events that contain the
	// current one.
	open := [][]time.Duration{nil}
	for i := range events {
		e := &events[i]
		l, ok := index[e.Goroutine]
		if !ok {
			l = len(lanes)
			index[e.Goroutine] = l
			lanes = append(lanes, Lane{Goroutine: e.Goroutine})
			open = append(open, nil)
		}
		stack := open[l]
		for len(stack) > 0 && stack[len(stack)-1] <= e.Start {
			stack = stack[:len(stack)-1]
		}
		e.Lane, e.Depth = l, len(stack)
		if l == 0 {
			e.Depth++ // under the handler's span
		}
		if e.Duration > 0 {
			stack = append(stack, e.Start+e.Duration)
		}
		open[l] = stack
		lanes[l].Events++
		lanes[l].Rows = max(lanes[l].Rows, e.Depth+1)
	}
	return lanes
}
