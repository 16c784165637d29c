package timeline_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-ddt/ddt/runtime/panels/timeline"
	"github.com/go-ddt/ddt/runtime/toolbar"
	"github.com/go-ddt/ddt/runtime/toolbar/toolbartest"
)

// handler makes a request of known shape: on the handler goroutine, a
// "trace" event that contains a "sql" one, then a log record (an instant);
// on two goroutines it starts, given the request's context, a flag each.
func handler(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	outer := toolbar.Start(ctx, "trace", "load")
	inner := toolbar.Start(ctx, "sql", "SELECT 1")
	time.Sleep(2 * time.Millisecond)
	inner(1)
	time.Sleep(time.Millisecond)
	outer()
	toolbar.Emit(ctx, "log", "loaded")
	var wg sync.WaitGroup
	for _, name := range []string{"a", "b"} {
		wg.Go(func() {
			done := toolbar.Start(ctx, "flag", name)
			time.Sleep(time.Millisecond)
			done(true)
		})
	}
	wg.Wait()
	w.Header().Set("Content-Type", "text/html")
	w.Write([]byte("<html><body>ok</body></html>"))
}

func record(t *testing.T) (*toolbartest.Server, string, timeline.Panel) {
	t.Helper()
	s := toolbartest.NewServer(t, http.HandlerFunc(handler), toolbar.Options{})
	resp, _ := s.Get("/page?token=secret")
	id := s.RequestID(resp)
	var p timeline.Panel
	s.Stats(id, "timeline", &p)
	return s, id, p
}

func TestLanesAndNesting(t *testing.T) {
	_, _, p := record(t)
	if p.Request != "GET /page" {
		t.Errorf("Request = %q, want the method and path without the query", p.Request)
	}
	if len(p.Events) != 5 {
		t.Fatalf("%d events, want 5: %+v", len(p.Events), p.Events)
	}
	if p.Handler == 0 {
		t.Fatal("handler goroutine unknown")
	}
	if len(p.Lanes) != 3 || !p.Lanes[0].Handler || p.Lanes[0].Goroutine != p.Handler {
		t.Fatalf("lanes %+v, want the handler's then two", p.Lanes)
	}
	byName := map[string]timeline.Entry{}
	for i, e := range p.Events {
		if i > 0 && e.Start < p.Events[i-1].Start {
			t.Errorf("event %d starts before event %d", i, i-1)
		}
		if e.Start < 0 || e.Start+e.Duration > p.Total {
			t.Errorf("%s: [%v, +%v] outside the request's %v", e.Name, e.Start, e.Duration, p.Total)
		}
		byName[e.Name] = e
	}
	load, sql, logged := byName["load"], byName["SELECT 1"], byName["loaded"]
	// The handler's span has row 0 of its lane; "load" is under it,
	// "SELECT 1" under "load", and the log record after both, under the
	// handler's span only.
	for _, c := range []struct {
		e           timeline.Entry
		lane, depth int
	}{{load, 0, 1}, {sql, 0, 2}, {logged, 0, 1}} {
		if c.e.Lane != c.lane || c.e.Depth != c.depth {
			t.Errorf("%s: lane %d depth %d, want %d %d", c.e.Name, c.e.Lane, c.e.Depth, c.lane, c.depth)
		}
	}
	if p.Lanes[0].Rows != 3 {
		t.Errorf("handler lane has %d rows, want 3", p.Lanes[0].Rows)
	}
	if logged.Duration != 0 || sql.Duration < 2*time.Millisecond || load.Duration < sql.Duration {
		t.Errorf("durations: log %v, sql %v, load %v", logged.Duration, sql.Duration, load.Duration)
	}
	a, b := byName["a"], byName["b"]
	if a.Lane == 0 || b.Lane == 0 || a.Lane == b.Lane || a.Depth != 0 || b.Depth != 0 {
		t.Errorf("flags: a lane %d depth %d, b lane %d depth %d: want lanes of their own", a.Lane, a.Depth, b.Lane, b.Depth)
	}
	if p.Owners["flag"] != "featureflags" || p.Owners["sql"] != "sql" || p.Owners["log"] != "logs" || p.Owners["trace"] != "calls" {
		t.Errorf("owners %v", p.Owners)
	}
	if len(load.Stack.Frames) == 0 && load.Stack.Same == 0 {
		t.Errorf("load has no stack")
	}
}

func TestRender(t *testing.T) {
	s, id, _ := record(t)
	html := s.Panel(id, "timeline")
	for _, want := range []string{
		`data-ddt-timeline data-total="`,
		`class="ddt-tl-bar ddt-tl-request" data-s="0"`,
		`>GET /page</span>`,
		`class="ddt-tl-bar ddt-tl-k-sql" data-i="1"`,
		`class="ddt-tl-bar ddt-tl-k-log ddt-tl-instant"`,
		`data-ddt-open-panel="featureflags"`,
		`data-ddt-tl-row="4"`,
		"handler goroutine ",
		"5 events on 3 goroutines",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("panel lacks %q:\n%s", want, html)
		}
	}
	if strings.Contains(html, "secret") || strings.Contains(html, "style=") {
		t.Errorf("panel shows the query or inline style:\n%s", html)
	}
	if nav := s.Nav(id, "timeline"); nav.NavSubtitle != "5 events, 3 goroutines" {
		t.Errorf("subtitle %q", nav.NavSubtitle)
	}
}

func TestEmpty(t *testing.T) {
	s := toolbartest.NewServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}), toolbar.Options{})
	resp, _ := s.Get("/")
	id := s.RequestID(resp)
	if html := s.Panel(id, "timeline"); !strings.Contains(html, "No events recorded in ") {
		t.Errorf("empty panel:\n%s", html)
	}
}

// TestEscaped feeds markup through every text the panel shows.
func TestEscaped(t *testing.T) {
	const evil = `<script>alert(1)</script>"'`
	s := toolbartest.NewServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		toolbar.Start(r.Context(), evil, evil, evil, evil)(evil)
	}), toolbar.Options{})
	resp, _ := s.Get("/")
	html := s.Panel(s.RequestID(resp), "timeline")
	if strings.Contains(html, "<script>") || strings.Contains(html, `"'`) {
		t.Errorf("unescaped:\n%s", html)
	}
}
