package timeline_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/go-ddt/ddt/internal/browsertest"
	"github.com/go-ddt/ddt/runtime/toolbar"
)

// root is the toolbar's shadow root, as page JavaScript reaches it.
const root = `document.querySelector("ddt-toolbar").shadowRoot`

func q(css string) string { return root + ".querySelector(" + strconv.Quote(css) + ")" }

// tab is a browser tab on a page with the toolbar.
type tab struct {
	*browsertest.Tab
	t *testing.T
}

func (u tab) eval(expr string) string { u.t.Helper(); return browsertest.Eval[string](u.Tab, expr) }
func (u tab) num(expr string) float64 { u.t.Helper(); return browsertest.Eval[float64](u.Tab, expr) }

// load opens url and waits for the toolbar's panel list.
func (u tab) load(url string) {
	u.t.Helper()
	u.Navigate(url)
	u.WaitJS("the panel list", `document.querySelector("ddt-toolbar") && `+q(`.ddt-nav-btn[data-panel="timeline"]`))
}

// open clicks a panel in the list and waits for its content.
func (u tab) open(id string) {
	u.t.Helper()
	browsertest.Eval[bool](u.Tab, q(`.ddt-nav-btn[data-panel="`+id+`"]`)+`.click() === undefined`)
	u.WaitJS("panel "+id, q(".ddt-root")+`.getAttribute("data-ddt-loaded") === `+strconv.Quote(id))
}

// click clicks the element with the mouse, at its center.
func (u tab) click(css string) {
	u.t.Helper()
	u.Do(chromedp.Click(chromedp.JSPath(q(css))))
}

// box returns an element's left, width, top and height, in pixels.
func (u tab) box(css string) [4]float64 {
	u.t.Helper()
	return browsertest.Eval[[4]float64](u.Tab, `(r => [r.left, r.width, r.top, r.height])(`+q(css)+`.getBoundingClientRect())`)
}

// TestBrowser opens the Timeline of the request of handler (timeline_test.go)
// in chromium: the handler's span on top, the traced call inside it and
// the query inside that, the flags of two goroutines in lanes of their
// own; a click on a bar shows its event with its stack trace, whose
// button opens the panel of its kind; zoom widens the waterfall.
func TestBrowser(t *testing.T) {
	b := browsertest.Start(t)
	srv := httptest.NewServer(toolbar.Middleware(http.HandlerFunc(handler), toolbar.Options{Enable: toolbar.On}))
	defer srv.Close()
	u := tab{b.NewTab(t), t}
	u.Do(chromedp.EmulateViewport(1280, 800))
	u.load(srv.URL + "/page")
	if got := u.eval(q(`.ddt-nav-item[data-panel="timeline"] .ddt-nav-subtitle`) + ".textContent"); got != "5 events, 3 goroutines" {
		t.Errorf("subtitle %q", got)
	}
	u.open("timeline")
	if n := u.num(root + `.querySelectorAll(".ddt-tl-lane").length`); n != 3 {
		t.Errorf("%v lanes, want 3", n)
	}
	request := u.box(".ddt-tl-request")
	load := u.box(`.ddt-tl-k-trace`)
	sql := u.box(`.ddt-tl-k-sql`)
	logged := u.box(`.ddt-tl-k-log`)
	// Nested bars lie within their parent's extent, one row lower.
	const slack = 1.5
	if !(load[0] >= request[0]-slack && load[0]+load[1] <= request[0]+request[1]+slack && load[2] > request[2]) {
		t.Errorf("load %v not inside and below the handler's span %v", load, request)
	}
	if !(sql[0] >= load[0]-slack && sql[0]+sql[1] <= load[0]+load[1]+slack && sql[2] > load[2] && sql[1] > 2) {
		t.Errorf("query %v not inside and below load %v", sql, load)
	}
	if logged[0] < load[0]+load[1]-slack || logged[1] > 4 {
		t.Errorf("log instant %v: want a thin mark after load %v", logged, load)
	}
	if request[1] < 600 {
		t.Errorf("the handler's span is %vpx wide in a 1280px window", request[1])
	}
	if got := u.eval(q(".ddt-tl-k-sql") + ".title"); !strings.HasPrefix(got, "sql · SELECT 1 · ") || !strings.HasSuffix(got, " ms") {
		t.Errorf("query bar's tooltip %q", got)
	}

	// A click on a flag's bar shows its event, with its stack open.
	if u.eval(q(".ddt-tl-detail")+".hidden ? 'hidden' : 'shown'") != "hidden" {
		t.Error("the event box shows before a click")
	}
	u.click(".ddt-tl-k-flag")
	u.WaitJS("the event of the bar", q(".ddt-tl-detail:not([hidden]) .ddt-stack[open] .ddt-frame"))
	detail := u.eval(q(".ddt-tl-detail") + ".textContent")
	if !strings.Contains(detail, "flag") || !strings.Contains(detail, "Feature Flags") {
		t.Errorf("event box: %q", detail)
	}
	// (This test's own frames count as ddt's, hidden behind the toggle.)
	if got := u.eval(q(".ddt-tl-detail .ddt-stack") + ".textContent"); !strings.Contains(got, "timeline_test.handler") {
		t.Errorf("the flag's stack %q does not show the handler", got)
	}
	if !browsertest.Eval[bool](u.Tab, q(".ddt-tl-k-flag")+`.classList.contains("ddt-tl-selected")`) {
		t.Error("the clicked bar is not marked")
	}

	// Zoom: twice as wide, scrollable; Fit brings it back.
	canvas := u.box(".ddt-tl-canvas")[1]
	u.click(".ddt-tl-zoom-in")
	if got := u.box(".ddt-tl-canvas")[1]; got < 1.9*canvas {
		t.Errorf("canvas %vpx after zoom in, was %vpx", got, canvas)
	}
	u.click(".ddt-tl-zoom-fit")
	if got := u.box(".ddt-tl-canvas")[1]; got > canvas+1 {
		t.Errorf("canvas %vpx after Fit, was %vpx", got, canvas)
	}

	// The event's panel button opens the Feature Flags panel.
	u.click(`.ddt-tl-detail [data-ddt-open-panel="featureflags"]`)
	u.WaitJS("the Feature Flags panel", q(".ddt-root")+`.getAttribute("data-ddt-loaded") === "featureflags"`)
	if errs := u.JSErrors(); len(errs) > 0 {
		t.Errorf("JavaScript errors: %q", errs)
	}
}

