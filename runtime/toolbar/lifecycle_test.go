package toolbar_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/go-ddt/ddt/runtime/panel"
	"github.com/go-ddt/ddt/runtime/toolbar"
	"github.com/go-ddt/ddt/runtime/toolbar/toolbartest"
)

// hooksPanel writes down every hook the toolbar calls on it, in order, as
// its stats.
type hooksPanel struct {
	panel.Base
	Hooks []string
}

var (
	hooksTmpl    = panel.MustParse(`<ol>{{range .Hooks}}<li>{{.}}</li>{{end}}</ol>`)
	hooksEnabled atomic.Int64 // EnableInstrumentation calls, across instances
)

func newHooksPanel() panel.Panel                 { return &hooksPanel{Hooks: []string{"new"}} }
func (*hooksPanel) ID() string                   { return "hooks" }
func (*hooksPanel) Title() string                { return "Hooks" }
func (*hooksPanel) Kinds() []string              { return []string{"lifecycle"} }
func (*hooksPanel) Template() *template.Template { return hooksTmpl }
func (p *hooksPanel) NavSubtitle() string        { return strings.Join(p.Hooks, " ") }
func (p *hooksPanel) DisableInstrumentation()    { p.Hooks = append(p.Hooks, "disable") }
func (p *hooksPanel) Record(e *panel.Event)      { p.Hooks = append(p.Hooks, "record:"+e.Name) }
func (p *hooksPanel) ServerTiming() []panel.Timing {
	return []panel.Timing{{Name: "hooks", Desc: "seen"}}
}

func (p *hooksPanel) EnableInstrumentation() {
	hooksEnabled.Add(1)
	p.Hooks = append(p.Hooks, "enable")
}

func (p *hooksPanel) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.Hooks = append(p.Hooks, "wrap:before")
		next.ServeHTTP(w, r)
		p.Hooks = append(p.Hooks, "wrap:after")
	})
}

func (p *hooksPanel) GenerateStats(r *http.Request, resp *panel.Response) {
	p.Hooks = append(p.Hooks, "generate:"+r.Pattern+":"+http.StatusText(resp.Status))
}

func TestLifecycleOrder(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /page", func(w http.ResponseWriter, r *http.Request) {
		toolbar.Emit(r.Context(), "lifecycle", "handler")
		w.Write([]byte("<html><body>page</body></html>"))
	})
	s := toolbartest.NewServer(t, mux, toolbar.Options{Panels: []func() panel.Panel{newHooksPanel}})

	want := "new enable wrap:before record:handler wrap:after disable generate:GET /page:OK"
	for range 2 { // each request gets a new instance: no hooks carry over
		resp, body := s.Get("/page")
		id := s.RequestID(resp)
		// By the time the page arrives its stats are stored, taken after
		// GenerateStats, and the toolbar is injected.
		if nav := s.Nav(id, "hooks"); nav.NavSubtitle != want {
			t.Errorf("hooks in order:\n got %s\nwant %s", nav.NavSubtitle, want)
		}
		if !strings.Contains(string(body), `data-ddt-request="`+id+`"`) {
			t.Errorf("page without the toolbar for %s: %s", id, body)
		}
		if st := resp.Header.Get("Server-Timing"); !strings.HasPrefix(st, "total;dur=") || !strings.HasSuffix(st, `, hooks;dur=0.0;desc="seen"`) {
			t.Errorf("Server-Timing = %q", st)
		}
	}
}

// readerPanel is a hooksPanel that reads its events once the handler has
// returned (panel.EventReader).
type readerPanel struct{ hooksPanel }

func newReaderPanel() panel.Panel  { return &readerPanel{hooksPanel{Hooks: []string{"new"}}} }
func (*readerPanel) ID() string    { return "reader" }
func (*readerPanel) Title() string { return "Reader" }

