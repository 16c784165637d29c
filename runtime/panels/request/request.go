package request

import (
	"embed"
	"fmt"
	"github.com/go-ddt/ddt/runtime/redact"
	"html/template"
	"net/http"
	"strings"

	"github.com/go-ddt/ddt/runtime/panel"
)

//go:embed request.html
var files embed.FS

var tmpl = panel.MustParseFS(files, "request.html")

// Panel describes one request.
type Panel struct {
	panel.Base
	Method     string
	URL        string // path and query, secret-looking query values redacted
	Host       string
	Proto      string
	RemoteAddr string
	Pattern    string // the ServeMux pattern that matched, if any
	PathValues []redact.Pair
	Query      []redact.Pair
	FormParsed bool          // the handler parsed a form body
	Form       []redact.Pair // the body's values
	Files      []redact.Pair // multipart files: field and file name
	Cookies    []redact.Pair // names only: values are redacted
}

// New returns an empty Request panel.
func New() panel.Panel { return new(Panel) }

func (*Panel) ID() string                   { return "request" }
func (*Panel) Title() string                { return "Request" }
func (*Panel) Template() *template.Template { return tmpl }

// NavSubtitle is the pattern that matched, or else the path.
func (p *Panel) NavSubtitle() string {
	if p.Pattern != "" {
		return p.Pattern
	}
	path, _, _ := strings.Cut(p.URL, "?")
	return path
}

// GenerateStats reads the request as the handler saw it, after routing.
// It reads the form only if the handler parsed it, so the body the handler
// read is never consumed by the toolbar.
func (p *Panel) GenerateStats(r *http.Request, _ *panel.Response) {
	query := r.URL.Query()
	p.Method, p.Host, p.Proto, p.RemoteAddr = r.Method, r.Host, r.Proto, r.RemoteAddr
	p.URL = redact.RedactURI(r.URL)
	p.Pattern = r.Pattern
	for _, name := range wildcards(r.Pattern) {
		p.PathValues = append(p.PathValues, redact.Pair{Name: name, Value: redact.Redact(name, r.PathValue(name))})
	}
	p.Query = redact.Pairs(query)
	if r.PostForm != nil {
		p.FormParsed = true
		p.Form = redact.Pairs(r.PostForm)
	}
	if r.MultipartForm != nil {
		p.FormParsed = true
		if r.PostForm == nil {
			p.Form = redact.Pairs(r.MultipartForm.Value)
		}
		for field, fhs := range r.MultipartForm.File {
			for _, fh := range fhs {
				p.Files = append(p.Files, redact.Pair{Name: field, Value: fmt.Sprintf("%s (%d bytes)", fh.Filename, fh.Size)})
			}
		}
	}
	for _, c := range r.Cookies() {
		p.Cookies = append(p.Cookies, redact.Pair{Name: c.Name, Value: redact.Redacted})
	}
}

// wildcards returns the names of a ServeMux pattern's wildcards:
// "GET /users/{id}/files/{path...}" has id and path.
func wildcards(pattern string) []string {
	var names []string
	for {
		i := strings.IndexByte(pattern, '{')
		if i < 0 {
			return names
		}
		j := strings.IndexByte(pattern[i:], '}')
		if j < 0 {
			return names
		}
		name := strings.TrimSuffix(pattern[i+1:i+j], "...")
		if name != "$" && name != "" {
			names = append(names, name)
		}
		pattern = pattern[i+j+1:]
	}
}
