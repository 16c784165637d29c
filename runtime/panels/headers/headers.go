package headers

import (
	"embed"
	"github.com/go-ddt/ddt/runtime/redact"
	"html/template"
	"net/http"

	"github.com/go-ddt/ddt/runtime/panel"
)

//go:embed headers.html
var files embed.FS

var tmpl = panel.MustParseFS(files, "headers.html")

// Panel lists the headers of one request and its response.
type Panel struct {
	panel.Base
	Request  []redact.Pair
	Response []redact.Pair
}

// New returns an empty Headers panel.
func New() panel.Panel { return new(Panel) }

func (*Panel) ID() string                   { return "headers" }
func (*Panel) Title() string                { return "Headers" }
func (*Panel) Template() *template.Template { return tmpl }

// GenerateStats copies the headers, redacted. The request's Host, which
// net/http keeps out of the header map, is listed too.
func (p *Panel) GenerateStats(r *http.Request, resp *panel.Response) {
	h := r.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Set("Host", r.Host)
	p.Request = redact.HeaderPairs(h)
	p.Response = redact.HeaderPairs(resp.Header)
}