func (p *readerPanel) ReadEvents(events panel.Events) {
	p.Hooks = append(p.Hooks, fmt.Sprintf("read %d:", events.Len()))
	for e := range events.All() {
		p.Hooks = append(p.Hooks, "read:"+e.Kind+":"+e.Name)
	}
}

// TestEventReader: a panel.EventReader still gets Record as each event
// happens, and then, between DisableInstrumentation and GenerateStats, the
// events of its kinds in the order they came, up to the toolbar's cap, from
// the record the toolbar keeps once for all readers (the Timeline reads the
// same events).
func TestEventReader(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /page", func(w http.ResponseWriter, r *http.Request) {
		toolbar.Emit(r.Context(), "lifecycle", "first")
		toolbar.Emit(r.Context(), "other", "not for the reader")
		toolbar.Emit(r.Context(), "lifecycle", "second")
		toolbar.Emit(r.Context(), "lifecycle", "over the cap")
		w.Write([]byte("<html><body>page</body></html>"))
	})
	s := toolbartest.NewServer(t, mux, toolbar.Options{MaxEvents: 3, Panels: []func() panel.Panel{newReaderPanel}})
	resp, _ := s.Get("/page")
	id := s.RequestID(resp)
	want := "new enable wrap:before record:first record:second wrap:after disable read 2: read:lifecycle:first read:lifecycle:second generate:GET /page:OK"
	if nav := s.Nav(id, "reader"); nav.NavSubtitle != want {
		t.Errorf("hooks in order:\n got %s\nwant %s", nav.NavSubtitle, want)
	}
	var timeline struct {
		Events []struct {
			Kind string `json:"k"`
			Name string `json:"n"`
		}
	}
	s.Stats(id, "timeline", &timeline)
	if got := fmt.Sprint(timeline.Events); got != "[{lifecycle first} {other not for the reader} {lifecycle second}]" {
		t.Errorf("timeline events %s, want the three kept", got)
	}
}

func TestDisabledPanelIsNotInstrumented(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /page", func(w http.ResponseWriter, r *http.Request) {
		toolbar.Emit(r.Context(), "lifecycle", "handler")
		markedFlag(r.Context(), "flag-a")
		w.Write([]byte("<html><body>page</body></html>"))
	})
	s := toolbartest.NewServer(t, mux, toolbar.Options{Panels: []func() panel.Panel{newHooksPanel}})
	req, _ := http.NewRequest("GET", s.URL+"/page", nil)
	req.AddCookie(&http.Cookie{Name: "ddt_disabled", Value: "hooks,featureflags"})
	before := hooksEnabled.Load()
	resp, _ := s.Do(req)
	id := s.RequestID(resp)
	if n := hooksEnabled.Load() - before; n != 0 {
		t.Errorf("EnableInstrumentation called %d times for a disabled panel", n)
	}
	for _, pid := range []string{"hooks", "featureflags"} {
		nav := s.Nav(id, pid)
		if nav.Enabled || nav.NavSubtitle != "" {
			t.Errorf("disabled panel %s listed as %+v", pid, nav)
		}
		if html := s.Panel(id, pid); !strings.Contains(html, "disabled for this request") {
			t.Errorf("disabled panel %s renders %q", pid, html)
		}
	}
	// Its events are not kept, and do not go to the Calls panel either.
	if nav := s.Nav(id, "calls"); nav.NavSubtitle != "0 calls" {
		t.Errorf("calls panel: %q, want the disabled panels' events dropped", nav.NavSubtitle)
	}
	rec, _ := s.Store.Get(t.Context(), id)
	for _, p := range rec.Panels {
		if (p.ID == "hooks" || p.ID == "featureflags") && (p.Enabled || p.Stats != nil) {
			t.Errorf("stored %+v for a disabled panel", p)
		}
	}
}

