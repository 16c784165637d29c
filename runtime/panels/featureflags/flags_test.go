package featureflags_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	ddtrt "github.com/go-ddt/ddt/runtime/ddtrt"
	"github.com/go-ddt/ddt/runtime/featureflag"
	"github.com/go-ddt/ddt/runtime/panels/featureflags"
	"github.com/go-ddt/ddt/runtime/toolbar"
	"github.com/go-ddt/ddt/runtime/toolbar/toolbartest"
)

var (
	siteFeatureEnabled = ddtrt.Site{Kind: "flag", Func: "featureflags_test.featureEnabled", Params: []string{"ctx", "name"}, Results: []string{""}, Ctx: 0, Req: -1, NameArg: 1}
	siteVariant        = ddtrt.Site{Kind: "flag", Func: "featureflags_test.variant", Params: []string{"ctx", "name"}, Results: []string{"", ""}, Ctx: 0, Req: -1, NameArg: 1}
)

// featureEnabled and variant are //ddt:flag functions, in the shape ddt
// instrument generates (generated code v2).
func featureEnabled(ctx context.Context, name string) (__ddt_r0 bool) {
	if ddtrt.Active() {
		__ddt_c := ddtrt.Enter(&siteFeatureEnabled, ctx, name)
		defer exit1(__ddt_c, &__ddt_r0)
	}
	if name == "broken" {
		panic("no such flag")
	}
	return name != "old-sidebar"
}

func variant(ctx context.Context, name string) (__ddt_r0 string, __ddt_r1 error) {
	if ddtrt.Active() {
		__ddt_c := ddtrt.Enter(&siteVariant, ctx, name)
		defer exit2(__ddt_c, &__ddt_r0, &__ddt_r1)
	}
	if name == "" {
		return "", fmt.Errorf("no flag name")
	}
	return "control", nil
}

func exit1[R0 interface{}](c *ddtrt.Call, r0 *R0) {
	if o, ok := c.Exit(recover(), *r0).(R0); ok {
		*r0 = o
	}
}

func exit2[R0, R1 interface{}](c *ddtrt.Call, r0 *R0, r1 *R1) {
	if o, ok := c.Exit(recover(), *r0, *r1).(R0); ok {
		*r0 = o
	}
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
		if r := p.Rows[0]; r.Key != "redesigned-dashboard" || r.Value != "true" || r.Type != "bool" || r.Func != "featureflags_test.featureEnabled" || r.Stack.Frames[0].Line == 0 {
			t.Errorf("first evaluation: %+v", p.Rows[0])
		}
		for _, want := range []string{
			`<td><code>redesigned-dashboard</code></td>`,
			`<td><code class="ddt-func">featureflags_test.featureEnabled</code></td>`,
			`<td data-ddt-flag-value><code>true</code></td>`,
			`<button type="button" class="ddt-btn" data-ddt-flag-set="redesigned-dashboard" data-ddt-flag-to="true">On</button>`,
			`<code class="ddt-func">github.com/go-ddt/ddt/runtime/panels/featureflags_test.TestPanelThroughMarkedFunction.func1.1</code>`,
		} {
			if !strings.Contains(withoutWbr(html), want) {
				t.Errorf("%d evaluations: no\n%s\nin\n%s", n, want, html)
			}
		}
		if n == 3 && !strings.Contains(html, `<span class="ddt-error">panic: &#34;no such flag&#34;</span>`) {
			t.Errorf("the panicking evaluation is not shown:\n%s", html)
		}
	}
}

