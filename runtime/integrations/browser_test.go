package integrations_test

import (
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/go-ddt/ddt/internal/browsertest"
	"github.com/go-ddt/ddt/runtime/integrations/ddthttp"
	"github.com/go-ddt/ddt/runtime/integrations/ddtslog"
	"github.com/go-ddt/ddt/runtime/integrations/ddtsql"
	"github.com/go-ddt/ddt/runtime/integrations/ddttemplate"
	"github.com/go-ddt/ddt/runtime/toolbar"

	_ "modernc.org/sqlite"
)

// root is the toolbar's shadow root, as page JavaScript reaches it.
const root = `document.querySelector("ddt-toolbar").shadowRoot`

var pageTemplates = template.Must(template.New("").Parse(`
{{define "page.html"}}<!doctype html><html><head><meta charset="utf-8"><title>{{.Title}}</title></head><body><h1>{{.Title}}</h1>{{.Body}}</body></html>{{end}}
{{define "item.html"}}<li>{{.}}</li>{{end}}
`))

type page struct {
	Title string
	Body  template.HTML
}

// testApp is an application that uses every integration, behind the
// toolbar with every panel of this change.
func testApp(t *testing.T) http.Handler {
	db, err := ddtsql.Open("sqlite", filepath.Join(t.TempDir(), "app.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(`CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT, author_id INTEGER);
		CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT);
		INSERT INTO authors VALUES (1, 'Le Guin'), (2, 'Herbert'), (3, 'Banks');
		INSERT INTO books (title, author_id) VALUES ('The Dispossessed', 1), ('Dune', 2), ('Excession', 3);`); err != nil {
		t.Fatal(err)
	}
	logger := slog.New(ddtslog.NewHandler(slog.NewTextHandler(io.Discard, nil), nil))
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"rate": 1.08}`)
	}))
	t.Cleanup(upstream.Close)
	client := &http.Client{Transport: ddthttp.Transport(nil)}

	render := func(w http.ResponseWriter, r *http.Request, title string, body string) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		ddttemplate.ExecuteTemplate(r.Context(), pageTemplates, w, "page.html", page{Title: title, Body: template.HTML(body)})
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /books", func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		rows, err := db.QueryContext(ctx, `SELECT title, author_id FROM books ORDER BY id`)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		var body strings.Builder
		type book struct {
			title  string
			author int
		}
		var books []book
		for rows.Next() {
			var b book
			rows.Scan(&b.title, &b.author)
			books = append(books, b)
		}
		rows.Close()
		for _, b := range books {
			var name string
			db.QueryRowContext(ctx, `SELECT name FROM authors WHERE id = ?`, b.author).Scan(&name)
			body.WriteString("<p>" + template.HTMLEscapeString(b.title+" by "+name) + "</p>")
		}
		render(w, r, "Books", body.String())
	})
	mux.HandleFunc("GET /logs", func(w http.ResponseWriter, r *http.Request) {
		logger.InfoContext(r.Context(), "showing logs", "user", 7, "password", "hunter2")
		logger.WarnContext(r.Context(), "slow disk", "ms", 120)
		logger.ErrorContext(r.Context(), "<b>failed</b>", "err", io.ErrUnexpectedEOF)
		render(w, r, "Logs", "<p>logged</p>")
	})
	mux.HandleFunc("GET /rates", func(w http.ResponseWriter, r *http.Request) {
		req, _ := http.NewRequestWithContext(r.Context(), http.MethodGet, upstream.URL+"/rates?api_key=k-1", nil)
		resp, err := client.Do(req)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		render(w, r, "Rates", "<p>fetched</p>")
	})
	mux.HandleFunc("GET /list", func(w http.ResponseWriter, r *http.Request) {
		var items strings.Builder
		for _, it := range []string{"a", "b"} {
			ddttemplate.ExecuteTemplate(r.Context(), pageTemplates, &items, "item.html", it)
		}
		render(w, r, "List", "<ul>"+items.String()+"</ul>")
	})
	mux.HandleFunc("GET /go", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/list", http.StatusFound)
	})
	mux.HandleFunc("GET /busy", func(w http.ResponseWriter, r *http.Request) {
		x := uint64(1)
		for i := 0; i < 150_000_000; i++ { // about 250 ms of CPU
			x = x*6364136223846793005 + 1442695040888963407
		}
		render(w, r, "Busy", "<p>"+strconv.FormatUint(x%10, 10)+"</p>")
	})
	return mux
}