// TestPanelsRenderFromStoredStats stores a record that no request made and
// has a second toolbar, sharing only the store, render it.
func TestPanelsRenderFromStoredStats(t *testing.T) {
	store := toolbar.NewMemoryStore(5)
	opts := toolbar.Options{Store: store, Panels: []func() panel.Panel{newHooksPanel}}
	recorder := toolbartest.NewServer(t, http.NotFoundHandler(), opts)
	resp, _ := recorder.Get("/x")
	id := recorder.RequestID(resp)

	viewer := toolbartest.NewServer(t, http.NotFoundHandler(), opts)
	if got, want := viewer.Panel(id, "hooks"), recorder.Panel(id, "hooks"); got != want || !strings.Contains(got, "<li>generate::Not Found</li>") {
		t.Errorf("another toolbar on the same store renders\n%s\nwant\n%s", got, want)
	}

	forged := "0123456789abcdef0123456789abcdef"
	stats, _ := json.Marshal(hooksPanel{Hooks: []string{"only-in-the-store"}})
	store.Save(context.Background(), &toolbar.StoredRequest{
		Summary: toolbar.Summary{ID: forged, Method: "GET", Path: "/never"},
		Panels:  []toolbar.StoredPanel{{ID: "hooks", Enabled: true, Stats: stats}},
	})
	if got := viewer.Panel(forged, "hooks"); got != "<ol><li>only-in-the-store</li></ol>" {
		t.Errorf("panel rendered from stored stats = %q", got)
	}
	if nav := viewer.Nav(forged, "hooks"); nav.NavSubtitle != "only-in-the-store" || nav.Title != "Hooks" || !nav.HasContent {
		t.Errorf("nav from stored stats = %+v", nav)
	}
	list := viewer.Detail(forged).Panels
	if !slices.ContainsFunc(list, func(n toolbartest.PanelNav) bool { return n.ID == "hooks" }) || len(list) != 1 {
		t.Errorf("panels of the forged record = %+v, want only hooks", list)
	}
}

func TestPanelOptions(t *testing.T) {
	ids := func(opts toolbar.Options) []string {
		s := toolbartest.NewServer(t, http.NotFoundHandler(), opts)
		resp, _ := s.Get("/")
		var out []string
		for _, p := range s.Detail(s.RequestID(resp)).Panels {
			out = append(out, p.ID)
		}
		return out
	}
	defaults := []string{"history", "versions", "timer", "timeline", "request", "headers", "sql", "templates", "logs", "outbound", "featureflags", "calls", "redirects", "profile"}
	if got := ids(toolbar.Options{}); !slices.Equal(got, defaults) {
		t.Errorf("default panels = %v, want %v", got, defaults)
	}
	// Adding a panel keeps the defaults (DjDT makes you list them again).
	if got := ids(toolbar.Options{Panels: []func() panel.Panel{newHooksPanel}}); !slices.Equal(got, append(defaults, "hooks")) {
		t.Errorf("with a panel added = %v", got)
	}
	if got := ids(toolbar.Options{OmitPanels: []string{"versions", "history"}}); !slices.Equal(got, defaults[2:]) {
		t.Errorf("with panels omitted = %v", got)
	}
	// A panel with a built-in's ID takes its place.
	replacement := func() panel.Panel { return &renamedTimer{} }
	s := toolbartest.NewServer(t, http.NotFoundHandler(), toolbar.Options{Panels: []func() panel.Panel{replacement}})
	resp, _ := s.Get("/")
	if nav := s.Nav(s.RequestID(resp), "timer"); nav.Title != "My timer" {
		t.Errorf("replaced timer panel = %+v", nav)
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), `two panels with ID "hooks"`) {
			t.Errorf("duplicate panel IDs: recovered %v", r)
		}
	}()
	toolbar.Middleware(http.NotFoundHandler(), toolbar.Options{Enable: toolbar.On, Panels: []func() panel.Panel{newHooksPanel, newHooksPanel}})
}

type renamedTimer struct{ panel.Base }

func (*renamedTimer) ID() string                   { return "timer" }
func (*renamedTimer) Title() string                { return "My timer" }
func (*renamedTimer) Template() *template.Template { return hooksTmpl }
