package cli

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/go-ddt/ddt/internal/gomod"

	"github.com/chromedp/chromedp"
	"github.com/go-ddt/ddt/internal/browsertest"
)

// TestSearchAppInBrowser is the custom-kind example end to end: the app in
// testdata/searchapp marks its search function //ddt:search and registers
// the panel that ddt panelgen generated from its search.yaml. It is built
// with ddt build, run, and in chromium the Search panel lists the request's
// queries with their stack traces.
func TestSearchAppInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("builds an app and starts a browser")
	}
	browser := browsertest.Start(t)
	app := copySearchApp(t)
	bin := filepath.Join(t.TempDir(), "searchapp")
	var stderr strings.Builder
	if code := Main([]string{"build", "-C", app, "-o", bin, "."}, nil, io.Discard, &stderr); code != 0 {
		t.Fatalf("ddt build: exit %d\n%s", code, stderr.String())
	}
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0")
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, _ := bufio.NewReader(out).ReadString('\n')
	m := regexp.MustCompile(`serving on (http://\S+/)`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("searchapp said %q", line)
	}

	tab := browser.NewTab(t)
	tab.Navigate(m[1] + "?q=bicycle")
	tab.WaitJS("the toolbar", `document.querySelector("ddt-toolbar") && `+inToolbar(`.ddt-nav-btn[data-panel="search"]`))
	if got := browsertest.Eval[string](tab, inToolbar(`.ddt-nav-item[data-panel="search"]`)+".textContent"); !strings.Contains(got, "2 queries") {
		t.Errorf("Search nav item = %q, want 2 queries", got)
	}
	tab.Do(chromedp.Click(chromedp.JSPath(inToolbar(`.ddt-nav-btn[data-panel="search"]`))))
	tab.WaitJS("the Search panel", inToolbar(".ddt-root")+`.getAttribute("data-ddt-loaded") === "search"`)
	rows := browsertest.Eval[[]string](tab, `Array.from(`+demoToolbar+`.querySelectorAll(".ddt-panel-body table:not(.ddt-kv) tbody tr"), tr => Array.from(tr.cells).slice(0, 4).map(c => c.textContent.trim()).join("|"))`)
	if want := []string{"1|products|bicycle|3", "2|articles|bicycle|1"}; strings.Join(rows, " ") != strings.Join(want, " ") {
		t.Errorf("Search rows = %q, want %q", rows, want)
	}
	tab.Do(chromedp.Click(chromedp.JSPath(inToolbar(".ddt-panel-body details.ddt-stack summary"))))
	tab.WaitJS("an open stack trace", inToolbar(".ddt-panel-body details.ddt-stack[open] .ddt-frame"))
	frame := browsertest.Eval[string](tab, inToolbar(".ddt-panel-body details.ddt-stack[open] .ddt-frame:not(.ddt-frame-hidden)")+".textContent")
	if !strings.Contains(frame, "main.handler.func1") || !strings.Contains(frame, "main.go:") {
		t.Errorf("first stack frame = %q, want the handler in main.go", frame)
	}
	summary := browsertest.Eval[string](tab, inToolbar(".ddt-panel-body table.ddt-kv")+".textContent")
	if !strings.Contains(summary, "Per index") || !strings.Contains(summary, "products") {
		t.Errorf("summary = %q", summary)
	}
}

// copySearchApp copies testdata/searchapp to a temporary directory, with
// its replace directive pointing at this checkout.
func copySearchApp(t *testing.T) string {
	t.Helper()
	src := filepath.Join(gomod.CheckoutDir(), "testdata", "searchapp")
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			if d.Name() == ".ddt" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if rel == "go.mod" {
			data = []byte(strings.Replace(string(data), "=> ../..", "=> "+gomod.CheckoutDir(), 1))
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}