type tab struct {
	*browsertest.Tab
	t    *testing.T
	base string
}

func (u *tab) eval(js string) string {
	u.t.Helper()
	return browsertest.Eval[string](u.Tab, js)
}

// load opens path and waits until the toolbar lists panel.
func (u *tab) load(path, panelID string) {
	u.t.Helper()
	u.Navigate(u.base + path)
	u.WaitJS("the toolbar's panel list", `document.querySelector("ddt-toolbar") && `+root+`.querySelector('.ddt-nav-item[data-panel="`+panelID+`"]')`)
}

// open clicks a panel in the toolbar's list and waits for its content.
func (u *tab) open(panelID string) {
	u.t.Helper()
	u.Do(chromedp.Click(chromedp.JSPath(root + `.querySelector('.ddt-nav-btn[data-panel="` + panelID + `"]')`)))
	u.WaitJS("panel "+panelID+" to load", root+`.querySelector(".ddt-root").getAttribute("data-ddt-loaded") === "`+panelID+`"`)
}

// switchOn ticks a panel that is off by default in the toolbar's list of
// the current page, for the next requests.
func (u *tab) switchOn(panelID string) {
	u.t.Helper()
	box := root + `.querySelector('.ddt-nav-item[data-panel="` + panelID + `"] .ddt-toggle')`
	if got := u.eval(`String(` + box + `.checked)`); got != "false" {
		u.t.Fatalf("panel %s is on before it was switched on", panelID)
	}
	if got := u.subtitle(panelID); got != "Disabled for this request" {
		u.t.Errorf("subtitle of %s, off by default: %q", panelID, got)
	}
	u.Do(chromedp.Click(chromedp.JSPath(box)))
	u.WaitJS(panelID+" switched on", `document.cookie.includes("ddt_enabled=")`)
}

// rows returns the text of the panel's rows that match css, cells joined
// by " | ".
func (u *tab) rows(css string) []string {
	u.t.Helper()
	return browsertest.Eval[[]string](u.Tab, `Array.from(`+root+`.querySelectorAll(".ddt-panel-body `+css+`"), tr => Array.from(tr.cells).map(c => c.textContent.trim().replace(/\s+/g, " ")).join(" | "))`)
}

func (u *tab) subtitle(panelID string) string {
	u.t.Helper()
	return u.eval(root + `.querySelector('.ddt-nav-item[data-panel="` + panelID + `"] .ddt-nav-subtitle').textContent`)
}

func (u *tab) noJSErrors() {
	u.t.Helper()
	if errs := u.JSErrors(); len(errs) > 0 {
		u.t.Errorf("JavaScript errors:\n  %s", strings.Join(errs, "\n  "))
	}
}

