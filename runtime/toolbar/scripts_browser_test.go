package toolbar_test

import (
	"html/template"
	"io"
	"net/http"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/go-ddt/ddt/internal/browsertest"
	"github.com/go-ddt/ddt/runtime/panel"
	"github.com/go-ddt/ddt/runtime/toolbar"
	"github.com/go-ddt/ddt/runtime/toolbar/toolbartest"
)

// scriptedPanel ships a script of its own (panel.Scripter) and an inline
// one in its content, which must never run.
type scriptedPanel struct{ panel.Base }

var scriptedTemplate = panel.MustParse(`<p class="target">not enhanced</p><script>window.__inline = 1</script>`)

func (*scriptedPanel) ID() string                   { return "scripted" }
func (*scriptedPanel) Title() string                { return "Scripted" }
func (*scriptedPanel) Template() *template.Template { return scriptedTemplate }
func (*scriptedPanel) Scripts() []string            { return []string{"/static/scripted-panel.js"} }

const scriptedPanelJS = `window.addEventListener("ddt:panel-shown", function (e) {
  if (e.detail.panel !== "scripted") return;
  window.__shown = (window.__shown || 0) + 1;
  e.detail.root.querySelector(".target").textContent = "enhanced for " + e.detail.request;
});`

// TestPanelScripts: a panel's own script is loaded once, hears each time
// the panel is shown, and can enhance its content; a script inside the
// content never runs.
func TestPanelScripts(t *testing.T) {
	browser := browsertest.Start(t)
	mux := http.NewServeMux()
	mux.HandleFunc("/static/scripted-panel.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		io.WriteString(w, scriptedPanelJS)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<!doctype html><html><body><p>page</p></body></html>")
	})
	s := toolbartest.NewServer(t, mux, toolbar.Options{Panels: []func() panel.Panel{func() panel.Panel { return new(scriptedPanel) }}})

	tab := browser.NewTab(t)
	tab.Navigate(s.URL + "/")
	btn := toolbarRoot + `.querySelector('.ddt-nav-btn[data-panel="scripted"]')`
	tab.WaitJS("the Scripted panel in the list", `document.querySelector("ddt-toolbar") && `+btn)
	id := browsertest.Eval[string](tab, `document.querySelector("ddt-toolbar").getAttribute("data-ddt-request")`)
	for round := 1; round <= 2; round++ {
		tab.Do(chromedp.Click(chromedp.JSPath(btn)))
		tab.WaitJS("the panel and its script", toolbarRoot+`.querySelector(".ddt-root").getAttribute("data-ddt-loaded") === "scripted"`)
		if got := browsertest.Eval[string](tab, toolbarRoot+`.querySelector(".ddt-panel-body .target").textContent`); got != "enhanced for "+id {
			t.Errorf("round %d: content = %q", round, got)
		}
		tab.Do(chromedp.Click(chromedp.JSPath(btn))) // close
	}
	if got := browsertest.Eval[int](tab, `document.querySelectorAll('script[src="/static/scripted-panel.js"]').length`); got != 1 {
		t.Errorf("panel script loaded %d times, want once", got)
	}
	if got := browsertest.Eval[string](tab, `String(window.__shown) + " " + String(window.__inline)`); got != "2 undefined" {
		t.Errorf("shown/inline = %s, want the event twice and no inline script: %s", got, strconv.Quote(got))
	}
}
