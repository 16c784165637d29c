package ddtotel_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/go-ddt/ddt/runtime/integrations/ddtotel"
	"github.com/go-ddt/ddt/runtime/panel"
	"github.com/go-ddt/ddt/runtime/toolbar"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// batch is how many spans or events one request holds; the timer runs
// only around them, not around starting and storing requests.
const batch = 1000

type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(int)             {}

type discardExporter struct{}

func (discardExporter) ExportSpans(context.Context, []sdktrace.ReadOnlySpan) error { return nil }
func (discardExporter) Shutdown(context.Context) error                             { return nil }

func newRequest() *http.Request {
	req := httptest.NewRequest("GET", "http://localhost/", nil)
	req.RemoteAddr = "127.0.0.1:41000"
	return req
}

// BenchmarkSpanProcessor is one OpenTelemetry span started and ended with
// the request's context, under the SDK's batch span processor with a
// discarding exporter: without ddtotel's processor, with it while the
// request is not recorded (no toolbar request in flight), and with it in
// a recorded request, where the span is filed into the Calls panel and
// the Timeline.
func BenchmarkSpanProcessor(b *testing.B) {
	for _, bc := range []struct {
		name      string
		processor bool
		recorded  bool
	}{{"otel", false, false}, {"ddtotel-not-recorded", true, false}, {"ddtotel-recorded", true, true}} {
		b.Run(bc.name, func(b *testing.B) {
			opts := []sdktrace.TracerProviderOption{sdktrace.WithBatcher(discardExporter{})}
			if bc.processor {
				opts = append(opts, sdktrace.WithSpanProcessor(ddtotel.NewSpanProcessor()))
			}
			tp := sdktrace.NewTracerProvider(opts...)
			defer tp.Shutdown(context.Background())
			tracer := tp.Tracer("bench")
			n := 0
			spans := func(ctx context.Context) {
				b.StartTimer()
				for range n {
					_, s := tracer.Start(ctx, "lookup")
					s.End()
				}
				b.StopTimer()
			}
			h := http.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { spans(context.Background()) }))
			if bc.recorded {
				h = toolbar.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { spans(r.Context()) }),
					toolbar.Options{Enable: toolbar.On, NoStacks: true, MaxEvents: batch})
			}
			w, req := &discardWriter{h: http.Header{}}, newRequest()
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

// BenchmarkExporter is a whole recorded request of n marked calls (each
// a traced call containing a query) through the toolbar, without and
// with the Exporter panel sending them, under the SDK's batch span
// processor with a discarding exporter: what exporting adds per event.
func BenchmarkExporter(b *testing.B) {
	for _, n := range []int{10, 1000} {
		for _, export := range []bool{false, true} {
			name := strconv.Itoa(n) + "/toolbar"
			if export {
				name += "+export"
			}
			b.Run(name, func(b *testing.B) {
				tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(discardExporter{}))
				defer tp.Shutdown(context.Background())
				opts := toolbar.Options{Enable: toolbar.On, NoStacks: true}
				if export {
					opts.Panels = []func() panel.Panel{ddtotel.NewExporter(tp)}
				}
				h := toolbar.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					for i := range n / 2 {
						done := toolbar.Start(r.Context(), "trace", "lesson", "i", i)
						toolbar.Start(r.Context(), "sql", "SELECT 1")(1)
						done(true)
					}
				}), opts)
				w, req := &discardWriter{h: http.Header{}}, newRequest()
				b.ReportAllocs()
				for b.Loop() {
					h.ServeHTTP(w, req)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/event")
			})
		}
	}
}
