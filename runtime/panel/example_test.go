package panel_test

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/go-ddt/ddt/runtime/toolbar/toolbartest"
	"html/template"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"

	"github.com/go-ddt/ddt/runtime/panel"
	"github.com/go-ddt/ddt/runtime/toolbar"
)

// FeatureFlags is the panel that the seed article builds in Python, in Go:
// the evaluations of feature flags in the request, with name, result and
// stack trace, and "3 evaluations" in the toolbar's list.
type FeatureFlags struct {
	panel.Base
	Evaluations []Evaluation
}

type Evaluation struct {
	Name   string
	Result string
	Stack  panel.Stack
}

var flagsTemplate = panel.MustParse(`{{if .Evaluations}}<table class="ddt-table">
<thead><tr><th>#</th><th>Name</th><th>Result</th><th>Stack trace</th></tr></thead>
<tbody>{{range $i, $e := .Evaluations}}
<tr><td>{{inc $i}}</td><td><code>{{.Name}}</code></td><td><code>{{.Result}}</code></td><td>{{template "ddt-stack" .Stack}}</td></tr>{{end}}
</tbody></table>
{{- else}}<p class="ddt-empty">No feature flag evaluations recorded.</p>{{end}}`)

func (*FeatureFlags) ID() string                   { return "flags" }
func (*FeatureFlags) Title() string                { return "Feature Flags" }
func (*FeatureFlags) Kinds() []string              { return []string{"flag"} }
func (*FeatureFlags) Template() *template.Template { return flagsTemplate }

func (p *FeatureFlags) NavSubtitle() string {
	return panel.Count(len(p.Evaluations), "evaluation", "evaluations")
}

func (p *FeatureFlags) Record(e *panel.Event) {
	p.Evaluations = append(p.Evaluations, Evaluation{e.Name, e.Arg("result"), panel.StackOf(e)})
}

// featureEnabled sends the event by hand, like the article's signal; a
// //ddt:flag directive above it would have ddt generate that instead.
func featureEnabled(ctx context.Context, name string) bool {
	result := name != "feature-b"
	toolbar.Emit(ctx, "flag", name, "result", result)
	return result
}

func Example() {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		for _, name := range []string{"feature-a", "feature-b", "feature-c"} {
			featureEnabled(r.Context(), name)
		}
		io.WriteString(w, "<html><body>My view</body></html>")
	})
	srv := httptest.NewServer(toolbar.Middleware(mux, toolbar.Options{
		Enable: toolbar.On, // a test is not built by ddt
		Panels: []func() panel.Panel{func() panel.Panel { return new(FeatureFlags) }},
	}))
	defer srv.Close()

	resp, _ := http.Get(srv.URL + "/my-view")
	id := resp.Header.Get(toolbar.RequestIDHeader)

	// What the toolbar's script loads: the panel list, then the panel.
	resp, _ = http.Get(srv.URL + "/__debug__/api/requests/" + id)
	var detail toolbartest.RequestDetail
	json.NewDecoder(resp.Body).Decode(&detail)
	for _, p := range detail.Panels {
		if p.ID == "flags" {
			fmt.Printf("%s: %s\n", p.NavTitle, p.NavSubtitle)
		}
	}
	resp, _ = http.Get(srv.URL + "/__debug__/panels/" + id + "/flags")
	html, _ := io.ReadAll(resp.Body)
	row := regexp.MustCompile(`<tr><td>(\d+)</td><td><code>(.*?)</code></td><td><code>(.*?)</code>`)
	for _, m := range row.FindAllStringSubmatch(string(html), -1) {
		fmt.Println(m[1], m[2], m[3])
	}
	// Output:
	// Feature Flags: 3 evaluations
	// 1 feature-a true
	// 2 feature-b false
	// 3 feature-c true
}
