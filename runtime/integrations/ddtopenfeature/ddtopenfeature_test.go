package ddtopenfeature_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/go-ddt/ddt/runtime/featureflag"
	"github.com/go-ddt/ddt/runtime/integrations/ddtopenfeature"
	"github.com/go-ddt/ddt/runtime/panels/featureflags"
	"github.com/go-ddt/ddt/runtime/toolbar"
	"github.com/go-ddt/ddt/runtime/toolbar/toolbartest"
	"github.com/open-feature/go-sdk/openfeature"
	"github.com/open-feature/go-sdk/openfeature/memprovider"
)

// flags are the in-memory provider's: new-checkout is on for alice
// (targeting), theme and limit are static.
func flags() map[string]memprovider.InMemoryFlag {
	targeting := func(f memprovider.InMemoryFlag, flat openfeature.FlattenedContext) (any, openfeature.ProviderResolutionDetail) {
		variant := "off"
		if flat[openfeature.TargetingKey] == "alice" {
			variant = "on"
		}
		return f.Variants[variant], openfeature.ProviderResolutionDetail{
			Reason: openfeature.TargetingMatchReason, Variant: variant,
			FlagMetadata: openfeature.FlagMetadata{"flagSetId": "checkout", "owner": "payments", "apiToken": "s3cr3t"},
		}
	}
	return map[string]memprovider.InMemoryFlag{
		"new-checkout": {Key: "new-checkout", State: memprovider.Enabled, DefaultVariant: "off",
			Variants: map[string]any{"on": true, "off": false}, ContextEvaluator: &targeting},
		"theme": {Key: "theme", State: memprovider.Enabled, DefaultVariant: "light",
			Variants: map[string]any{"light": "light", "dark": "dark"}},
		"limit": {Key: "limit", State: memprovider.Enabled, DefaultVariant: "ten",
			Variants: map[string]any{"ten": int64(10)}},
		"layout": {Key: "layout", State: memprovider.Enabled, DefaultVariant: "grid",
			Variants: map[string]any{"grid": map[string]any{"columns": 3}}},
	}
}

// newClient registers a provider under a domain of the test's own, with
// the hook on the client, and returns the client.
func newClient(t *testing.T, wrap bool) *openfeature.Client {
	t.Helper()
	var p openfeature.FeatureProvider = memprovider.NewInMemoryProvider(flags())
	if wrap {
		p = ddtopenfeature.Provider(p)
	}
	if err := openfeature.SetNamedProviderAndWait(t.Name(), p); err != nil {
		t.Fatal(err)
	}
	c := openfeature.NewClient(t.Name())
	c.AddHooks(ddtopenfeature.NewHook())
	return c
}

// page evaluates the flags as a handler would, and writes what it got.
func page(c *openfeature.Client) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		user := openfeature.NewTargetlessEvaluationContext(nil)
		if u := r.URL.Query().Get("user"); u != "" {
			user = openfeature.NewEvaluationContext(u, nil)
		}
		checkout, err := c.BooleanValueDetails(ctx, "new-checkout", false, user)
		theme, _ := c.StringValue(ctx, "theme", "light", user)
		limit, _ := c.IntValue(ctx, "limit", 5, user)
		_, missingErr := c.BooleanValue(ctx, "missing", false, user)
		c.ObjectValue(ctx, "layout", nil, user)
		// A goroutine of the handler's, without the request's context:
		// attributed by the labels it inherited, never overridden.
		var wg sync.WaitGroup
		var inGoroutine bool
		wg.Go(func() { inGoroutine, _ = c.BooleanValue(context.Background(), "new-checkout", false, user) })
		wg.Wait()
		_, stamped := checkout.FlagMetadata["ddt.resolution"]
		fmt.Fprintf(w, "<html><body>checkout=%v theme=%s limit=%d missing=%v goroutine=%v stamp-visible=%v err=%v</body></html>",
			checkout.Value, theme, limit, missingErr != nil, inGoroutine, stamped, err)
	}
}

func get(t *testing.T, s *toolbartest.Server, path, cookie string) (string, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", s.URL+path, nil)
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: featureflag.OverrideCookie, Value: cookie})
	}
	resp, body := s.Do(req)
	b := string(body)
	if i := strings.Index(b, "</body>"); i >= 0 {
		b = b[:i]
	}
	return b, s.RequestID(resp)
}

