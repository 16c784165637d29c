package versions_test

import (
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/go-ddt/ddt/runtime/panels/versions"
	"github.com/go-ddt/ddt/runtime/toolbar"
	"github.com/go-ddt/ddt/runtime/toolbar/toolbartest"
)

func TestPanel(t *testing.T) {
	s := toolbartest.NewServer(t, http.NotFoundHandler(), toolbar.Options{})
	resp, _ := s.Get("/")
	id := s.RequestID(resp)
	if nav := s.Nav(id, "versions"); nav.NavSubtitle != runtime.Version() {
		t.Errorf("subtitle %q", nav.NavSubtitle)
	}
	var p versions.Panel
	s.Stats(id, "versions", &p)
	if p.Main.Path != "github.com/go-ddt/ddt" || p.Platform != runtime.GOOS+"/"+runtime.GOARCH || len(p.Settings) == 0 {
		t.Errorf("stats %+v", p)
	}
	if html := s.Panel(id, "versions"); !strings.Contains(html, "<code>github.com/go-ddt/ddt</code>") || !strings.Contains(html, "<code>"+runtime.Version()+"</code>") {
		t.Errorf("panel:\n%s", html)
	}
}
