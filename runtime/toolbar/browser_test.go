package toolbar_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/go-ddt/ddt/internal/browsertest"
	ddtrt "github.com/go-ddt/ddt/runtime/ddtrt"
	"github.com/go-ddt/ddt/runtime/toolbar"
)

// The tests in this file drive the real toolbar in a real headless Chromium:
// toolbar.Middleware around a small app on a loopback server, the built-in
// panels, and the embedded toolbar.js and toolbar.css. The app's marked
// functions are written out in the shape ddt instrument generates.

var browserSiteFlag = ddtrt.Site{
	Kind: "flag", Func: "toolbar_test.browserFlag", File: "runtime/toolbar/browser_test.go",
	Params: []string{"ctx", "name"}, Results: []string{""}, Ctx: 0, Req: -1, NameArg: 1,
}

// browserFlag is a //ddt:flag function: flags named "old-..." are off.
func browserFlag(ctx context.Context, name string) (__ddt_r0 bool) {
	if ddtrt.Active() {
		__ddt_c := ddtrt.Enter(&browserSiteFlag, ctx, name)
		defer func() { __ddt_c.Exit(recover(), __ddt_r0) }()
	}
	return !strings.HasPrefix(name, "old-")
}

var browserSiteEcho = ddtrt.Site{
	Kind: "trace", Func: "toolbar_test.browserEcho", File: "runtime/toolbar/browser_test.go",
	Params: []string{"ctx", "s"}, Results: []string{""}, Ctx: 0, Req: -1, NameArg: -1,
}

// browserEcho is a //ddt:trace function that returns its argument.
func browserEcho(ctx context.Context, s string) (__ddt_r0 string) {
	if ddtrt.Active() {
		__ddt_c := ddtrt.Enter(&browserSiteEcho, ctx, s)
		defer func() { __ddt_c.Exit(recover(), __ddt_r0) }()
	}
	return s
}

// browserPayload would run script if any part of the toolbar put captured text
// into the page as HTML.
const browserPayload = `"'><script>window.__pwned=1;document.title="pwned"</script></body><img src=x onerror="window.__pwned=2">`

// browserHostileCSS hides everything it can reach but the root element (without
// which nothing renders at all), including the toolbar's host element.
const browserHostileCSS = `*:not(html), body, div, span, table, tr, td, th, button, input, ul, li, a, p, h2,
section, aside, nav, details, summary, script + *, script ~ *, html > *, body > *, ddt-toolbar {
  display: none !important; visibility: hidden !important; opacity: 0 !important;
  position: static !important; width: 0 !important; height: 0 !important;
  font-size: 0 !important; color: transparent !important; transform: scale(0) !important;
  pointer-events: none !important; z-index: -1 !important; overflow: hidden !important;
}
:root { font-size: 1px !important; }`

const browserCSPNonce = "b64nonceZm9vYmFy"

func browserApp() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", browserDashboard)
	mux.HandleFunc("GET /api/items", func(w http.ResponseWriter, r *http.Request) {
		browserFlag(r.Context(), "items-api-v2")
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"items":[1,2,3]}`)
	})
	mux.HandleFunc("GET /hostile", func(w http.ResponseWriter, r *http.Request) {
		for _, name := range []string{"a", "b", "old-c"} {
			browserFlag(r.Context(), name)
		}
		browserPage(w, "Hostile", "<style>"+browserHostileCSS+"</style>", `<main><div><span>page content</span></div></main>`)
	})
	mux.HandleFunc("GET /escape", func(w http.ResponseWriter, r *http.Request) {
		browserFlag(r.Context(), browserPayload)
		browserEcho(r.Context(), browserPayload)
		browserPage(w, "Escape", "", `<main><p>nothing to see</p></main>`)
	})
	mux.HandleFunc("GET /csp", func(w http.ResponseWriter, r *http.Request) {
		browserFlag(r.Context(), "csp-flag")
		w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src 'nonce-"+browserCSPNonce+
			"'; style-src 'self'; connect-src 'self'; img-src 'self'")
		browserPage(w, "CSP", "", `<main><p>strict page</p></main><script nonce="`+browserCSPNonce+`">
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI);
});
</script>`)
	})
	return mux
}

// browserDashboard is the seed's school dashboard: its flags are evaluated
// two calls down from the handler, as in a real app.
func browserDashboard(w http.ResponseWriter, r *http.Request) {
	browserPage(w, "School dashboard", `<style>body{margin:0;font:16px Georgia,serif;background:#f4f1ea;color:#333}
header{background:#2c5f2d;color:#fff;padding:14px 32px}main{padding:24px 32px;max-width:640px}
.card{background:#fff;border-radius:8px;padding:12px 20px;margin:0 0 16px;box-shadow:0 1px 3px rgba(0,0,0,.12)}</style>`,
		`<header><h1>Springfield Elementary</h1></header><main>`+browserCards(r.Context())+`</main>`)
}

func browserCards(ctx context.Context) string {
	heading := "Dashboard"
	if browserFlag(ctx, "redesigned-dashboard") {
		heading = "Redesigned dashboard"
	}
	cards := `<div class="card"><h2>` + heading + `</h2><p>Attendance today: 96%.</p></div>`
	if browserFlag(ctx, "new-gradebook") {
		cards += `<div class="card"><h2>Gradebook</h2><p>3 assignments to mark.</p></div>`
	}
	if browserFlag(ctx, "old-sidebar") {
		cards += `<aside>Sidebar</aside>`
	}
	return cards
}

func browserPage(w http.ResponseWriter, title, head, body string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, "<!doctype html>\n<html lang=en><head><meta charset=utf-8><title>%s</title>%s</head>\n<body>%s</body></html>\n", title, head, body)
}

