package templates

import (
	"embed"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-ddt/ddt/runtime/panel"
)

//go:embed templates.html
var files embed.FS

var tmpl = panel.MustParseFS(files, "templates.html")

// Panel lists the template executions of one request.
type Panel struct {
	panel.Base
	Executions []Execution // in the order they started
	Total      time.Duration
	Errors     int
}

// Execution is one template execution.
type Execution struct {
	Name     string
	Depth    int // how many executions contain this one
	Offset   time.Duration
	Duration time.Duration
	Bytes    int64
	Type     string // the data's type
	Data     []panel.Field
	Err      string
	Stack    panel.Stack
	start    time.Time
}

// New returns an empty Templates panel.
func New() panel.Panel { return new(Panel) }

func (*Panel) ID() string                   { return "templates" }
func (*Panel) Title() string                { return "Templates" }
func (*Panel) Kinds() []string              { return []string{"template"} }
func (*Panel) Template() *template.Template { return tmpl }

// HasContent is false for a request that executed no template.
func (p *Panel) HasContent() bool { return len(p.Executions) > 0 }

// NavSubtitle sums up: "3 templates in 1.20 ms".
func (p *Panel) NavSubtitle() string {
	return panel.Count(len(p.Executions), "template", "templates") + " in " + panel.Milliseconds(p.Total)
}

// ServerTiming reports the executions: tmpl;dur=1.2;desc="3 templates".
func (p *Panel) ServerTiming() []panel.Timing {
	if len(p.Executions) == 0 {
		return nil
	}
	return []panel.Timing{{Name: "tmpl", Duration: p.Total, Desc: panel.Count(len(p.Executions), "template", "templates")}}
}

// Record keeps one execution.
func (p *Panel) Record(e *panel.Event) {
	x := Execution{Name: e.Name, Duration: e.Duration, Data: e.Args, Stack: panel.StackOf(e), start: e.Start}
	for _, f := range e.Results {
		switch f.Name {
		case "type":
			x.Type = f.Text()
		case "depth":
			x.Depth = int(number(f))
		case "bytes":
			x.Bytes = number(f)
		case "err":
			x.Err = f.Text()
		}
	}
	if x.Depth == 0 {
		p.Total += x.Duration
	}
	if x.Err != "" {
		p.Errors++
	}
	p.Executions = append(p.Executions, x)
}

// GenerateStats orders the executions by their start: a nested execution
// ends, and is recorded, before the one that contains it.
func (p *Panel) GenerateStats(_ *http.Request, resp *panel.Response) {
	slices.SortStableFunc(p.Executions, func(a, b Execution) int { return a.start.Compare(b.start) })
	for i := range p.Executions {
		if x := &p.Executions[i]; !x.start.IsZero() && !resp.Start.IsZero() {
			x.Offset = max(x.start.Sub(resp.Start), 0)
		}
	}
}

// Whole returns the rendering of data that is not a struct or a map,
// which ddttemplate records as the one field "data", or "".
func (x Execution) Whole() string {
	if len(x.Data) == 1 && x.Data[0].Name == "data" {
		return x.Data[0].Value
	}
	return ""
}

// Indent is the prefix that shows the execution's nesting.
func (x Execution) Indent() string {
	return strings.Repeat("\u2003", x.Depth) + strings.Repeat("↳ ", min(x.Depth, 1))
}

func number(f panel.Field) int64 {
	switch v := f.Raw.(type) {
	case int:
		return int64(v)
	case int64:
		return v
	case float64:
		return int64(v)
	}
	n, _ := strconv.ParseInt(f.Value, 10, 64)
	return n
}
