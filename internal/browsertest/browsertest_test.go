package browsertest_test

import (
	"fmt"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/go-ddt/ddt/internal/browsertest"
)

// TestBrowser starts one browser and checks what tests rely on, each in a
// tab of its own.
func TestBrowser(t *testing.T) {
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

	// A real page: its script runs, JS errors are recorded, a condition is
	// awaited, and the screenshot is a PNG of the viewport's size.
	t.Run("tab", func(t *testing.T) {
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
	})

	// The browser cannot leave loopback by name: a fetch to a public host
	// fails, one to the test server works.
	t.Run("external hosts do not resolve", func(t *testing.T) {
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
	})

	// A cookie set in one tab is not sent by another, so tests sharing a
	// browser cannot see each other's state.
	t.Run("tabs are isolated", func(t *testing.T) {
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
	})
}

// TestMissingBrowser checks the rule for a missing browser: the test is
// skipped, unless DDT_REQUIRE_BROWSER=1 makes it fail.
func TestMissingBrowser(t *testing.T) {
	t.Setenv(browsertest.PathEnv, filepath.Join(t.TempDir(), "no-such-chromium"))
	if _, err := browsertest.ExecPath(); err == nil || !strings.Contains(err.Error(), "no-such-chromium") {
		t.Errorf("ExecPath() error = %v, want one naming the missing file", err)
	}
	for _, require := range []string{"", "1"} {
		t.Setenv(browsertest.RequireEnv, require)
		tb := &stoppingTB{TB: t}
		tb.run(func() { browsertest.Start(tb) })
		switch {
		case require == "" && (tb.skipped == "" || tb.failed != ""):
			t.Errorf("%s unset: skipped %q, failed %q; want a skip", browsertest.RequireEnv, tb.skipped, tb.failed)
		case require == "1" && (tb.failed == "" || tb.skipped != ""):
			t.Errorf("%s=1: skipped %q, failed %q; want a failure", browsertest.RequireEnv, tb.skipped, tb.failed)
		}
	}
}

// stoppingTB records a skip or a fatal failure instead of reporting it,
// and stops the goroutine as the testing package does.
type stoppingTB struct {
	testing.TB
	skipped, failed string
}

func (tb *stoppingTB) Skipf(format string, args ...any) {
	tb.skipped = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (tb *stoppingTB) Fatalf(format string, args ...any) {
	tb.failed = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (tb *stoppingTB) run(f func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	<-done
}
