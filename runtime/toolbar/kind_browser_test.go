package toolbar_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-ddt/ddt/internal/browsertest"
	"github.com/go-ddt/ddt/runtime/toolbar"
)

// TestBrowserPageLoadIsOneRecord: a real page load in chromium, with its
// stylesheet, script, font, image and one fetch, stores the page and the
// fetch, labelled as such in the History (issue 13).
func TestBrowserPageLoadIsOneRecord(t *testing.T) {
	b := browsertest.Start(t)
	mux := http.NewServeMux()
	mux.Handle("/", assetApp())
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!DOCTYPE html><html><head><link rel="stylesheet" href="/app.css">
<script src="/app.js"></script><style>@font-face{font-family:f;src:url(/font.woff2)}body{font-family:f}</style></head>
<body><img src="/logo.png" alt="">text<script>window.__fetched = fetch("/api/items").then(r => r.text())</script></body></html>`))
	})
	store := toolbar.NewMemoryStore(25)
	srv := httptest.NewServer(toolbar.Middleware(mux, toolbar.Options{Enable: toolbar.On, Store: store}))
	defer srv.Close()
	u := &toolbarTab{Tab: b.NewTab(t), t: t, base: srv.URL}
	u.load("/")
	browsertest.Eval[string](u.Tab, `window.__fetched`)
	u.openPanel("history")
	u.waitFor("the fetch in History", `.ddt-history-table .ddt-badge-xhr`)
	list, _ := store.List(t.Context(), toolbar.ListFilter{})
	var got []string
	for _, s := range list {
		got = append(got, s.Path+" "+s.Kind)
	}
	if len(list) != 2 || list[0].Kind != toolbar.KindFetch || list[1].Kind != toolbar.KindPage {
		t.Errorf("stored %q, want the page and its fetch", got)
	}
	if n := u.count(`.ddt-history-table tbody tr`); n != 2 {
		t.Errorf("History lists %d requests, want 2", n)
	}
	if got := u.text(`.ddt-history-table tr[data-request="` + list[1].ID + `"] .ddt-badges .ddt-badge`); got != "page" {
		t.Errorf("the page's badge = %q", got)
	}
	u.noJSErrors(t)
}