func TestHookAndProviderThroughHTTP(t *testing.T) {
	c := newClient(t, true)
	s := toolbartest.NewServer(t, page(c), toolbar.Options{})

	body, id := get(t, s, "/?user=alice", "")
	if want := "checkout=true theme=light limit=10 missing=true goroutine=true stamp-visible=false err=<nil>"; !strings.Contains(body, want) {
		t.Errorf("page: %s, want %s", body, want)
	}
	var p featureflags.Panel
	s.Stats(id, "featureflags", &p)
	if len(p.Rows) != 6 {
		t.Fatalf("%d rows, want 6: %+v", len(p.Rows), p.Rows)
	}
	r := p.Rows[0]
	if r.Key != "new-checkout" || r.Value != "true" || r.Type != "bool" || r.Variant != "on" || r.Reason != "targeting_match" ||
		r.ContextID != "alice" || r.Provider != "InMemoryProvider" || r.Duration <= 0 || r.Func != "" || r.Override != "" {
		t.Errorf("new-checkout: %+v", r)
	}
	if got := fmt.Sprint(r.Metadata); got != "[{apiToken ********} {feature_flag.set.id checkout} {owner payments}]" {
		t.Errorf("metadata %s", got)
	}
	if f := r.Stack.Frames[0]; !strings.HasSuffix(f.Func, "page.func1") || !strings.HasSuffix(f.File, "ddtopenfeature_test.go") {
		t.Errorf("the stack starts at %s (%s:%d), not at the handler", f.Func, f.File, f.Line)
	}
	for _, f := range r.Stack.Frames {
		if strings.Contains(f.Func, "open-feature/go-sdk") {
			t.Errorf("an SDK frame in the stack: %s", f.Func)
		}
	}
	if r := p.Rows[1]; r.Key != "theme" || r.Value != "light" || r.Type != "string" || r.Variant != "light" || r.Reason != "static" {
		t.Errorf("theme: %+v", r)
	}
	if r := p.Rows[2]; r.Key != "limit" || r.Value != "10" || r.Type != "number" {
		t.Errorf("limit: %+v", r)
	}
	if r := p.Rows[3]; r.Key != "missing" || r.ErrorType != "flag_not_found" || r.ErrorMessage != "flag for key missing not found" || r.Reason != "error" || r.Value != "false" {
		t.Errorf("missing: %+v", r)
	}
	if r := p.Rows[4]; r.Key != "layout" || r.Type != "" || r.Value != "map[string]interface {}{…}" {
		t.Errorf("layout: %+v", r)
	}
	if r := p.Rows[5]; r.Key != "new-checkout" || r.Value != "true" {
		t.Errorf("the goroutine's evaluation: %+v", r)
	}
	html := s.Panel(id, "featureflags")
	for _, want := range []string{
		`variant <code>on</code><br>reason <code>targeting_match</code><br>targeting key <code>alice</code><br>provider InMemoryProvider<br>`,
		`<span class="ddt-error">flag_not_found: flag for key missing not found</span>`,
		`<span class="ddt-muted">not overridable: a map[string]interface {}</span>`,
		`<span class="ddt-muted">owner</span> <code>payments</code>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("no\n%s\nin\n%s", want, html)
		}
	}

	// Overrides: the handler's evaluations get them, the real results
	// are shown beside them; the goroutine without the context does not.
	body, id = get(t, s, "/?user=alice", (featureflag.Overrides{"new-checkout": "false", "theme": "dark", "limit": "7", "missing": "true", "layout": "x"}).String())
	if want := "checkout=false theme=dark limit=7 missing=false goroutine=true stamp-visible=false err=<nil>"; !strings.Contains(body, want) {
		t.Errorf("overridden page: %s, want %s", body, want)
	}
	p = featureflags.Panel{}
	s.Stats(id, "featureflags", &p)
	for i, want := range []struct{ key, value, override, reason string }{
		{"new-checkout", "true", "false", "targeting_match"},
		{"theme", "light", "dark", "static"},
		{"limit", "10", "7", "static"},
		{"missing", "false", "true", "error"},
		{"layout", "map[string]interface {}{…}", "", "static"},
		{"new-checkout", "true", "", "targeting_match"},
	} {
		r := p.Rows[i]
		if r.Key != want.key || r.Value != want.value || r.Override != want.override || r.Reason != want.reason {
			t.Errorf("row %d: %s value %q override %q reason %q, want %+v", i, r.Key, r.Value, r.Override, r.Reason, want)
		}
	}
	if got := s.Nav(id, "featureflags").NavSubtitle; got != "6 evaluations, 4 overridden" {
		t.Errorf("nav subtitle %q", got)
	}
}

// TestHookAlone: without the provider wrapper the hook records every
// evaluation, without its duration, and overrides do not apply.
func TestHookAlone(t *testing.T) {
	c := newClient(t, false)
	s := toolbartest.NewServer(t, page(c), toolbar.Options{})
	body, id := get(t, s, "/?user=bob", "new-checkout=true")
	if !strings.Contains(body, "checkout=false theme=light") {
		t.Errorf("page: %s", body)
	}
	var p featureflags.Panel
	s.Stats(id, "featureflags", &p)
	if len(p.Rows) != 6 || p.Rows[0].Value != "false" || p.Rows[0].Variant != "off" || p.Rows[0].ContextID != "bob" || p.Rows[0].Duration != 0 || p.Rows[0].Override != "" {
		t.Errorf("rows %+v", p.Rows)
	}
}

// TestNotRecording: outside a recorded request nothing is stamped, recorded
// or overridden.
func TestNotRecording(t *testing.T) {
	c := newClient(t, true)
	d, err := c.BooleanValueDetails(context.Background(), "new-checkout", false, openfeature.NewEvaluationContext("alice", nil))
	if err != nil || !d.Value || d.Variant != "on" || len(d.FlagMetadata) != 3 {
		t.Errorf("details %+v, %v", d, err)
	}
}
