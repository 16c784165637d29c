package toolbar_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/go-ddt/ddt/internal/apitest"
	"github.com/go-ddt/ddt/internal/browsertest"
)

// TestBrowserStandalonePage: the page at /__debug__/ of an app that serves
// only JSON lists its requests, filters them, takes in new ones while
// Live, and shows the panels of the one picked with the toolbar's own UI.
func TestBrowserStandalonePage(t *testing.T) {
	b := browsertest.Start(t)
	app := apitest.Start(t)
	ids := map[string]string{}
	for _, r := range exampleTraffic {
		_, id := app.Do(t, r.method, r.path, r.body)
		ids[r.method+" "+r.path] = id
	}
	u := &toolbarTab{Tab: b.NewTab(t), t: t, base: app.URL}
	u.Do(chromedp.EmulateViewport(1280, 760))
	u.Navigate(app.Toolbar)
	rows := func(n int) {
		t.Helper()
		u.WaitJS(strconv.Itoa(n)+" rows", `document.querySelectorAll("#ddt-sa-rows tr").length === `+strconv.Itoa(n)+
			` && document.getElementById("ddt-sa-status").textContent.indexOf("Loading") < 0`)
	}
	paths := func() string {
		t.Helper()
		return browsertest.Eval[string](u.Tab, `Array.from(document.querySelectorAll("#ddt-sa-rows .ddt-sa-path")).map(td => td.textContent).join(" ")`)
	}
	rows(5)
	if got, want := paths(), "/api/report /api/users/99 /api/users /api/users/2 /api/users"; got != want {
		t.Errorf("rows = %q, want %q (newest first)", got, want)
	}
	if got := browsertest.Eval[string](u.Tab, `document.querySelector('#ddt-sa-rows tr[data-request="`+ids["GET /api/report"]+`"] .ddt-sa-facts').textContent`); got != "1 SQL2 errors" {
		t.Errorf("/api/report's badges = %q, want its query and two errors", got)
	}
	if !u.has(`.ddt-current`) || !strings.Contains(u.text(`.ddt-current`), "Pick a request") {
		t.Errorf("the toolbar, before a request is picked, says %q", u.text(`.ddt-current`))
	}

	// Filters.
	u.Do(chromedp.Click(chromedp.CSS(`input[name="has"][value="errors"]`)))
	rows(1)
	if got := paths(); got != "/api/report" {
		t.Errorf("with errors: %q", got)
	}
	u.Do(chromedp.Click(chromedp.CSS(`input[name="has"][value="errors"]`)),
		chromedp.Click(chromedp.CSS(`input[name="has"][value="flag"]`)))
	rows(2)
	if got := paths(); got != "/api/users /api/users" {
		t.Errorf("with flags: %q", got)
	}
	browsertest.Eval[bool](u.Tab, `(function(f){f.elements.method.value="GET";return f.dispatchEvent(new Event("input"))})(document.getElementById("ddt-sa-filters"))`)
	rows(1)
	if !strings.Contains(browsertest.Eval[string](u.Tab, `location.search`), "method=GET") {
		t.Errorf("the page's URL does not keep the filters: %q", browsertest.Eval[string](u.Tab, `location.search`))
	}
	u.Do(chromedp.Click(chromedp.CSS(`button[type="reset"]`)))
	rows(5)
	u.Do(chromedp.SendKeys(chromedp.CSS(`input[name="status"]`), "4xx"))
	rows(1)
	if got := paths(); got != "/api/users/99" {
		t.Errorf("with status 4xx: %q", got)
	}
	u.Do(chromedp.Click(chromedp.CSS(`button[type="reset"]`)))
	rows(5)

	// Live: a new request shows up without a reload.
	_, fresh := app.Do(t, "GET", "/api/users/3", "")
	rows(6)
	if got := browsertest.Eval[string](u.Tab, `document.querySelector("#ddt-sa-rows tr").getAttribute("data-request")`); got != fresh {
		t.Errorf("the first row is %s, want the new request %s", got, fresh)
	}

	// Picking a request shows its panels in the toolbar.
	users := ids["GET /api/users"]
	u.Do(chromedp.Click(chromedp.CSS(`#ddt-sa-rows tr[data-request="` + users + `"] .ddt-sa-pick`)))
	u.waitFor("the panels of GET /api/users", `.ddt-nav-item[data-panel="sql"]`)
	if got := u.text(`.ddt-current-req`); got != "GET /api/users" {
		t.Errorf("the toolbar shows %q", got)
	}
	if u.has(`.ddt-nav-item[data-panel="history"] .ddt-nav-btn`) && u.has(`.ddt-back-btn`) {
		t.Error("the toolbar offers to go back to a page the standalone page does not have")
	}
	u.openPanel("sql")
	if n := u.count(`.ddt-panel-body tbody tr`); n < 5 {
		t.Errorf("the SQL panel of GET /api/users has %d rows, want its 5 queries", n)
	}
	if got := browsertest.Eval[string](u.Tab, `document.querySelector("#ddt-sa-rows tr.ddt-sa-open").getAttribute("data-request")`); got != users {
		t.Errorf("the row marked open is %s, want %s", got, users)
	}
	if !strings.Contains(browsertest.Eval[string](u.Tab, `location.search`), "request="+users) {
		t.Error("the page's URL does not name the request picked")
	}
	u.openPanel("featureflags")
	if got := u.text(`.ddt-panel-body`); !strings.Contains(got, "user_orders") {
		t.Errorf("the Feature Flags panel says %q, want the user_orders evaluation", got)
	}

	// A reload comes back to the same request, with the filters.
	u.Navigate(app.Toolbar + "?has=sql&request=" + users)
	u.waitFor("the panels of GET /api/users after a reload", `.ddt-nav-item[data-panel="sql"]`)
	rows(6) // all of them ran queries
	if !browsertest.Eval[bool](u.Tab, `document.querySelector('input[name="has"][value="sql"]').checked`) {
		t.Error("the has SQL box is not checked from the URL")
	}
	u.noJSErrors(t)
}
