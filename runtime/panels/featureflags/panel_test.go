package featureflags_test

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

	"github.com/go-ddt/ddt/runtime/panels/featureflags"
)

// TestPanel records one evaluation in a real request behind the toolbar
// and checks what the panel shows for it.
func TestPanel(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if !r.URL.Query().Has("empty") {
			// What a call of a function marked //ddt:flag records, emitted by hand.
			done := toolbar.Start(r.Context(), "flag", "example-flag")
			done(true)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<!doctype html><html><body><p>page</p></body></html>")
	})
	s := toolbartest.NewServer(t, mux, toolbar.Options{Panels: []func() panel.Panel{featureflags.New}})

	resp, body := s.Get("/")
	if !strings.Contains(string(body), "toolbar.js") {
		t.Fatalf("the toolbar was not injected into the page:\n%s", body)
	}
	id := s.RequestID(resp)
	if got, want := s.Nav(id, "featureflags").NavSubtitle, "1 evaluation"; got != want {
		t.Errorf("nav subtitle = %q, want %q", got, want)
	}
	html := s.Panel(id, "featureflags")
	for _, want := range []string{"Name", "Result", "Stack trace", "example-flag"} {
		if !strings.Contains(html, want) {
			t.Errorf("panel is missing %q:\n%s", want, html)
		}
	}

	// A request that records nothing shows the empty message.
	resp, _ = s.Get("/?empty")
	id = s.RequestID(resp)
	if got, want := s.Nav(id, "featureflags").NavSubtitle, "0 evaluations"; got != want {
		t.Errorf("nav subtitle = %q, want %q", got, want)
	}
}
