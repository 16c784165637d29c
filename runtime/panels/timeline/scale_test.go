package timeline_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/go-ddt/ddt/runtime/toolbar"
)

// The timeline at the two ends of what it is asked to show: 10 events and
// 5,000, on four goroutines, each event a query inside a traced call.

var scaleSizes = []int{10, 5_000}

// scaleApp serves /events/{n}: n events, half of them traced calls that
// each contain one query (the other half), spread over four goroutines.
func scaleApp() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /events/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(r.PathValue("n"))
		if err != nil || n < 0 || n > 10_000 || n%2 != 0 {
			http.Error(w, "n: want an even number from 0 to 10000", http.StatusBadRequest)
			return
		}
		var wg sync.WaitGroup
		for g := range 4 {
			wg.Go(func() { loadLessons(r.Context(), g, n/2/4+boolInt(g < n/2%4)) })
		}
		wg.Wait()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<!doctype html>\n<html lang=en><head><meta charset=utf-8><title>%d events</title></head><body><main><p>%d events.</p></main></body></html>\n", n, n)
	})
	return mux
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// loadLessons makes 2*calls events on its goroutine.
func loadLessons(ctx context.Context, worker, calls int) {
	for i := range calls {
		done := toolbar.Start(ctx, "trace", "lesson", "worker", worker, "i", i)
		toolbar.Start(ctx, "sql", "SELECT * FROM lessons WHERE id = ?", "id", i)(1)
		done(true)
	}
}

func scaleOptions() toolbar.Options {
	return toolbar.Options{Enable: toolbar.On, MaxEvents: 10_000}
}

func newScaleRequest(path string) *http.Request {
	req := httptest.NewRequest("GET", "http://localhost"+path, nil)
	req.RemoteAddr = "127.0.0.1:41000"
	return req
}

// renderTimeline records /events/{n} and returns the request for the
// route that renders its Timeline panel, after checking that content:
// n bars besides the handler's, n rows, and the stack of the loop once.
func renderTimeline(tb testing.TB, h http.Handler, n int) *http.Request {
	tb.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, newScaleRequest("/events/"+strconv.Itoa(n)))
	id := w.Header().Get(toolbar.RequestIDHeader)
	if w.Code != 200 || id == "" {
		tb.Fatalf("GET /events/%d: %d, id %q", n, w.Code, id)
	}
	req := newScaleRequest(toolbar.DefaultPrefix + "panels/" + id + "/timeline")
	w = httptest.NewRecorder()
	h.ServeHTTP(w, req)
	html := w.Body.String()
	bars, rows := strings.Count(html, `<button type="button" class="ddt-tl-bar `), strings.Count(html, `<tr data-ddt-tl-row=`)
	if w.Code != 200 || bars != n || rows != n || !strings.Contains(html, `ddt-tl-request`) || strings.Count(html, `class="ddt-stack"`) > 4 {
		tb.Fatalf("timeline of %d events: %d, %d bars, %d rows, %d stacks:\n%.2000s", n, w.Code, bars, rows, strings.Count(html, `class="ddt-stack"`), html)
	}
	return req
}

func TestScaleRender(t *testing.T) {
	h := toolbar.Middleware(scaleApp(), scaleOptions())
	for _, n := range scaleSizes {
		renderTimeline(t, h, n)
	}
}

type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(int)             {}

// BenchmarkTimelinePanel renders the Timeline panel of a stored request of
// n events, as the toolbar's script fetches it when the panel is opened:
// the route decodes the stored stats and writes the waterfall and the
// table.
func BenchmarkTimelinePanel(b *testing.B) {
	for _, n := range scaleSizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			h := toolbar.Middleware(scaleApp(), scaleOptions())
			req := renderTimeline(b, h, n)
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

// BenchmarkTimelineRequest is a whole request of n events through the
// middleware with every default panel, with and without the Timeline:
// what the Timeline adds to recording, GenerateStats, symbolizing and
// storing.
func BenchmarkTimelineRequest(b *testing.B) {
	for _, n := range scaleSizes {
		for _, omit := range []bool{false, true} {
			name := strconv.Itoa(n) + "/with-timeline"
			opts := scaleOptions()
			if omit {
				name = strconv.Itoa(n) + "/without"
				opts.OmitPanels = []string{"timeline"}
			}
			b.Run(name, func(b *testing.B) {
				h := toolbar.Middleware(scaleApp(), opts)
				req := newScaleRequest("/events/" + strconv.Itoa(n))
				b.ReportAllocs()
				for b.Loop() {
					h.ServeHTTP(&discardWriter{h: http.Header{}}, req)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/op")
			})
		}
	}
}
