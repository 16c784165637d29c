package timer_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-ddt/ddt/runtime/panels/timer"
	"github.com/go-ddt/ddt/runtime/toolbar"
	"github.com/go-ddt/ddt/runtime/toolbar/toolbartest"
)

func TestPanel(t *testing.T) {
	s := toolbartest.NewServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(20 * time.Millisecond)
	}), toolbar.Options{})
	before := time.Now()
	resp, _ := s.Get("/")
	id := s.RequestID(resp)
	var p timer.Panel
	s.Stats(id, "timer", &p)
	if p.Total < 20*time.Millisecond || p.Total > time.Since(before) || p.Started.Before(before) {
		t.Errorf("stats %+v", p)
	}
	if nav := s.Nav(id, "timer"); !strings.HasPrefix(nav.NavSubtitle, "Total: ") || !strings.HasSuffix(nav.NavSubtitle, " ms") {
		t.Errorf("subtitle %q", nav.NavSubtitle)
	}
	if html := s.Panel(id, "timer"); !strings.Contains(html, "<tbody data-ddt-browser-timing></tbody>") {
		t.Errorf("no browser timing tbody:\n%s", html)
	}
}
