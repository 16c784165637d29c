package toolbar_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-ddt/ddt/runtime/toolbar"
)

// discardWriter is a reusable ResponseWriter, so that a benchmark measures
// the middleware and not the recorder.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(int)             {}

var okHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})

// BenchmarkMiddlewareNotShown is the cost the toolbar adds to a request it
// does not record: the default loopback check, or a Show callback.
func BenchmarkMiddlewareNotShown(b *testing.B) {
	run := func(b *testing.B, h http.Handler) {
		req := httptest.NewRequest("GET", "/page", nil)
		req.RemoteAddr = "203.0.113.9:41000"
		w := &discardWriter{h: http.Header{}}
		b.ReportAllocs()
		for b.Loop() {
			h.ServeHTTP(w, req)
		}
	}
	b.Run("bare", func(b *testing.B) { run(b, okHandler) })
	b.Run("default-show", func(b *testing.B) { run(b, toolbar.Middleware(okHandler, toolbar.Options{Enable: toolbar.On})) })
	b.Run("show-callback", func(b *testing.B) {
		run(b, toolbar.Middleware(okHandler, toolbar.Options{Enable: toolbar.On, Show: func(*http.Request) bool { return false }}))
	})
}

// BenchmarkRecordEvent is the cost of one call of a marked function in a
// recorded request, from Enter to the panel's Record. The calls run inside
// a real request's handler, in batches; the timer runs only around them.
func BenchmarkRecordEvent(b *testing.B) {
	const batch = 2000
	for _, bc := range []struct {
		name     string
		noStacks bool
		call     func(r *http.Request)
	}{
		{"ctx/no-stack", true, func(r *http.Request) { markedFlag(r.Context(), "flag") }},
		{"ctx/stack", false, func(r *http.Request) { markedFlag(r.Context(), "flag") }},
		{"goroutine/no-stack", true, func(r *http.Request) { markedFlagNoCtx("flag") }},
		{"goroutine/stack", false, func(r *http.Request) { markedFlagNoCtx("flag") }},
		{"emit/no-stack", true, func(r *http.Request) { toolbar.Emit(r.Context(), "flag", "flag", "result", true) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			n := 0
			h := toolbar.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b.StartTimer()
				for range n {
					bc.call(r)
				}
				b.StopTimer()
			}), toolbar.Options{Enable: toolbar.On, NoStacks: bc.noStacks, MaxEvents: batch,
				OmitPanels: []string{"history", "versions", "timer", "request", "headers", "calls"}})
			req := httptest.NewRequest("GET", "http://localhost/", nil)
			req.RemoteAddr = "127.0.0.1:41000"
			w := &discardWriter{h: http.Header{}}
			b.ReportAllocs()
			b.StopTimer()
			b.ResetTimer()
			for done := 0; done < b.N; done += n {
				n = min(batch, b.N-done)
				h.ServeHTTP(w, req)
			}
		})
	}
}

// BenchmarkShownPage is a whole recorded request for a 100 KB page, with
// the built-in panels and the toolbar injected: what a developer waits for.
func BenchmarkShownPage(b *testing.B) {
	page := []byte("<!DOCTYPE html><html><head><title>t</title></head><body>" +
		strings.Repeat("<p>Lorem <b>ipsum</b> dolor sit amet.</p>\n", 100*1024/42) + "</body></html>")
	h := toolbar.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		for p := page; len(p) > 0; p = p[min(len(p), 4096):] {
			w.Write(p[:min(len(p), 4096)])
		}
	}), toolbar.Options{Enable: toolbar.On})
	req := httptest.NewRequest("GET", "http://localhost/", nil)
	req.RemoteAddr = "127.0.0.1:41000"
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(&discardWriter{h: http.Header{}}, req)
	}
}