// TestOverrides: the override cookie changes what marked functions return
// in requests the toolbar records, the panel shows the override and the
// real result, and a bad cookie applies nothing and says why.
func TestOverrides(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		v, err := variant(r.Context(), "checkout")
		fmt.Fprintf(w, "<html><body>dashboard=%v checkout=%s err=%v</body></html>",
			featureEnabled(r.Context(), "redesigned-dashboard"), v, err)
	})
	s := toolbartest.NewServer(t, mux, toolbar.Options{})
	get := func(cookie string) (string, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", s.URL+"/", nil)
		if cookie != "" {
			req.AddCookie(&http.Cookie{Name: featureflag.OverrideCookie, Value: cookie})
		}
		resp, body := s.Do(req)
		page := string(body)
		page = page[:strings.Index(page, "</body>")]
		return page, s.RequestID(resp)
	}

	page, _ := get("")
	if !strings.Contains(page, "dashboard=true checkout=control") {
		t.Errorf("no overrides: %s", page)
	}

	page, id := get((featureflag.Overrides{"redesigned-dashboard": "false", "checkout": "treatment <b>"}).String())
	if !strings.Contains(page, "dashboard=false checkout=treatment <b> err=<nil>") {
		t.Errorf("overridden: %s", page)
	}
	if got := s.Nav(id, "featureflags").NavSubtitle; got != "2 evaluations, 2 overridden" {
		t.Errorf("nav subtitle %q", got)
	}
	var p featureflags.Panel
	s.Stats(id, "featureflags", &p)
	if r := p.Rows[0]; r.Key != "checkout" || r.Value != "control" || r.Override != "treatment <b>" || r.Type != "string" || !r.InCookie {
		t.Errorf("variant row %+v", r)
	}
	if r := p.Rows[1]; r.Value != "true" || r.Override != "false" || r.CookieValue != "false" {
		t.Errorf("bool row %+v", r)
	}
	html := s.Panel(id, "featureflags")
	for _, want := range []string{
		`<td data-ddt-flag-value><code>false</code> <strong data-ddt-flag-overridden>overridden</strong><br><span class="ddt-muted">real: <code>true</code></span></td>`,
		`<code>treatment &lt;b&gt;</code> <strong data-ddt-flag-overridden>overridden</strong>`,
		`<input type="text" size="10" aria-label="Value of checkout" data-ddt-flag-input="checkout" value="treatment &lt;b&gt;">`,
		`<button type="button" class="ddt-btn" data-ddt-flag-clear="checkout">Clear</button>`,
		`<button type="button" class="ddt-btn" data-ddt-flags-clear-all>Clear all</button>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("no\n%s\nin\n%s", want, html)
		}
	}

	// A value a bool flag cannot take: listed, not applied, and said so.
	page, id = get("redesigned-dashboard=maybe")
	if !strings.Contains(page, "dashboard=true") {
		t.Errorf("an unusable override applied: %s", page)
	}
	if html := s.Panel(id, "featureflags"); !strings.Contains(html, `data-ddt-flag-not-applied>forced to <code>maybe</code>, not applied here`) {
		t.Errorf("the unapplied override is not explained:\n%s", html)
	}

	// A malformed cookie: nothing applies, the panel says why and offers
	// to clear it.
	page, id = get("redesigned-dashboard=false&checkout")
	if !strings.Contains(page, "dashboard=true checkout=control") {
		t.Errorf("a malformed cookie applied: %s", page)
	}
	html = s.Panel(id, "featureflags")
	if !strings.Contains(html, `Flag overrides not applied: cookie ddt_flags: entry 2: no &#39;=&#39; in &#34;checkout&#34;`) || !strings.Contains(html, "data-ddt-flags-clear-all") {
		t.Errorf("the malformed cookie is not reported:\n%s", html)
	}
}

// TestOverridesOnlyForShownClients: a request the toolbar is not shown to
// gets the real values whatever cookie it sends.
func TestOverridesOnlyForShownClients(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "dashboard=%v", featureEnabled(r.Context(), "redesigned-dashboard"))
	})
	s := toolbartest.NewServer(t, mux, toolbar.Options{Show: func(r *http.Request) bool { return r.Header.Get("X-Dev") == "1" }})
	for _, tc := range []struct{ dev, want string }{{"1", "dashboard=false"}, {"", "dashboard=true"}} {
		req, _ := http.NewRequest("GET", s.URL+"/", nil)
		req.Header.Set("X-Dev", tc.dev)
		req.AddCookie(&http.Cookie{Name: featureflag.OverrideCookie, Value: "redesigned-dashboard=false"})
		_, body := s.Do(req)
		if string(body) != tc.want {
			t.Errorf("X-Dev %q: %q, want %q", tc.dev, body, tc.want)
		}
	}
}

func TestScriptRoute(t *testing.T) {
	s := toolbartest.NewServer(t, http.NotFoundHandler(), toolbar.Options{})
	resp, body := s.Get("/__debug__/ext/featureflags/overrides.js")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") || !strings.Contains(string(body), `var COOKIE = "ddt_flags"`) {
		t.Errorf("overrides.js: %d %s\n%.200s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
}

// withoutWbr removes the line break opportunities that stack traces put
// between the parts of qualified names and paths.
func withoutWbr(html string) string { return strings.ReplaceAll(html, "<wbr>", "") }
