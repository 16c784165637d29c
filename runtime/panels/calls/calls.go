package calls

import (
	"embed"
	"html/template"
	"net/http"
	"slices"
	"time"

	"github.com/go-ddt/ddt/runtime/toolbar/panel"
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
	Total time.Duration // sum of the calls' durations (nested calls count twice)
	// Unattributed counts the events of no request in the whole process;
	// Recent holds the last few, newest first.
	Unattributed int
	Recent       []Call
}

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
}

// New returns an empty Calls panel.
func New() panel.Panel { return new(Panel) }

func (*Panel) ID() string                   { return "calls" }
func (*Panel) Title() string                { return "Calls" }
func (*Panel) Kinds() []string              { return []string{"trace", panel.Unclaimed} }
func (*Panel) Template() *template.Template { return tmpl }

// NavSubtitle counts the calls: "3 calls".
func (p *Panel) NavSubtitle() string { return panel.Count(len(p.Calls), "call", "calls") }

// Record keeps one call.
func (p *Panel) Record(e *panel.Event) {
	p.Calls = append(p.Calls, callOf(e))
	p.Total += e.Duration
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

// ServerTiming reports the calls: calls;dur=1.2;desc="3 calls".
func (p *Panel) ServerTiming() []panel.Timing {
	if len(p.Calls) == 0 {
		return nil
	}
	return []panel.Timing{{Name: "calls", Duration: p.Total, Desc: p.NavSubtitle()}}
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
	}
}
