package toolbar_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/go-ddt/ddt/runtime/panels/featureflags"
	"github.com/go-ddt/ddt/runtime/toolbar"
	"github.com/go-ddt/ddt/runtime/toolbar/toolbartest"
)

// The benchmarks in this file measure the toolbar at the two ends of what
// one request records: 10 events, and 10,000 (the default cap), each with
// its stack. The goal: the server renders a panel of 10,000 rows in about
// 100 ms, and a browser opens it in about a second (scale_browser_test.go).

// scaleSizes are the numbers of events one request records.
var scaleSizes = []int{10, 10_000}

// scaleApp is an application whose pages record many events: /flags/{n}
// evaluates n feature flags and /calls/{n} makes n traced calls, two calls
// down from the handler, as a real app's templates or services would.
func scaleApp() http.Handler {
	names := make([]string, scaleSizes[len(scaleSizes)-1])
	for i := range names {
		names[i] = "flag-" + strconv.Itoa(i+1)
	}
	page := func(w http.ResponseWriter, what string, n int) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<!doctype html>\n<html lang=en><head><meta charset=utf-8><title>%d %s</title></head>\n<body><main><p>%d %s recorded.</p></main></body></html>\n", n, what, n, what)
	}
	count := func(w http.ResponseWriter, r *http.Request) (int, bool) {
		n, err := strconv.Atoi(r.PathValue("n"))
		if err != nil || n < 0 || n > len(names) {
			http.Error(w, "n: want 0 to "+strconv.Itoa(len(names)), http.StatusBadRequest)
			return 0, false
		}
		return n, true
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /flags/{n}", func(w http.ResponseWriter, r *http.Request) {
		if n, ok := count(w, r); ok {
			scaleEvaluateFlags(r.Context(), names[:n])
			page(w, "flag evaluations", n)
		}
	})
	mux.HandleFunc("GET /calls/{n}", func(w http.ResponseWriter, r *http.Request) {
		if n, ok := count(w, r); ok {
			scaleTraceCalls(names[:n])
			page(w, "calls", n)
		}
	})
	return mux
}

func scaleEvaluateFlags(ctx context.Context, names []string) {
	for _, name := range names {
		markedFlag(ctx, name)
	}
}

func scaleTraceCalls(names []string) {
	for i, name := range names {
		markedTrace(name, i)
	}
}

// scaleOptions keep every event of the largest request.
func scaleOptions() toolbar.Options {
	return toolbar.Options{Enable: toolbar.On, MaxEvents: max(toolbar.DefaultMaxEvents, scaleSizes[len(scaleSizes)-1])}
}

// newScaleRequest returns a request from a loopback client, so that the
// default Show records it.
func newScaleRequest(path string) *http.Request {
	req := httptest.NewRequest("GET", "http://localhost"+path, nil)
	req.RemoteAddr = "127.0.0.1:41000"
	return req
}

// recordScalePage serves path through h and returns the recorded request's
// id, after checking that the toolbar was injected.
func recordScalePage(tb testing.TB, h http.Handler, path string) string {
	tb.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, newScaleRequest(path))
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "toolbar.js") {
		tb.Fatalf("GET %s: %d, toolbar injected: %v", path, w.Code, strings.Contains(w.Body.String(), "toolbar.js"))
	}
	id := w.Header().Get(toolbar.RequestIDHeader)
	if id == "" {
		tb.Fatalf("GET %s: not recorded", path)
	}
	return id
}

// BenchmarkScaleRequest is a whole request that evaluates n flags, through
// the middleware with the toolbar shown: recording, GenerateStats, stack
// symbolization, the JSON of every panel's stats, saving and injection.
func BenchmarkScaleRequest(b *testing.B) {
	for _, n := range scaleSizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			h := toolbar.Middleware(scaleApp(), scaleOptions())
			path := "/flags/" + strconv.Itoa(n)
			recordScalePage(b, h, path)
			req := newScaleRequest(path)
			b.ReportAllocs()
			for b.Loop() {
				h.ServeHTTP(&discardWriter{h: http.Header{}}, req)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/op")
		})
	}
}

