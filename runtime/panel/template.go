package panel

import (
	"html/template"
	"io/fs"
	"path"
	"strings"
)

// Fragments are the templates that every panel template parsed by
// [NewTemplate], [MustParse] or [MustParseFS] can call:
//
//	{{template "ddt-stack" .Stack}}     a Stack behind a "View stack trace" toggle
//	{{template "ddt-fields" .Args}}     []Field as "name=value, ..." in <code>
//	{{template "ddt-kv" .Headers}}      []Pair as a two-column table
//
// and the functions in [Funcs].
//
// A Stack that repeats an earlier one of the panel (Same, see [Stack])
// renders as a <span class="ddt-stack-same" data-ddt-same="ID"> saying so,
// even when the toolbar has given it its Frames back; the toolbar's script turns it into a toggle that puts a copy of
// the stack whose list has data-ddt-stack="ID" in its place. So the frames
// of a request's thousands of calls from one loop are sent, and parsed by
// the browser, once.
const Fragments = `
{{- define "ddt-stack" -}}{{ddtStack .}}{{- end -}}

{{- define "ddt-kv" -}}
{{- if . -}}
<table class="ddt-table ddt-kv"><tbody>
{{- range .}}
<tr><th><code>{{.Name}}</code></th><td><code>{{.Value}}</code></td></tr>
{{- end}}
</tbody></table>
{{- else -}}
<p class="ddt-empty">None.</p>
{{- end -}}
{{- end -}}

{{- define "ddt-fields" -}}{{ddtFields .}}{{- end -}}
`

// Funcs are the functions available in panel templates:
//
//	inc       i+1, for numbering rows from 1: {{inc $i}}
//	ms        a time.Duration as milliseconds: "12.35 ms"
//	count     a count and a noun: {{count (len .Rows) "row" "rows"}}
//	editURL   an editor link made safe for href (see [Frame])
//	breakable text with a line break opportunity after each '.' and '/',
//	          for qualified names and paths in narrow columns
//
// ddtStack and ddtFields render the "ddt-stack" and "ddt-fields"
// fragments; call the fragments rather than them.
var Funcs = template.FuncMap{
	"inc":       func(i int) int { return i + 1 },
	"ms":        Milliseconds,
	"count":     Count,
	"editURL":   safeEditURL,
	"breakable": breakable,
	"ddtStack":  stackHTML,
	"ddtFields": fieldsHTML,
}

// NewTemplate returns an empty template called name that already has the
// [Fragments] and [Funcs]; add functions of your own and parse into it.
func NewTemplate(name string) *template.Template {
	return template.Must(template.New(name).Funcs(Funcs).Parse(Fragments))
}

// MustParse returns a panel template parsed from text, with the
// [Fragments] and [Funcs]. It panics on a syntax error, so use it to
// initialize package-level variables.
func MustParse(text string) *template.Template {
	return template.Must(NewTemplate("panel").Parse(text))
}

// MustParseFS is [MustParse] for the named file of fsys, typically an
// embed.FS holding the panel's template next to its code.
func MustParseFS(fsys fs.FS, file string) *template.Template {
	return template.Must(NewTemplate(path.Base(file)).ParseFS(fsys, file))
}

// safeEditURL lets an editor link through html/template's URL filter,
// which rejects schemes other than http, https and mailto, while still
// refusing the ones that run code.
func safeEditURL(s string) template.URL {
	scheme, _, ok := strings.Cut(s, ":")
	if !ok || s == "" {
		return ""
	}
	switch strings.ToLower(strings.TrimSpace(scheme)) {
	case "javascript", "vbscript", "data":
		return ""
	}
	for _, r := range scheme {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.') {
			return ""
		}
	}
	return template.URL(s)
}
