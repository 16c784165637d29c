package toolbar_test

import (
	"html/template"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/go-ddt/ddt/runtime/panel"
	"github.com/go-ddt/ddt/runtime/toolbar"
	"github.com/go-ddt/ddt/runtime/toolbar/toolbartest"
)

// notesPanel serves a route of its own, links to it from its content, and
// is off until the user switches it on.
type notesPanel struct {
	panel.Base
	Link string // where the panel's route is, as GenerateStats learnt it
}

var (
	notesTmpl    = panel.MustParse(`<a class="notes" href="{{.Link}}note?n=1">note</a>`)
	notesServed  atomic.Int32
	notesRecords atomic.Int32
)

func newNotesPanel() panel.Panel                 { return &notesPanel{} }
func (*notesPanel) ID() string                   { return "notes" }
func (*notesPanel) Title() string                { return "Notes" }
func (*notesPanel) Template() *template.Template { return notesTmpl }
func (*notesPanel) DisabledByDefault() bool      { return true }
func (*notesPanel) EnableInstrumentation()       { notesRecords.Add(1) }

func (p *notesPanel) GenerateStats(_ *http.Request, resp *panel.Response) {
	p.Link = resp.RoutesURL(p.ID())
}

func (*notesPanel) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /note", func(w http.ResponseWriter, r *http.Request) {
		notesServed.Add(1)
		io.WriteString(w, "note "+r.URL.Query().Get("n")+" at "+r.URL.Path)
	})
	return mux
}

func TestPanelRoutes(t *testing.T) {
	for _, prefix := range []string{"", "/_tb"} {
		t.Run("prefix "+prefix, func(t *testing.T) {
			page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				io.WriteString(w, "<html><body>page</body></html>")
			})
			s := toolbartest.NewServer(t, page, toolbar.Options{Prefix: prefix, Panels: []func() panel.Panel{newNotesPanel}})
			s.SwitchOn("notes")
			resp, _ := s.Get("/page")
			html := s.Panel(s.RequestID(resp), "notes")
			want := `href="` + s.Prefix + `ext/notes/note?n=1"`
			if !strings.Contains(html, want) {
				t.Fatalf("panel content %q does not link to its route (%s)", html, want)
			}

			before, saved := notesServed.Load(), stored(t, s)
			resp, body := s.Get(s.Prefix + "ext/notes/note?n=1")
			if resp.StatusCode != 200 || string(body) != "note 1 at /note" {
				t.Fatalf("the panel's route: %s %q", resp.Status, body)
			}
			if notesServed.Load() != before+1 {
				t.Error("the panel's handler did not serve its route")
			}
			if stored(t, s) != saved || resp.Header.Get(toolbar.RequestIDHeader) != "" {
				t.Error("a request to a panel's route was recorded")
			}
			for _, path := range []string{"ext/notes/", "ext/notes/other", "ext/nobody/note", "ext/", "ext/sql/nothing"} {
				if resp, _ := s.Get(s.Prefix + path); resp.StatusCode != http.StatusNotFound {
					t.Errorf("%s: %s, want 404", path, resp.Status)
				}
			}
		})
	}
}

// stored returns how many requests s's store holds.
func stored(t *testing.T, s *toolbartest.Server) int {
	list, err := s.Store.List(t.Context(), toolbar.ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

func TestPanelRoutesRejectHiddenClients(t *testing.T) {
	s := toolbartest.NewServer(t, http.NotFoundHandler(), toolbar.Options{
		Show:   func(r *http.Request) bool { return r.Header.Get("X-Show") != "" },
		Panels: []func() panel.Panel{newNotesPanel},
	})
	before := notesServed.Load()
	if resp, _ := s.Get(s.Prefix + "ext/notes/note"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a client the toolbar is not shown to: %s, want 404", resp.Status)
	}
	if notesServed.Load() != before {
		t.Error("the panel's route served a client the toolbar is not shown to")
	}
}

func TestPanelsOffByDefault(t *testing.T) {
	s := toolbartest.NewServer(t, http.NotFoundHandler(), toolbar.Options{
		Panels:        []func() panel.Panel{newNotesPanel},
		DisablePanels: []string{"timer"},
	})
	get := func(cookies ...*http.Cookie) toolbartest.RequestDetail {
		t.Helper()
		req, _ := http.NewRequest("GET", s.URL+"/", nil)
		for _, c := range cookies {
			req.AddCookie(c)
		}
		resp, _ := s.Do(req)
		return s.Detail(s.RequestID(resp))
	}
	state := func(d toolbartest.RequestDetail, id string) (enabled, defaultOn bool) {
		for _, p := range d.Panels {
			if p.ID == id {
				return p.Enabled, p.DefaultOn
			}
		}
		t.Fatalf("no panel %s", id)
		return
	}
	for _, c := range []struct {
		name                    string
		cookies                 []*http.Cookie
		notes, timer, redirects bool
	}{
		{"defaults", nil, false, false, false},
		{"switched on", []*http.Cookie{{Name: "ddt_enabled", Value: "notes,timer"}}, true, true, false},
		{"switched off wins", []*http.Cookie{{Name: "ddt_enabled", Value: "notes"}, {Name: "ddt_disabled", Value: "notes"}}, false, false, false},
		{"built-in off by default", []*http.Cookie{{Name: "ddt_enabled", Value: "redirects"}}, false, false, true},
	} {
		before := notesRecords.Load()
		d := get(c.cookies...)
		for id, want := range map[string]bool{"notes": c.notes, "timer": c.timer, "redirects": c.redirects} {
			enabled, defaultOn := state(d, id)
			if enabled != want {
				t.Errorf("%s: panel %s enabled = %v, want %v", c.name, id, enabled, want)
			}
			if defaultOn {
				t.Errorf("%s: panel %s says it is on by default", c.name, id)
			}
		}
		if enabled, defaultOn := state(d, "request"); !enabled || !defaultOn {
			t.Errorf("%s: the Request panel is enabled %v, on by default %v", c.name, enabled, defaultOn)
		}
		if ran := notesRecords.Load() != before; ran != c.notes {
			t.Errorf("%s: the notes panel's instrumentation ran: %v", c.name, ran)
		}
	}
}
