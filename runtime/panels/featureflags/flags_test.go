package featureflags_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	ddtrt "github.com/go-ddt/ddt/runtime/ddtrt"
	"github.com/go-ddt/ddt/runtime/panels/featureflags"
	"github.com/go-ddt/ddt/runtime/toolbar"
	"github.com/go-ddt/ddt/runtime/toolbar/toolbartest"
)

var siteFeatureEnabled = ddtrt.Site{Kind: "flag", Func: "featureflags_test.featureEnabled", Params: []string{"ctx", "name"}, Results: []string{""}, Ctx: 0, Req: -1, NameArg: 1}

// featureEnabled is a //ddt:flag function, in the shape ddt generates.
func featureEnabled(ctx context.Context, name string) (__ddt_r0 bool) {
	if ddtrt.Active() {
		__ddt_c := ddtrt.Enter(&siteFeatureEnabled, ctx, name)
		defer func() { __ddt_c.Exit(recover(), __ddt_r0) }()
	}
	if name == "broken" {
		panic("no such flag")
	}
	return name != "old-sidebar"
}

func TestPanelThroughMarkedFunction(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/flags/{n}", func(w http.ResponseWriter, r *http.Request) {
		names := []string{"redesigned-dashboard", "old-sidebar", "broken"}
		for _, name := range names[:len(r.PathValue("n"))] {
			func() {
				defer func() { recover() }()
				featureEnabled(r.Context(), name)
			}()
		}
		io.WriteString(w, "<html><body></body></html>")
	})
	s := toolbartest.NewServer(t, mux, toolbar.Options{})
	for n, subtitle := range []string{"0 evaluations", "1 evaluation", "2 evaluations", "3 evaluations"} {
		resp, _ := s.Get("/flags/" + strings.Repeat("x", n))
		id := s.RequestID(resp)
		if nav := s.Nav(id, "featureflags"); nav.NavSubtitle != subtitle || nav.Title != "Feature Flags" {
			t.Errorf("%d evaluations: nav %+v, want subtitle %q", n, nav, subtitle)
		}
		html := s.Panel(id, "featureflags")
		if n == 0 {
			if strings.TrimSpace(html) != `<p class="ddt-empty">No feature flag evaluations recorded.</p>` {
				t.Errorf("no evaluations: %q", html)
			}
			continue
		}
		var p featureflags.Panel
		s.Stats(id, "featureflags", &p)
		if p.Rows[0].Result != "true" || p.Rows[0].Stack.Frames[0].Line == 0 {
			t.Errorf("first evaluation: %+v", p.Rows[0])
		}
		for _, want := range []string{
			`<td class="ddt-num">1</td>
      <td><code>redesigned-dashboard</code></td>
      <td><code>true</code></td>
      <td><details class="ddt-stack"><summary>View stack trace</summary>`,
			`<code class="ddt-func">github.com/go-ddt/ddt/runtime/panels/featureflags_test.TestPanelThroughMarkedFunction.func1.1</code>`,
		} {
			if !strings.Contains(withoutWbr(html), want) {
				t.Errorf("%d evaluations: no\n%s\nin\n%s", n, want, html)
			}
		}
		if n == 3 && !strings.Contains(html, `<td><span class="ddt-error">panic: &#34;no such flag&#34;</span></td>`) {
			t.Errorf("the panicking evaluation is not shown:\n%s", html)
		}
	}
}

// withoutWbr removes the line break opportunities that stack traces put
// between the parts of qualified names and paths.
func withoutWbr(html string) string { return strings.ReplaceAll(html, "<wbr>", "") }
