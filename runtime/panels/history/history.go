package history

import (
	"html/template"

	"github.com/go-ddt/ddt/runtime/panel"
)

var tmpl = panel.MustParse(`<p class="ddt-empty">The history of recent requests is listed by the toolbar's script.</p>`)

// Panel is the History panel; it has no stats of its own.
type Panel struct{ panel.Base }

// New returns the History panel.
func New() panel.Panel { return new(Panel) }

func (*Panel) ID() string                   { return "history" }
func (*Panel) Title() string                { return "History" }
func (*Panel) Template() *template.Template { return tmpl }
