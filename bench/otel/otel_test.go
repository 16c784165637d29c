package otel_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	__ddt "github.com/go-ddt/ddt/runtime/ddtrt"
	"github.com/go-ddt/ddt/runtime/toolbar"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// The same function, recorded two ways: featureEnabled in the shape that
// ddt instrument generates for //ddt:flag, and featureEnabledOTel with the
// span an OpenTelemetry user would write by hand, carrying the same facts
// (the flag's name and its result).

var siteFeatureEnabled = __ddt.Site{Kind: "flag", Func: "otel_test.featureEnabled", Params: []string{"ctx", "name"}, Results: []string{""}, Ctx: 0, Req: -1, NameArg: 1}

func featureEnabled(ctx context.Context, name string) (__ddt_r0 bool) {
	if __ddt.Active() {
		__ddt_c := __ddt.Enter(&siteFeatureEnabled, ctx, name)
		defer func() { __ddt_c.Exit(recover(), __ddt_r0) }()
	}
	return len(name)%2 == 0
}

func featureEnabledOTel(ctx context.Context, tracer trace.Tracer, name string) bool {
	_, span := tracer.Start(ctx, "otel_test.featureEnabled", trace.WithAttributes(attribute.String("name", name)))
	defer span.End()
	result := len(name)%2 == 0
	span.SetAttributes(attribute.Bool("result", result))
	return result
}

// featureEnabledPlain is the function as the user wrote it, kept out of
// line like the marked one (which is never inlined: it has a defer).
//
//go:noinline
func featureEnabledPlain(ctx context.Context, name string) bool {
	return len(name)%2 == 0
}

// batch is how many calls one request (or root span) holds; the timer
// runs only around the calls, not around starting and storing requests.
const batch = 2000

type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(int)             {}

// BenchmarkRecordCall runs side by side: one call of a marked function
// recorded by ddt in a recorded request (without and with its stack), and
// the same call as an OpenTelemetry SDK span (started and ended, exported
// synchronously to tracetest's in-memory exporter) under a request span.
//
// plain, ddt-inactive and otel-noop are the same call when nothing records
// it: the function as written, the marked function with no toolbar request
// in flight, and the OpenTelemetry version under the API's no-op tracer.
func BenchmarkRecordCall(b *testing.B) {
	ctx := context.Background()
	b.Run("plain", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			featureEnabledPlain(ctx, "redesigned-dashboard")
		}
	})
	b.Run("ddt-inactive", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			featureEnabled(ctx, "redesigned-dashboard")
		}
	})
	b.Run("otel-noop", func(b *testing.B) {
		tracer := noop.NewTracerProvider().Tracer("bench")
		b.ReportAllocs()
		for b.Loop() {
			featureEnabledOTel(ctx, tracer, "redesigned-dashboard")
		}
	})
	// ddt and ddt-with-stack record into the Feature Flags panel alone,
	// as before the Timeline existed; ddt-timeline adds the Timeline, a
	// default panel that receives every event.
	for _, bc := range []struct {
		name     string
		noStacks bool
		omit     []string
	}{
		{"ddt", true, []string{"timeline"}},
		{"ddt-with-stack", false, []string{"timeline"}},
		{"ddt-timeline", true, nil},
	} {
		b.Run(bc.name, func(b *testing.B) {
			n := 0
			h := toolbar.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				ctx := r.Context()
				b.StartTimer()
				for range n {
					featureEnabled(ctx, "redesigned-dashboard")
				}
				b.StopTimer()
			}), toolbar.Options{Enable: toolbar.On, NoStacks: bc.noStacks, MaxEvents: batch,
				OmitPanels: append([]string{"history", "versions", "timer", "request", "headers", "calls"}, bc.omit...)})
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
	// otel-span exports synchronously to tracetest's in-memory exporter;
	// otel-batch is the production setup: the SDK's batch span processor
	// (default queue of 2,048 spans and batches of 512, exported from a
	// goroutine of its own, which shares the machine's cores with the
	// calls) in front of an exporter that discards what it gets.
	exporter := tracetest.NewInMemoryExporter()
	for _, pc := range []struct {
		name   string
		option sdktrace.TracerProviderOption
		reset  func()
	}{
		{"otel-span", sdktrace.WithSyncer(exporter), exporter.Reset},
		{"otel-batch", sdktrace.WithBatcher(discardExporter{}), func() {}},
	} {
		b.Run(pc.name, func(b *testing.B) {
			provider := sdktrace.NewTracerProvider(pc.option)
			defer provider.Shutdown(context.Background())
			tracer := provider.Tracer("bench")
			b.ReportAllocs()
			b.StopTimer()
			b.ResetTimer()
			for done := 0; done < b.N; done += batch {
				ctx, request := tracer.Start(context.Background(), "GET /")
				b.StartTimer()
				for range min(batch, b.N-done) {
					featureEnabledOTel(ctx, tracer, "redesigned-dashboard")
				}
				b.StopTimer()
				request.End()
				pc.reset()
			}
		})
	}
}

// discardExporter is a span exporter that drops every span: the batch
// span processor's work without a backend's.
type discardExporter struct{}

func (discardExporter) ExportSpans(context.Context, []sdktrace.ReadOnlySpan) error { return nil }
func (discardExporter) Shutdown(context.Context) error                             { return nil }