// toolbarRoot is the toolbar's shadow root, as page JavaScript reaches it.
const toolbarRoot = `document.querySelector("ddt-toolbar").shadowRoot`

// toolbarTab is a browser tab with helpers that look inside the toolbar.
type toolbarTab struct {
	*browsertest.Tab
	t    *testing.T
	base string
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string { return strconv.Quote(s) }

// toolbarNode returns a selector for the first element inside the toolbar that
// matches css.
func toolbarNode(css string) chromedp.JSPath {
	return chromedp.JSPath(toolbarRoot + ".querySelector(" + jsString(css) + ")")
}

// click clicks the element with the mouse, as a user would: at its center,
// after checking it is visible. Anything covering it would get the click.
func (u *toolbarTab) click(css string) {
	u.t.Helper()
	// The toolbar may render a panel again between the query for the node
	// and the click (History refreshes when a request is recorded): the
	// node the query found is then gone, and the click is tried again on
	// the new one.
	for try := 0; ; try++ {
		err := chromedp.Do(u.Ctx, chromedp.Click(toolbarNode(css)))
		if err == nil {
			return
		}
		if try == 4 || !strings.Contains(err.Error(), "Could not find node with given id") && !strings.Contains(err.Error(), "Node is detached") {
			u.t.Fatalf("browser: click %s: %v", css, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// key presses a key in the focused element.
func (u *toolbarTab) key(k string) {
	u.t.Helper()
	u.Do(chromedp.KeyEvent(k))
}

func (u *toolbarTab) count(css string) int {
	u.t.Helper()
	return browsertest.Eval[int](u.Tab, toolbarRoot+".querySelectorAll("+jsString(css)+").length")
}

func (u *toolbarTab) text(css string) string {
	u.t.Helper()
	return browsertest.Eval[string](u.Tab, "(function(e){return e?e.textContent:'<missing "+strings.ReplaceAll(css, "'", "")+">'})("+toolbarRoot+".querySelector("+jsString(css)+"))")
}

func (u *toolbarTab) has(css string) bool {
	u.t.Helper()
	return browsertest.Eval[bool](u.Tab, "!!"+toolbarRoot+".querySelector("+jsString(css)+")")
}

// visible reports whether the element is rendered, with a non-empty box,
// and not inside a closed <details> or anything else that hides it.
func (u *toolbarTab) visible(css string) bool {
	u.t.Helper()
	return browsertest.Eval[bool](u.Tab, "(function(e){if(!e)return false;var r=e.getBoundingClientRect();"+
		"return r.width>0&&r.height>0&&e.checkVisibility({visibilityProperty:true,opacityProperty:true,contentVisibilityAuto:true})})("+
		toolbarRoot+".querySelector("+jsString(css)+"))")
}

func (u *toolbarTab) waitFor(what, css string) {
	u.t.Helper()
	u.WaitJS(what, "document.querySelector('ddt-toolbar') && "+toolbarRoot+".querySelector("+jsString(css)+")")
}

// load navigates to path and waits until the toolbar lists its panels.
func (u *toolbarTab) load(path string) {
	u.t.Helper()
	u.Navigate(u.base + path)
	u.waitFor("the toolbar's panel list", `.ddt-nav-item[data-panel="featureflags"]`)
}

// openPanel clicks a panel in the list and waits for its content.
func (u *toolbarTab) openPanel(id string) {
	u.t.Helper()
	if u.has(`.ddt-nav-btn[data-panel="` + id + `"][aria-expanded="true"]`) {
		u.t.Fatalf("panel %s is open already: a click would close it", id)
	}
	// Clicked from the page's JavaScript rather than with the mouse: the
	// list is re-rendered when a request's data arrives, and a node looked
	// up for a mouse click can be replaced before the click lands.
	browsertest.Eval[bool](u.Tab, toolbarRoot+`.querySelector(`+jsString(`.ddt-nav-btn[data-panel="`+id+`"]`)+`).click() === undefined`)
	u.WaitJS("panel "+id+" to load", toolbarRoot+`.querySelector(".ddt-root").getAttribute("data-ddt-loaded") === `+jsString(id))
}

func (u *toolbarTab) cookie(name string) string {
	u.t.Helper()
	return browsertest.Eval[string](u.Tab, `(document.cookie.split("; ").find(c => c.startsWith(`+jsString(name+"=")+`)) || "=").split("=")[1]`)
}

func (u *toolbarTab) noJSErrors(t *testing.T) {
	t.Helper()
	if errs := u.JSErrors(); len(errs) > 0 {
		t.Errorf("JavaScript errors:\n  %s", strings.Join(errs, "\n  "))
	}
}

func TestBrowser(t *testing.T) {
	b := browsertest.Start(t)
	srv := httptest.NewServer(toolbar.Middleware(browserApp(), toolbar.Options{
		Enable:    toolbar.On,
		EditorURL: "vscode://file/{path}:{line}",
	}))
	defer srv.Close()
	newTab := func(t *testing.T) *toolbarTab {
		return &toolbarTab{Tab: b.NewTab(t), t: t, base: srv.URL}
	}

	t.Run("appears", func(t *testing.T) {
		u := newTab(t)
		resp, err := chromedp.Run(u.Ctx, chromedp.NavigateResponse(srv.URL+"/"))
		if err != nil {
			t.Fatal(err)
		}
		var pageID string
		for k, v := range resp.Headers {
			if strings.EqualFold(k, toolbar.RequestIDHeader) {
				pageID, _ = v.(string)
			}
		}
		if pageID == "" {
			t.Fatalf("page response has no %s header: %v", toolbar.RequestIDHeader, resp.Headers)
		}
		u.waitFor("the toolbar's panel list", `.ddt-nav-item[data-panel="featureflags"]`)
		if got := browsertest.Eval[int](u.Tab, `document.querySelectorAll("ddt-toolbar").length`); got != 1 {
			t.Errorf("%d toolbar elements, want 1", got)
		}
		if got := browsertest.Eval[string](u.Tab, `document.querySelector("ddt-toolbar").getAttribute("data-ddt-request")`); got != pageID {
			t.Errorf("toolbar shows request %q, want the page's own %q", got, pageID)
		}
		for _, title := range []string{"History", "Versions", "Timer", "Request", "Headers", "Feature Flags", "Calls"} {
			if !strings.Contains(u.text(".ddt-nav"), title) {
				t.Errorf("panel list lacks %q: %q", title, u.text(".ddt-nav"))
			}
		}
		if got := u.text(`.ddt-nav-item[data-panel="featureflags"] .ddt-nav-subtitle`); got != "3 evaluations" {
			t.Errorf("Feature Flags subtitle = %q, want %q", got, "3 evaluations")
		}
		if got := u.text(".ddt-current-req"); got != "GET /" {
			t.Errorf("current request = %q, want %q", got, "GET /")
		}

		// Hide, stay hidden across a reload, show again.
		u.click(".ddt-hide-btn")
		if u.visible(".ddt-bar") || !u.visible(".ddt-handle") {
			t.Fatal("after Hide: the bar is still visible or the handle is not")
		}
		if got := u.cookie("ddt_hidden"); got != "1" {
			t.Errorf("ddt_hidden = %q after Hide, want 1", got)
		}
		u.Navigate(srv.URL + "/")
		u.waitFor("the handle", ".ddt-handle:not([hidden])")
		if u.visible(".ddt-bar") {
			t.Error("the toolbar is shown again after a reload")
		}
		u.click(".ddt-handle")
		u.waitFor("the panel list after showing", `.ddt-nav-item[data-panel="featureflags"]`)
		if !u.visible(".ddt-bar") || u.visible(".ddt-handle") {
			t.Error("after clicking the handle: the bar is hidden or the handle still shows")
		}
		if got := u.cookie("ddt_hidden"); got != "" {
			t.Errorf("ddt_hidden = %q after showing, want it gone", got)
		}
		u.noJSErrors(t)
	})

	t.Run("feature flags panel and stack trace", func(t *testing.T) {
		u := newTab(t)
		u.load("/")
		u.openPanel("featureflags")
		if got := u.text(".ddt-panel-title"); got != "Feature Flags" {
			t.Errorf("panel title = %q", got)
		}
		rows := browsertest.Eval[[]string](u.Tab, `Array.from(`+toolbarRoot+`.querySelectorAll(".ddt-panel-body tbody tr"), tr => Array.from(tr.cells).slice(0, 3).map(c => c.textContent.trim()).join(" | "))`)
		want := []string{"1 | redesigned-dashboard | true", "2 | new-gradebook | true", "3 | old-sidebar | false"}
		if strings.Join(rows, "\n") != strings.Join(want, "\n") {
			t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
		}

		// The first stack trace: closed, then open with the handler's frame.
		const stack = ".ddt-panel-body tbody tr:first-child .ddt-stack"
		if u.visible(stack + " .ddt-frame") {
			t.Fatal("stack frames are visible before the stack trace is opened")
		}
		u.click(stack + " > summary")
		u.waitFor("the stack trace to open", stack+"[open]")
		first := u.text(stack + " .ddt-frame:not(.ddt-frame-hidden)")
		if !strings.Contains(first, "toolbar_test.browserCards") || !strings.Contains(first, "browser_test.go:") {
			t.Errorf("first visible frame = %q, want the caller of the flag in browser_test.go", first)
		}
		frames := browsertest.Eval[[]string](u.Tab, `Array.from(`+toolbarRoot+`.querySelectorAll(`+jsString(stack+" .ddt-frame:not(.ddt-frame-hidden) .ddt-func")+`), e => e.textContent)`)
		if len(frames) < 2 || !strings.HasSuffix(frames[1], "toolbar_test.browserDashboard") {
			t.Errorf("visible frames = %q, want browserCards then browserDashboard", frames)
		}
		if !u.visible(stack + " .ddt-frame:not(.ddt-frame-hidden)") {
			t.Error("the handler's frame is not visible in the open stack trace")
		}
		href := browsertest.Eval[string](u.Tab, toolbarRoot+`.querySelector(`+jsString(stack+" .ddt-edit")+`).getAttribute("href")`)
		if !strings.HasPrefix(href, "vscode://file/") || !strings.Contains(href, "browser_test.go:") {
			t.Errorf("editor link = %q", href)
		}
		if u.count(stack+" .ddt-frame-hidden") == 0 {
			t.Fatal("no hidden (net/http, runtime) frames in the stack")
		}
		if u.visible(stack + " .ddt-frame-hidden") {
			t.Error("net/http and runtime frames are visible before asking for them")
		}
		if path := os.Getenv("DDT_SCREENSHOT"); path != "" {
			// The README's picture: no hover highlight, no empty half.
			u.Do(chromedp.MouseEvent(chromedp.MouseMoved, 600, 790), chromedp.EmulateViewport(1280, 560))
			u.Screenshot(path)
			u.Do(chromedp.EmulateViewport(1280, 800))
		}
		u.click(stack + " .ddt-frames-toggle")
		if !u.visible(stack + " .ddt-frame-hidden") {
			t.Error("library frames stay hidden after Show")
		}

		// Esc closes the panel and gives the focus back to its button; the
		// arrows move along the list; Enter opens a panel; Esc twice hides
		// the toolbar.
		u.key(kb.Escape)
		if u.visible(".ddt-panel") {
			t.Fatal("the panel is still open after Esc")
		}
		if got := browsertest.Eval[string](u.Tab, toolbarRoot+`.activeElement && `+toolbarRoot+`.activeElement.getAttribute("data-panel")`); got != "featureflags" {
			t.Errorf("focus after Esc is on %q, want the Feature Flags button", got)
		}
		u.key(kb.ArrowDown)
		if got := browsertest.Eval[string](u.Tab, toolbarRoot+`.activeElement.getAttribute("data-panel")`); got != "calls" {
			t.Errorf("Down from Feature Flags focused %q, want calls", got)
		}
		u.key(kb.ArrowUp)
		u.key(kb.Enter)
		u.waitFor("the panel to reopen from the keyboard", `.ddt-panel[data-panel="featureflags"]:not([hidden])`)
		u.key(kb.Escape)
		u.key(kb.Escape)
		if u.visible(".ddt-bar") || !u.visible(".ddt-handle") {
			t.Error("the second Esc did not hide the toolbar")
		}
		u.noJSErrors(t)
	})

	t.Run("panel switched off stays off", func(t *testing.T) {
		u := newTab(t)
		u.load("/")
		const item = `.ddt-nav-item[data-panel="featureflags"]`
		u.click(item + " .ddt-toggle")
		if got := u.cookie("ddt_disabled"); got != "featureflags" {
			t.Fatalf("ddt_disabled = %q after unchecking, want featureflags", got)
		}
		for reload := 1; reload <= 2; reload++ {
			u.load("/")
			if !u.has(item + ".ddt-disabled") {
				t.Fatalf("reload %d: Feature Flags is not shown disabled: %s", reload, browsertest.Eval[string](u.Tab, toolbarRoot+`.querySelector(`+jsString(item)+`).outerHTML`))
			}
			if browsertest.Eval[bool](u.Tab, toolbarRoot+`.querySelector(`+jsString(item+" .ddt-toggle")+`).checked`) {
				t.Errorf("reload %d: the checkbox is checked again", reload)
			}
			if u.has(item + " button.ddt-nav-btn") {
				t.Errorf("reload %d: a disabled panel can still be opened", reload)
			}
			if got := u.text(item + " .ddt-nav-subtitle"); got != "Disabled for this request" {
				t.Errorf("reload %d: subtitle = %q", reload, got)
			}
		}
		u.click(item + " .ddt-toggle")
		if got := u.cookie("ddt_disabled"); got != "" {
			t.Errorf("ddt_disabled = %q after checking again, want it gone", got)
		}
		u.load("/")
		if u.has(item+".ddt-disabled") || u.text(item+" .ddt-nav-subtitle") != "3 evaluations" {
			t.Errorf("Feature Flags not back on: %s", browsertest.Eval[string](u.Tab, toolbarRoot+`.querySelector(`+jsString(item)+`).outerHTML`))
		}
		u.noJSErrors(t)
	})

	t.Run("fetch and XHR requests in History", func(t *testing.T) {
		u := newTab(t)
		u.load("/")
		u.openPanel("history")
		fetchID := browsertest.Eval[string](u.Tab, `fetch("/api/items?via=fetch").then(r => r.headers.get("X-DDT-Request-Id"))`)
		if fetchID == "" {
			t.Fatal("the fetch response has no request id")
		}
		// The script notices the header and refreshes the open History.
		row := `.ddt-history-table tr[data-request="` + fetchID + `"]`
		u.waitFor("the fetch request in History", row)
		if got := u.text(row + " .ddt-path"); got != "/api/items?via=fetch" {
			t.Errorf("History path = %q", got)
		}
		if got := u.text(row + " .ddt-badge-xhr"); got != "fetch/XHR" {
			t.Errorf("History type = %q, want fetch/XHR", got)
		}
		xhrID := browsertest.Eval[string](u.Tab, `new Promise(done => { const x = new XMLHttpRequest();
			x.onloadend = () => done(x.getResponseHeader("X-DDT-Request-Id")); x.open("GET", "/api/items?via=xhr"); x.send(); })`)
		u.waitFor("the XHR request in History", `.ddt-history-table tr[data-request="`+xhrID+`"]`)

		// Switch the toolbar to the fetch request and read its flags.
		u.click(row + " button")
		u.WaitJS("the switch", `document.querySelector("ddt-toolbar").getAttribute("data-ddt-request") === `+jsString(fetchID))
		u.waitFor("the other-request marker", ".ddt-current-other")
		if got := u.text(".ddt-current-req"); got != "GET /api/items?via=fetch" {
			t.Errorf("current request = %q after switching", got)
		}
		if got := u.text(`.ddt-nav-item[data-panel="featureflags"] .ddt-nav-subtitle`); got != "1 evaluation" {
			t.Errorf("Feature Flags subtitle = %q for the fetch request", got)
		}
		u.openPanel("featureflags")
		if got := u.text(".ddt-panel-body tbody tr td:nth-child(2)"); got != "items-api-v2" {
			t.Errorf("fetch request's flag = %q, want items-api-v2", got)
		}
		if got := u.text(".ddt-panel-req"); !strings.Contains(got, "/api/items?via=fetch") {
			t.Errorf("panel header = %q, want it to name the fetch request", got)
		}

		// Timer's browser timing belongs to the page only.
		u.openPanel("timer")
		if got := u.text("tbody[data-ddt-browser-timing]"); !strings.Contains(got, "only known for this page") {
			t.Errorf("browser timing for a fetch request = %q", got)
		}
		u.click(".ddt-back-btn")
		u.waitFor("browser timing rows of the page", "tbody[data-ddt-browser-timing] .ddt-timing-bar")
		if got := u.text("tbody[data-ddt-browser-timing]"); !strings.Contains(got, "Request (time to first byte)") {
			t.Errorf("browser timing = %q", got)
		}
		u.noJSErrors(t)
	})

	t.Run("request no longer stored", func(t *testing.T) {
		// A store of two: the page's own request is gone once two fetches
		// are recorded while the toolbar is hidden.
		small := httptest.NewServer(toolbar.Middleware(browserApp(), toolbar.Options{Enable: toolbar.On, Store: toolbar.NewMemoryStore(2)}))
		defer small.Close()
		u := newTab(t)
		u.base = small.URL
		u.Navigate(small.URL + "/")
		browsertest.Eval[string](u.Tab, `document.cookie = "ddt_hidden=1; path=/"`)
		u.Navigate(small.URL + "/")
		u.waitFor("the handle", ".ddt-handle:not([hidden])")
		browsertest.Eval[int](u.Tab, `fetch("/api/items?n=1").then(() => fetch("/api/items?n=2")).then(() => 1)`)
		u.click(".ddt-handle")
		u.waitFor("the load error", ".ddt-load-error")
		if got := u.text(".ddt-load-error"); !strings.Contains(got, "no longer stored") {
			t.Errorf("message = %q", got)
		}
		u.openPanel("history")
		if n := u.count(".ddt-history-table tbody tr"); n != 2 {
			t.Errorf("History lists %d requests, want the 2 stored", n)
		}
		u.click(".ddt-history-table tbody tr:first-child button")
		u.waitFor("the switch to a stored request", ".ddt-current-other .ddt-current-req")
		if got := u.text(".ddt-current-req"); got != "GET /api/items?n=2" {
			t.Errorf("current request = %q", got)
		}
		u.noJSErrors(t)
	})

	t.Run("hostile page CSS", func(t *testing.T) {
		u := newTab(t)
		u.load("/hostile")
		if browsertest.Eval[string](u.Tab, `getComputedStyle(document.querySelector("main")).display`) != "none" {
			t.Fatal("the hostile stylesheet did not apply to the page")
		}
		if !u.visible(".ddt-bar") {
			t.Fatal("the toolbar is not visible")
		}
		u.openPanel("featureflags")
		if n := u.count(".ddt-panel-body tbody tr"); n != 3 {
			t.Errorf("%d rows, want 3", n)
		}
		box := browsertest.Eval[[]float64](u.Tab, `(r => [r.width, r.height])(`+toolbarRoot+`.querySelector(".ddt-panel").getBoundingClientRect())`)
		if box[0] < 600 || box[1] < 600 {
			t.Errorf("panel is %vx%v px, want it to fill the window", box[0], box[1])
		}
		if size := browsertest.Eval[string](u.Tab, `getComputedStyle(`+toolbarRoot+`.querySelector(".ddt-panel-title")).fontSize`); size != "17px" {
			t.Errorf("panel title font-size = %s, want the toolbar's own 17px", size)
		}
		u.click(".ddt-panel-body tbody tr:first-child .ddt-stack > summary")
		u.waitFor("the stack trace to open", ".ddt-panel-body tbody tr:first-child .ddt-stack[open]")
		u.click(".ddt-close")
		if u.visible(".ddt-panel") {
			t.Error("the close button did not close the panel")
		}
		u.noJSErrors(t)
	})

	t.Run("captured values are text", func(t *testing.T) {
		u := newTab(t)
		u.load("/escape?q=" + strings.NewReplacer("<", "%3C", ">", "%3E", `"`, "%22", "'", "%27", " ", "%20", "=", "%3D", ";", "%3B").Replace(browserPayload))
		u.openPanel("featureflags")
		if got := u.text(".ddt-panel-body tbody td:nth-child(2)"); got != browserPayload {
			t.Errorf("flag name shown as %q, want the exact text %q", got, browserPayload)
		}
		u.openPanel("calls")
		if got := u.text(".ddt-panel-body"); !strings.Contains(got, `<script>window.__pwned=1;`) || !strings.Contains(got, `</body><img src=x onerror=`) {
			t.Errorf("Calls panel does not show the argument as text: %q", got)
		}
		u.openPanel("request")
		if got := u.text(".ddt-panel-body"); !strings.Contains(got, `<script>window.__pwned=1;`) {
			t.Errorf("Request panel does not show the query as text: %q", got)
		}
		if got := u.text(".ddt-current-req"); !strings.Contains(got, "/escape?q=") {
			t.Errorf("current request = %q", got)
		}
		if n := u.count(".ddt-panel-body script, .ddt-panel-body img, .ddt-root script"); n != 0 {
			t.Errorf("%d script or img elements inside the toolbar", n)
		}
		if got := browsertest.Eval[string](u.Tab, `String(window.__pwned) + " " + document.title`); got != "undefined Escape" {
			t.Errorf("window.__pwned and title = %q: captured text ran as script", got)
		}
		if got := browsertest.Eval[int](u.Tab, `document.querySelectorAll("ddt-toolbar").length`); got != 1 {
			t.Errorf("%d toolbars on the page", got)
		}
		u.noJSErrors(t)
	})

	t.Run("strict CSP with nonce", func(t *testing.T) {
		u := newTab(t)
		u.load("/csp")
		if pos := browsertest.Eval[string](u.Tab, `getComputedStyle(`+toolbarRoot+`.querySelector(".ddt-bar")).position`); pos != "fixed" {
			t.Errorf("toolbar bar position = %q: toolbar.css did not load under the CSP", pos)
		}
		u.openPanel("featureflags")
		u.openPanel("timer")
		if got := browsertest.Eval[[]string](u.Tab, `window.__violations`); len(got) != 0 {
			t.Errorf("CSP violations: %q", got)
		}
		u.noJSErrors(t)
	})

	t.Run("themes", func(t *testing.T) {
		u := newTab(t)
		if _, err := chromedp.Call(u.Ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}},
		}); err != nil {
			t.Fatal(err)
		}
		u.load("/")
		theme := func() string {
			return browsertest.Eval[string](u.Tab, toolbarRoot+`.querySelector(".ddt-root").getAttribute("data-theme")`)
		}
		if got := theme(); got != "dark" {
			t.Errorf("theme = %q with a dark system preference, want dark", got)
		}
		u.openPanel("versions")
		bg := func() string {
			return browsertest.Eval[string](u.Tab, `getComputedStyle(`+toolbarRoot+`.querySelector(".ddt-panel")).backgroundColor`)
		}
		darkBG := bg()
		u.click(".ddt-theme-btn") // auto -> light
		if got, c := theme(), u.cookie("ddt_theme"); got != "light" || c != "light" {
			t.Errorf("after one click: theme %q, cookie %q; want light", got, c)
		}
		if lightBG := bg(); lightBG == darkBG {
			t.Errorf("light and dark panels have the same background %s", lightBG)
		}
		u.load("/")
		if got := theme(); got != "light" {
			t.Errorf("theme = %q after a reload, want the chosen light", got)
		}
		u.click(".ddt-theme-btn") // light -> dark
		u.click(".ddt-theme-btn") // dark -> auto
		if got, c := theme(), u.cookie("ddt_theme"); got != "dark" || c != "auto" {
			t.Errorf("back on auto: theme %q, cookie %q; want dark, auto", got, c)
		}
		u.noJSErrors(t)
	})
}
