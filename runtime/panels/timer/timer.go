package timer

import (
	"embed"
	"html/template"
	"net/http"
	"time"

	"github.com/go-ddt/ddt/runtime/panel"
)

//go:embed timer.html
var files embed.FS

var tmpl = panel.MustParseFS(files, "timer.html")

// Panel holds the timing of one request.
type Panel struct {
	panel.Base
	Started time.Time
	Total   time.Duration // from the toolbar's start to the handler's return
}

// New returns an empty Timer panel.
func New() panel.Panel { return new(Panel) }

func (*Panel) ID() string                   { return "timer" }
func (*Panel) Title() string                { return "Timer" }
func (*Panel) Template() *template.Template { return tmpl }

// NavSubtitle is the server time: "Total: 12.35 ms".
func (p *Panel) NavSubtitle() string { return "Total: " + panel.Milliseconds(p.Total) }

// GenerateStats takes the times from the response.
func (p *Panel) GenerateStats(_ *http.Request, resp *panel.Response) {
	p.Started, p.Total = resp.Start, resp.Duration
}