// TestBrowserScale opens the Timeline of 5,000 events: every bar is laid
// out, the table is paged, and the last bar (whose row is on the last
// page) shows its event.
func TestBrowserScale(t *testing.T) {
	const n = 5_000
	b := browsertest.Start(t)
	srv := httptest.NewServer(toolbar.Middleware(scaleApp(), scaleOptions()))
	defer srv.Close()
	u := tab{b.NewTab(t), t}
	u.load(srv.URL + "/events/" + strconv.Itoa(n))
	u.open("timeline")
	if got := u.num(root + `.querySelectorAll(".ddt-tl-bar[data-i]").length`); got != n {
		t.Errorf("%v bars, want %d", got, n)
	}
	unplaced := u.num(`Array.from(` + root + `.querySelectorAll(".ddt-tl-bar[data-i]")).filter(b => !b.style.left || (!b.classList.contains("ddt-tl-instant") && !b.style.width)).length`)
	if unplaced != 0 {
		t.Errorf("%v bars not laid out", unplaced)
	}
	if got := u.eval(q(".ddt-pager-status") + ".textContent"); got != "Rows 1–100 of 5000" {
		t.Errorf("pager %q", got)
	}
	last := `.ddt-tl-bar[data-i="` + strconv.Itoa(n-1) + `"]`
	browsertest.Eval[bool](u.Tab, q(last)+`.click() === undefined`)
	u.WaitJS("the last event", q(`.ddt-tl-detail:not([hidden]) tr[data-ddt-tl-row="`+strconv.Itoa(n-1)+`"]`))
	if got := u.eval(q(".ddt-tl-detail td") + ".textContent"); got != strconv.Itoa(n) {
		t.Errorf("event box shows #%s, want #%d", got, n)
	}
	if errs := u.JSErrors(); len(errs) > 0 {
		t.Errorf("JavaScript errors: %q", errs)
	}
}

// BenchmarkTimelineInBrowser opens the Timeline panel of a page of n
// events in chromium. ms/open is the time from the click to the frame
// after the content is in place, measured in the page: the fetch, the
// server's render, parsing and sanitizing, laying out every bar, the
// first page of the table. Each iteration loads the page again.
func BenchmarkTimelineInBrowser(b *testing.B) {
	browser := browsertest.Start(b)
	srv := httptest.NewServer(toolbar.Middleware(scaleApp(), scaleOptions()))
	defer srv.Close()
	for _, n := range scaleSizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			var total float64
			tb := browser.NewTab(b)
			for b.Loop() {
				tb.Navigate(srv.URL + "/events/" + strconv.Itoa(n))
				btn := q(`.ddt-nav-btn[data-panel="timeline"]`)
				tb.WaitJS("the panel list", `document.querySelector("ddt-toolbar") && `+btn)
				total += browsertest.Eval[float64](tb, `new Promise(done => {
					const root = `+q(".ddt-root")+`;
					const t0 = performance.now();
					new MutationObserver((_, obs) => {
						if (root.getAttribute("data-ddt-loaded") !== "timeline") return;
						obs.disconnect();
						requestAnimationFrame(() => setTimeout(() => done(performance.now() - t0)));
					}).observe(root, {attributes: true, attributeFilter: ["data-ddt-loaded"]});
					`+btn+`.click();
				})`)
				if got := browsertest.Eval[int](tb, root+`.querySelectorAll(".ddt-tl-bar[data-i]").length`); got != n {
					b.Fatalf("%d bars, want %d", got, n)
				}
			}
			b.ReportMetric(total/float64(b.N), "ms/open")
		})
	}
}
