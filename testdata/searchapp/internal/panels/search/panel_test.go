package search_test

// This file is yours to edit: ddt panelgen wrote it once and will not
// overwrite it (unless run with --force).

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/go-ddt/ddt/runtime/panel"
	"github.com/go-ddt/ddt/runtime/toolbar"
	"github.com/go-ddt/ddt/runtime/toolbar/toolbartest"

	"example.com/searchapp/internal/panels/search"
)

// TestPanel records one query in a real request behind the toolbar
// and checks what the panel shows for it.
func TestPanel(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if !r.URL.Query().Has("empty") {
			// What a call of a function marked //ddt:search records, emitted by hand.
			done := toolbar.Start(r.Context(), "search", "example-search", "index", "value-of-index", "query", "value-of-query")
			done(true)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<!doctype html><html><body><p>page</p></body></html>")
	})
	s := toolbartest.NewServer(t, mux, toolbar.Options{Panels: []func() panel.Panel{search.New}})

	resp, body := s.Get("/")
	if !strings.Contains(string(body), "toolbar.js") {
		t.Fatalf("the toolbar was not injected into the page:\n%s", body)
	}
	id := s.RequestID(resp)
	if got, want := s.Nav(id, "search").NavSubtitle, "1 query"; got != want {
		t.Errorf("nav subtitle = %q, want %q", got, want)
	}
	html := s.Panel(id, "search")
	for _, want := range []string{"Index", "Query", "Hits", "Time", "Stack trace", "value-of-index", "value-of-query"} {
		if !strings.Contains(html, want) {
			t.Errorf("panel is missing %q:\n%s", want, html)
		}
	}

	// A request that records nothing shows the empty message.
	resp, _ = s.Get("/?empty")
	id = s.RequestID(resp)
	if got, want := s.Nav(id, "search").NavSubtitle, "0 queries"; got != want {
		t.Errorf("nav subtitle = %q, want %q", got, want)
	}
}