// scalePanels are the panels measured, each with the page whose events it
// shows and a string that each of its rows holds once.
var scalePanels = []struct{ panel, page, row string }{
	{"featureflags", "flags", "<code>flag-"},
	{"calls", "calls", "<code>toolbar_test.<wbr>markedTrace</code>"},
}

// renderScalePanel records a request of n events on page for panel and
// returns the request for the toolbar's route that renders the panel's
// content, after checking that content: n rows, and the stack of their one
// call site sent once, with n-1 references to it.
func renderScalePanel(tb testing.TB, h http.Handler, panel, page, row string, n int) *http.Request {
	tb.Helper()
	id := recordScalePage(tb, h, "/"+page+"/"+strconv.Itoa(n))
	req := newScaleRequest(toolbar.DefaultPrefix + "panels/" + id + "/" + panel)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	html := w.Body.String()
	// The Calls panel lists the process's last unattributed events (of
	// other tests) in a table of their own, after its calls.
	html, _, _ = strings.Cut(html, "</table>")
	rows, stacks, repeats := strings.Count(html, row), strings.Count(html, `class="ddt-stack"`), strings.Count(html, `data-ddt-same="1"`)
	if w.Code != http.StatusOK || rows != n || stacks != 1 || repeats != n-1 || !strings.Contains(html, `<ol data-ddt-stack="1">`) {
		tb.Fatalf("panel %s: %d, %d rows, %d stacks and %d repeats; want %d rows, 1 stack and %d repeats:\n%.2000s",
			panel, w.Code, rows, stacks, repeats, n, n-1, html)
	}
	return req
}

// TestScalePanelStackOnce: a panel of calls made in a loop holds their
// stack once, and the stats read back give every row its frames.
func TestScalePanelStackOnce(t *testing.T) {
	s := toolbartest.NewServer(t, scaleApp(), scaleOptions())
	for _, pc := range scalePanels {
		renderScalePanel(t, s.Config.Handler, pc.panel, pc.page, pc.row, 10)
	}
	resp, _ := s.Get("/flags/10")
	var flags featureflags.Panel
	s.Stats(s.RequestID(resp), "featureflags", &flags)
	for i, r := range flags.Rows {
		if len(r.Stack.Frames) == 0 || r.Stack.Frames[0].Func != flags.Rows[0].Stack.Frames[0].Func {
			t.Errorf("row %d: stack %+v, want the frames of row 1", i+1, r.Stack)
		}
	}
}

// TestRepeatedStackFrames: a template that reads a Stack's Frames itself,
// as the Logs panel's does for its Source column, gets those of a stack
// that repeats an earlier one too.
func TestRepeatedStackFrames(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		for i := range 3 {
			toolbar.Emit(r.Context(), "log", "line", "i", i)
		}
		io.WriteString(w, "<html><body></body></html>")
	})
	s := toolbartest.NewServer(t, mux, toolbar.Options{})
	resp, _ := s.Get("/")
	html := s.Panel(s.RequestID(resp), "logs")
	if n := strings.Count(html, `TestRepeatedStackFrames.func1</code>`); n != 3 || strings.Contains(html, "unknown") {
		t.Errorf("the source of %d of 3 log lines from one loop is shown, want all:\n%s", n, html)
	}
}

// BenchmarkScalePanel renders a panel of a stored request of n events, as
// the toolbar's script fetches it when the panel is opened: the route
// panels/{id}/{panel} decodes the stored stats and executes the panel's
// template. The Feature Flags panel shows a request of n flags, the Calls
// panel one of n traced calls.
func BenchmarkScalePanel(b *testing.B) {
	for _, pc := range scalePanels {
		for _, n := range scaleSizes {
			b.Run(pc.panel+"/"+strconv.Itoa(n), func(b *testing.B) {
				h := toolbar.Middleware(scaleApp(), scaleOptions())
				req := renderScalePanel(b, h, pc.panel, pc.page, pc.row, n)
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				b.ReportAllocs()
				for b.Loop() {
					h.ServeHTTP(&discardWriter{h: http.Header{}}, req)
				}
				b.ReportMetric(float64(w.Body.Len())/1024, "KiB/page")
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/op")
			})
		}
	}
}
