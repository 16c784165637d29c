package toolbar_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/go-ddt/ddt/runtime/toolbar"
	"github.com/go-ddt/ddt/runtime/toolbar/toolbartest"
)

// assetApp serves a page, its stylesheet, script, font and image, and a
// JSON endpoint, each with its own Content-Type.
func assetApp() http.Handler {
	mux := http.NewServeMux()
	serve := func(path, contentType, body string) {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", contentType)
			io.WriteString(w, body)
		})
	}
	serve("/", "text/html; charset=utf-8", "<html><body>page</body></html>")
	serve("/app.css", "text/css; charset=utf-8", "body{}")
	serve("/app.js", "text/javascript; charset=utf-8", "void 0")
	serve("/font.woff2", "font/woff2", "wOF2")
	serve("/logo.png", "image/png", "\x89PNG")
	serve("/api/items", "application/json", "[]")
	serve("/healthz", "text/plain", "ok")
	return mux
}

// pageLoad requests what a browser loading the page does, with the
// headers a browser sends (fetch metadata), and one asset as curl would.
func pageLoad(s *toolbartest.Server) {
	for _, req := range []struct{ path, mode, dest string }{
		{"/", "navigate", "document"},
		{"/app.css", "no-cors", "style"},
		{"/app.js", "cors", "script"},
		{"/font.woff2", "cors", "font"},
		{"/logo.png", "no-cors", "image"},
		{"/api/items", "cors", "empty"},
		{"/logo.png", "", ""}, // no fetch metadata: known by its type
	} {
		r, _ := http.NewRequest("GET", s.URL+req.path, nil)
		if req.mode != "" {
			r.Header.Set("Sec-Fetch-Mode", req.mode)
			r.Header.Set("Sec-Fetch-Dest", req.dest)
		}
		s.Do(r)
	}
}

func storedKinds(t *testing.T, s *toolbartest.Server) string {
	t.Helper()
	list, err := s.Store.List(t.Context(), toolbar.ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(list) - 1; i >= 0; i-- { // oldest first
		out = append(out, list[i].Path+" "+list[i].Kind)
	}
	return strings.Join(out, ", ")
}

// TestAssetsAreNotRecorded is issue 13: one page load stored ~14 records,
// its assets labelled fetch/XHR, so the store of 25 held under two page
// loads. Assets are now left out, and what is kept is labelled.
func TestAssetsAreNotRecorded(t *testing.T) {
	s := toolbartest.NewServer(t, assetApp(), toolbar.Options{})
	pageLoad(s)
	if got, want := storedKinds(t, s), "/ page, /api/items fetch"; got != want {
		t.Errorf("stored: %s\nwant:   %s", got, want)
	}
	// An asset known by its type has no id to look up.
	if resp, _ := s.Get("/logo.png"); resp.Header.Get(toolbar.RequestIDHeader) != "" {
		t.Errorf("an image has a request id: %v", resp.Header)
	}
	// An asset the browser names is not recorded at all: no id, no timing.
	r, _ := http.NewRequest("GET", s.URL+"/app.css", nil)
	r.Header.Set("Sec-Fetch-Dest", "style")
	if resp, _ := s.Do(r); resp.Header.Get(toolbar.RequestIDHeader) != "" || resp.Header.Get("Server-Timing") != "" {
		t.Errorf("a stylesheet was recorded: %v", resp.Header)
	}
}

func TestRecordAssets(t *testing.T) {
	s := toolbartest.NewServer(t, assetApp(), toolbar.Options{RecordAssets: true})
	pageLoad(s)
	want := "/ page, /app.css asset, /app.js asset, /font.woff2 asset, /logo.png asset, /api/items fetch, /logo.png asset"
	if got := storedKinds(t, s); got != want {
		t.Errorf("stored: %s\nwant:   %s", got, want)
	}
	list, _ := s.Store.List(t.Context(), toolbar.ListFilter{})
	for _, sum := range list {
		if sum.XHR != (sum.Kind != toolbar.KindPage) {
			t.Errorf("%s: kind %s, xhr %v", sum.Path, sum.Kind, sum.XHR)
		}
	}
}

// TestRecordFilter: Options.Record leaves requests out without touching
// Show: the toolbar's routes still answer the same client.
func TestRecordFilter(t *testing.T) {
	s := toolbartest.NewServer(t, assetApp(), toolbar.Options{
		Record: func(r *http.Request) bool { return r.URL.Path != "/healthz" },
	})
	if resp, body := s.Get("/healthz"); resp.Header.Get(toolbar.RequestIDHeader) != "" || string(body) != "ok" {
		t.Errorf("/healthz was recorded: %v %q", resp.Header, body)
	}
	resp, _ := s.Get("/")
	id := s.RequestID(resp)
	if d := s.Detail(id); d.Kind != toolbar.KindPage {
		t.Errorf("kind of / = %q", d.Kind)
	}
	if resp, _ := s.Get(s.Prefix + "api/requests"); resp.StatusCode != http.StatusOK {
		t.Errorf("api/requests: %s", resp.Status)
	}
	if got := storedKinds(t, s); got != "/ page" {
		t.Errorf("stored: %s", got)
	}
}
