package browsertest_test

import (
	"fmt"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-ddt/ddt/internal/browsertest"
)

// TestTab drives a real page: script runs, JS errors are recorded, a
// condition is awaited, and the screenshot is a decodable PNG of the
// viewport size.
func TestTab(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><title>start</title><body><p id=p>hello</p>
<script>
setTimeout(function () { document.title = "ready"; }, 50);
console.error("boom", 42);
</script></body>`)
	}))
	defer srv.Close()

	b := browsertest.Start(t)
	tab := b.NewTab(t)
	tab.Navigate(srv.URL)
	tab.WaitJS("the title to change", `document.title === "ready"`)
	if got := browsertest.Eval[string](tab, `document.getElementById("p").textContent`); got != "hello" {
		t.Errorf("text = %q, want hello", got)
	}
	if got := browsertest.Eval[int](tab, `Promise.resolve(6 * 7)`); got != 42 {
		t.Errorf("awaited promise = %d, want 42", got)
	}
	errs := tab.JSErrors()
	if len(errs) != 1 || !strings.Contains(errs[0], `"boom" 42`) {
		t.Errorf("JSErrors = %q, want the one console.error", errs)
	}

	path := filepath.Join(t.TempDir(), "sub", "shot.png")
	tab.Screenshot(path)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	if cfg.Width != 1280 || cfg.Height != 800 {
		t.Errorf("screenshot is %dx%d, want 1280x800", cfg.Width, cfg.Height)
	}
}

// TestExternalHostsDoNotResolve checks the browser cannot leave loopback by
// name: a fetch to a public host name fails, one to the test server works.
func TestExternalHostsDoNotResolve(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<!doctype html><p>ok</p>`)
	}))
	defer srv.Close()
	b := browsertest.Start(t)
	tab := b.NewTab(t)
	tab.Navigate(srv.URL)
	got := browsertest.Eval[string](tab, `fetch("http://example.com/", {mode: "no-cors"}).then(() => "reached", e => "failed")`)
	if got != "failed" {
		t.Errorf("fetch to example.com: %s, want failed", got)
	}
	got = browsertest.Eval[string](tab, `fetch(location.href).then(r => r.ok ? "reached" : "status " + r.status, e => "failed: " + e)`)
	if got != "reached" {
		t.Errorf("fetch to the loopback server: %s, want reached", got)
	}
}

// TestTabsAreIsolated checks that a cookie set in one tab is not sent by
// another, so tests sharing a browser cannot see each other's state.
func TestTabsAreIsolated(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<!doctype html><p>ok</p>`)
	}))
	defer srv.Close()
	b := browsertest.Start(t)
	one, two := b.NewTab(t), b.NewTab(t)
	one.Navigate(srv.URL)
	two.Navigate(srv.URL)
	browsertest.Eval[string](one, `document.cookie = "k=v; path=/"`)
	if got := browsertest.Eval[string](one, `document.cookie`); got != "k=v" {
		t.Fatalf("tab one: document.cookie = %q, want k=v", got)
	}
	if got := browsertest.Eval[string](two, `document.cookie`); got != "" {
		t.Errorf("tab two sees cookies %q, want none", got)
	}
}
