package history_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/go-ddt/ddt/runtime/toolbar"
	"github.com/go-ddt/ddt/runtime/toolbar/toolbartest"
)

// The History panel's rows are built by the toolbar's script from
// api/requests (see the toolbar's browser test); the server renders only
// what shows without the script.
func TestPanel(t *testing.T) {
	s := toolbartest.NewServer(t, http.NotFoundHandler(), toolbar.Options{})
	resp, _ := s.Get("/")
	id := s.RequestID(resp)
	if nav := s.Nav(id, "history"); nav.Title != "History" || !nav.HasContent || !nav.Enabled {
		t.Errorf("nav %+v", nav)
	}
	if html := s.Panel(id, "history"); !strings.Contains(html, `class="ddt-empty"`) {
		t.Errorf("panel %q", html)
	}
}
