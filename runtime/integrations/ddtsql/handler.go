package ddtsql

import (
	"bytes"
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
	"strings"

	"github.com/go-ddt/ddt/runtime/ext"
	"github.com/go-ddt/ddt/runtime/toolbar/access"
)

// init gives the SQL panel its EXPLAIN route, served by the toolbar behind
// its Show check: the panel links the queries recorded here to it. The
// toolbar does not import this package; a program that uses it does.
func init() {
	ext.Handle("sql", "GET /explain", &explainHandler{show: func(*http.Request) bool { return true }})
}

// ExplainHandler serves the EXPLAIN of recorded queries: GET with the
// query parameter ref, a reference from the SQL panel, answers an HTML
// fragment with the plan, or, asked with Accept: application/json, the
// [Plan] as JSON ({"error": "..."} on failure, with the same status). The SQL panel serves it as a route of the
// toolbar and links each explainable query to it; mount it yourself only to
// serve it elsewhere (and set the SQL panel's Options.ExplainURL):
//
//	mux.Handle("/debug/explain", ddtsql.ExplainHandler(nil))
//
// show decides who may use it, as toolbar.Options.Show does. nil applies
// the toolbar's default rule ([access.Default]): no one unless the program
// was built by ddt or DDT_ENABLE=1, then loopback clients whose Host names
// the machine and whose requests carry no forwarded headers. A show of
// your own decides alone.
func ExplainHandler(show func(*http.Request) bool) http.Handler {
	if show == nil {
		show = access.Default()
	}
	return &explainHandler{show: show}
}

type explainHandler struct {
	show func(*http.Request) bool
}

var explainTemplate = template.Must(template.New("explain").Parse(`<div class="ddt-explain">
{{- with .Plan}}
<p>{{.Command}} on <code>{{.Database}}</code>, inside a transaction that was rolled back:</p>
<pre><code>{{.SQL}}</code></pre>
<table class="ddt-table"><thead><tr>{{range .Columns}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>{{range .Rows}}<tr>{{range .}}<td><code>{{.}}</code></td>{{end}}</tr>{{end}}</tbody></table>
{{- if .More}}<p class="ddt-muted">More rows were left out.</p>{{end}}
{{- else}}
<p class="ddt-error">{{.Err}}</p>
{{- end}}
</div>
`))

func (h *explainHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !h.show(r) {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	status := http.StatusOK
	data := struct {
		Plan *Plan
		Err  string
	}{}
	plan, err := Explain(r.Context(), r.URL.Query().Get("ref"))
	switch {
	case errors.Is(err, ErrBadReference), errors.Is(err, ErrOtherKey):
		status, data.Err = http.StatusForbidden, err.Error()
	case errors.Is(err, ErrExpired), errors.Is(err, ErrOtherInstance):
		status, data.Err = http.StatusGone, err.Error()
	case err != nil:
		status, data.Err = http.StatusUnprocessableEntity, err.Error()
	default:
		data.Plan = plan
	}
	if wantsJSON(r) {
		writeJSON(w, status, data.Plan, data.Err)
		return
	}
	var b bytes.Buffer
	if err := explainTemplate.Execute(&b, data); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	access.SetPrivateHeaders(hdr)
	hdr.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

// wantsJSON reports whether the client asked for JSON rather than HTML.
func wantsJSON(r *http.Request) bool {
	for _, v := range r.Header.Values("Accept") {
		for t := range strings.SplitSeq(v, ",") {
			mt, _, _ := strings.Cut(t, ";")
			if strings.EqualFold(strings.TrimSpace(mt), "application/json") {
				return true
			}
		}
	}
	return false
}

// writeJSON answers the plan, or the error, as JSON.
func writeJSON(w http.ResponseWriter, status int, plan *Plan, errText string) {
	var v any = plan
	if plan == nil {
		v = map[string]string{"error": errText}
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "application/json")
	access.SetPrivateHeaders(hdr)
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