// TestBrowser opens each panel of this change in a real browser, on a
// page of an application behind the toolbar, and reads its rows.
func TestBrowser(t *testing.T) {
	b := browsertest.Start(t)
	srv := httptest.NewServer(toolbar.Middleware(testApp(t), toolbar.Options{
		Enable: toolbar.On,
		// The default panels; Redirects and Profile are off until switched on.
	}))
	defer srv.Close()
	newTab := func(t *testing.T) *tab { return &tab{Tab: b.NewTab(t), t: t, base: srv.URL} }

	t.Run("sql", func(t *testing.T) {
		u := newTab(t)
		u.load("/books", "sql")
		if got := u.subtitle("sql"); !strings.HasPrefix(got, "4 queries in ") {
			t.Errorf("subtitle %q", got)
		}
		u.open("sql")
		rows := u.rows("tr.ddt-sql-query")
		if len(rows) != 4 || !strings.Contains(rows[1], "SELECT name FROM authors WHERE id = ?") || !strings.Contains(rows[1], "1=1") {
			t.Errorf("rows:\n%s", strings.Join(rows, "\n"))
		}
		if hint := u.eval(root + `.querySelector(".ddt-sql-hint").textContent`); !strings.Contains(hint, "ran 3 times") {
			t.Errorf("N+1 hint %q", hint)
		}
		// The Explain link works from the page: the plan comes back.
		href := u.eval(root + `.querySelector(".ddt-sql-explain").getAttribute("href")`)
		plan := u.eval(`fetch(` + strconv.Quote(href) + `).then(r => r.text())`)
		if !strings.Contains(plan, "EXPLAIN QUERY PLAN") || !strings.Contains(plan, "SCAN books") {
			t.Errorf("explain %s:\n%s", href, plan)
		}
		u.noJSErrors()
	})

	t.Run("logs", func(t *testing.T) {
		u := newTab(t)
		u.load("/logs", "logs")
		if got := u.subtitle("logs"); got != "3 messages, 1 error" {
			t.Errorf("subtitle %q", got)
		}
		u.open("logs")
		rows := u.rows("tr.ddt-log")
		if len(rows) != 3 || !strings.Contains(rows[0], "INFO | showing logs | user=7, password=********") ||
			!strings.Contains(rows[2], "ERROR | <b>failed</b> | err=unexpected EOF") {
			t.Errorf("rows:\n%s", strings.Join(rows, "\n"))
		}
		if cls := u.eval(root + `.querySelector("tr.ddt-log:nth-child(2) strong").className`); cls != "ddt-warn" {
			t.Errorf("WARN class %q", cls)
		}
		u.noJSErrors()
	})

	t.Run("outbound", func(t *testing.T) {
		u := newTab(t)
		u.load("/rates", "outbound")
		u.open("outbound")
		rows := u.rows("tr.ddt-outbound-request")
		if len(rows) != 1 || !strings.Contains(rows[0], "/rates?api_key=********") || !strings.Contains(rows[0], "| 200 HTTP/1.1") {
			t.Errorf("rows:\n%s", strings.Join(rows, "\n"))
		}
		u.noJSErrors()
	})

	t.Run("templates", func(t *testing.T) {
		u := newTab(t)
		u.load("/list", "templates")
		if got := u.subtitle("templates"); !strings.HasPrefix(got, "3 templates in ") {
			t.Errorf("subtitle %q", got)
		}
		u.open("templates")
		rows := u.rows("tr.ddt-template")
		if len(rows) != 3 || !strings.Contains(rows[0], "item.html") || !strings.Contains(rows[2], "page.html") || !strings.Contains(rows[2], "integrations_test.page") {
			t.Errorf("rows:\n%s", strings.Join(rows, "\n"))
		}
		u.noJSErrors()
	})

	t.Run("redirects", func(t *testing.T) {
		u := newTab(t)
		u.load("/list", "redirects")
		u.switchOn("redirects")
		u.load("/go", "redirects")
		if got := u.subtitle("redirects"); got != "302 → /list" {
			t.Errorf("subtitle %q", got)
		}
		u.open("redirects")
		if got := u.eval(root + `.querySelector(".ddt-panel-body").textContent`); !strings.Contains(got, "302 Found") {
			t.Errorf("panel %q", got)
		}
		// The page's link continues the redirect (on a fresh load: the open
		// panel covers the page).
		u.load("/go", "redirects")
		u.Do(chromedp.Click(chromedp.JSPath(`document.querySelector("#ddt-redirect")`)))
		// The page changes under the click: poll, through the navigation.
		for deadline := time.Now().Add(browsertest.WaitTimeout); ; time.Sleep(20 * time.Millisecond) {
			if title, err := chromedp.Run(u.Ctx, chromedp.Evaluate[string](`document.title`)); err == nil && title == "List" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the link did not lead to the redirect's target")
			}
		}
		u.noJSErrors()
	})

	t.Run("profile", func(t *testing.T) {
		u := newTab(t)
		u.load("/busy", "profile")
		u.switchOn("profile")
		u.load("/busy", "profile")
		u.open("profile")
		link := u.eval(root + `.querySelector(".ddt-profile-link").getAttribute("href")`)
		if link != "/busy?ddt-profile=1" {
			t.Fatalf("profile link %q", link)
		}
		u.load(link, "profile")
		u.open("profile")
		if n := len(u.rows("tr.ddt-profile-func")); n == 0 {
			t.Errorf("no functions in the profile: %s", u.eval(root+`.querySelector(".ddt-panel-body").textContent`))
		}
		href := u.eval(root + `.querySelector(".ddt-profile-cpu").getAttribute("href")`)
		size := browsertest.Eval[int](u.Tab, `fetch(`+strconv.Quote(href)+`).then(r => r.ok ? r.arrayBuffer() : new ArrayBuffer(0)).then(b => b.byteLength)`)
		if size < 100 {
			t.Errorf("downloading %s: %d bytes", href, size)
		}
		u.noJSErrors()
	})
}
