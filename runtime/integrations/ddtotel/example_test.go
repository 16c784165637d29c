package ddtotel_test

import (
	"net/http"

	"github.com/go-ddt/ddt/runtime/integrations/ddtotel"
	"github.com/go-ddt/ddt/runtime/panel"
	"github.com/go-ddt/ddt/runtime/toolbar"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// Both ways at once, as the README shows them: the span processor files
// the application's spans into the toolbar, and the exporter panel sends
// ddt's events to the same tracer provider.
func Example() {
	exporter := tracetest.NewInMemoryExporter() // otlptracehttp.New(...) in production
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithSpanProcessor(ddtotel.NewSpanProcessor()),
		sdktrace.WithBatcher(exporter),
	)
	opts := toolbar.Options{Panels: []func() panel.Panel{ddtotel.NewExporter(tp)}}
	_ = toolbar.Middleware(http.NewServeMux(), opts)
}
