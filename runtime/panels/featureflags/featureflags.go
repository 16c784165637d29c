package featureflags

import (
	"embed"
	"html/template"

	"github.com/go-ddt/ddt/runtime/toolbar/panel"
)

//go:embed featureflags.html
var files embed.FS

var tmpl = panel.MustParseFS(files, "featureflags.html")

// Panel lists the flag evaluations of one request.
type Panel struct {
	panel.Base
	Evaluations []Evaluation
}

// Evaluation is one call of a //ddt:flag function.
type Evaluation struct {
	Name   string
	Result any    // the flag's value
	Panic  string // set when the evaluation panicked
	Stack  panel.Stack
}

// New returns an empty Feature Flags panel.
func New() panel.Panel { return new(Panel) }

func (*Panel) ID() string                   { return "featureflags" }
func (*Panel) Title() string                { return "Feature Flags" }
func (*Panel) Kinds() []string              { return []string{"flag"} }
func (*Panel) Template() *template.Template { return tmpl }

// NavSubtitle counts the evaluations: "3 evaluations".
func (p *Panel) NavSubtitle() string {
	return panel.Count(len(p.Evaluations), "evaluation", "evaluations")
}

// Record keeps one evaluation.
func (p *Panel) Record(e *panel.Event) {
	p.Evaluations = append(p.Evaluations, Evaluation{
		Name:   e.Name,
		Result: e.Result(),
		Panic:  e.Panic,
		Stack:  panel.StackOf(e),
	})
}
