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

// hostilePanel's content holds, as a careless panel's template could,
// markup that runs script: the toolbar must take it out before the content
// reaches the page, and keep the rest.
type hostilePanel struct{ panel.Base }

var hostileTemplate = panel.MustParse(`
<div class="t1" style="color: red" onclick="window.__pwned = 1" ONMOUSEOVER="window.__pwned = 2">a</div>
<img class="t2" alt="" src="x" onerror="window.__pwned = 3">
<a class="t3" href=" java&#x09;script:window.__pwned = 4">x</a>
<a class="t4" href="https://example.com/ok" title="kept">ok</a>
<form class="t5" action="javascript:window.__pwned = 5"><button class="t6" formaction="VBScript:x">b</button></form>
<svg class="t7"><a class="t8" xlink:href="javascript:window.__pwned = 6"><text>t</text></a></svg>
<iframe srcdoc="&lt;script&gt;parent.__pwned = 7&lt;/script&gt;"></iframe>
<p class="t9" data-x="on" title="onclick">kept</p>`)

func (*hostilePanel) ID() string                   { return "hostile" }
func (*hostilePanel) Title() string                { return "Hostile" }
func (*hostilePanel) Template() *template.Template { return hostileTemplate }

// TestPanelContentSanitized: event handler, style and srcdoc attributes,
// script URLs (in any case, with control characters inside) and frames are
// taken out of a panel's content; other attributes stay.
func TestPanelContentSanitized(t *testing.T) {
	browser := browsertest.Start(t)
	s := toolbartest.NewServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<!doctype html><html><body><p>page</p></body></html>")
	}), toolbar.Options{Panels: []func() panel.Panel{func() panel.Panel { return new(hostilePanel) }}})
	tab := browser.NewTab(t)
	tab.Navigate(s.URL + "/")
	btn := toolbarRoot + `.querySelector('.ddt-nav-btn[data-panel="hostile"]')`
	tab.WaitJS("the Hostile panel in the list", `document.querySelector("ddt-toolbar") && `+btn)
	tab.Do(chromedp.Click(chromedp.JSPath(btn)))
	tab.WaitJS("the panel", toolbarRoot+`.querySelector(".ddt-root").getAttribute("data-ddt-loaded") === "hostile"`)
	body := toolbarRoot + `.querySelector(".ddt-panel-body")`
	got := browsertest.Eval[string](tab, `Array.from(`+body+`.querySelectorAll("[class^=t]")).map(e => e.getAttribute("class") + ":" + e.getAttributeNames().filter(n => n !== "class").join(",")).join(" ")`)
	want := "t1: t2:alt,src t3: t4:href,title t5: t6: t7: t8: t9:data-x,title"
	if got != want {
		t.Errorf("attributes left:\n got %s\nwant %s", got, want)
	}
	if n := browsertest.Eval[int](tab, body+`.querySelectorAll("iframe, script").length`); n != 0 {
		t.Errorf("%d frames or scripts in the content", n)
	}
	tab.Do(chromedp.Click(chromedp.JSPath(body + `.querySelector(".t1")`)))
	if got := browsertest.Eval[string](tab, `String(window.__pwned)`); got != "undefined" {
		t.Errorf("window.__pwned = %s: the content ran script", got)
	}
}
