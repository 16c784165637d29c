package ddtotel_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/go-ddt/ddt/runtime/event"
	"github.com/go-ddt/ddt/runtime/featureflag"
	"github.com/go-ddt/ddt/runtime/integrations/ddtotel"
	"github.com/go-ddt/ddt/runtime/panel"
	"github.com/go-ddt/ddt/runtime/toolbar"
	"github.com/go-ddt/ddt/runtime/toolbar/toolbartest"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

// dashboard is a handler whose events have every shape the exporter
// turns into OpenTelemetry: a traced call that contains a query and a
// flag evaluation, a flag evaluation that fails, a log record (an
// instant), and a call that panics and is recovered by its caller.
func dashboard(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	load := toolbar.Start(ctx, "trace", "loadDashboard", "user", "ada")
	query := toolbar.Start(ctx, "sql", "SELECT * FROM lessons")
	time.Sleep(time.Millisecond)
	query(3)
	toolbar.Start(ctx, "flag", "weekly-digest")(true)
	time.Sleep(time.Millisecond)
	load(12)
	toolbar.Start(ctx, "flag", "beta-grades")(false, errors.New("provider down"))
	toolbar.Emit(ctx, "log", "dashboard served", "lessons", 3)
	w.Header().Set("Content-Type", "text/html")
	w.Write([]byte("<html><body>dashboard</body></html>"))
}

func attrs(kvs []attribute.KeyValue) map[string]attribute.Value {
	m := map[string]attribute.Value{}
	for _, kv := range kvs {
		m[string(kv.Key)] = kv.Value
	}
	return m
}

func spanNamed(t *testing.T, spans tracetest.SpanStubs, name string) tracetest.SpanStub {
	t.Helper()
	for _, s := range spans {
		if s.Name == name {
			return s
		}
	}
	var names []string
	for _, s := range spans {
		names = append(names, s.Name)
	}
	t.Fatalf("no span %q among %q", name, names)
	return tracetest.SpanStub{}
}

func eventNamed(t *testing.T, s tracetest.SpanStub, name string, key string, value string) sdktrace.Event {
	t.Helper()
	for _, ev := range s.Events {
		if ev.Name == name && attrs(ev.Attributes)[key].String() == value {
			return ev
		}
	}
	t.Fatalf("span %q has no event %q with %s=%s: %+v", s.Name, name, key, value, s.Events)
	return sdktrace.Event{}
}

// TestExportStandalone: without OpenTelemetry in the request, the
// exporter starts the request's span, and the events become its children
// and span events.
func TestExportStandalone(t *testing.T) {
	mem := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(mem))
	t.Cleanup(func() { tp.Shutdown(context.Background()) })
	mux := http.NewServeMux()
	mux.HandleFunc("GET /dashboard", dashboard)
	s := toolbartest.NewServer(t, mux, toolbar.Options{Panels: []func() panel.Panel{ddtotel.NewExporter(tp)}})
	resp, _ := s.Get("/dashboard")
	id := s.RequestID(resp)

	spans := mem.GetSpans()
	request := spanNamed(t, spans, "GET /dashboard")
	load := spanNamed(t, spans, "trace loadDashboard")
	query := spanNamed(t, spans, "sql SELECT * FROM lessons")
	if len(spans) != 3 {
		t.Errorf("%d spans, want 3 (the flags and the log are span events)", len(spans))
	}
	if request.SpanKind != trace.SpanKindServer || request.Parent.IsValid() ||
		attrs(request.Attributes)["http.route"].AsString() != "GET /dashboard" ||
		attrs(request.Attributes)["http.response.status_code"].AsInt64() != 200 {
		t.Errorf("request span: %+v", request)
	}
	if load.Parent.SpanID() != request.SpanContext.SpanID() || query.Parent.SpanID() != load.SpanContext.SpanID() {
		t.Errorf("nesting: load's parent %v (request %v), query's parent %v (load %v)",
			load.Parent.SpanID(), request.SpanContext.SpanID(), query.Parent.SpanID(), load.SpanContext.SpanID())
	}
	if a := attrs(load.Attributes); a["ddt.kind"].AsString() != "trace" || a["ddt.arg.user"].AsString() != "ada" || a["ddt.result.r0"].AsInt64() != 12 {
		t.Errorf("load attributes: %v", load.Attributes)
	}
	if load.StartTime.Before(request.StartTime) || load.EndTime.After(request.EndTime) ||
		query.StartTime.Before(load.StartTime) || query.EndTime.After(load.EndTime) || query.EndTime.Sub(query.StartTime) < time.Millisecond {
		t.Errorf("times: request %v–%v, load %v–%v, query %v–%v", request.StartTime, request.EndTime, load.StartTime, load.EndTime, query.StartTime, query.EndTime)
	}

	// The flag evaluated inside loadDashboard is an event of its span,
	// the one outside an event of the request's, with the semantic
	// convention's names.
	digest := attrs(eventNamed(t, load, "feature_flag.evaluation", "feature_flag.key", "weekly-digest").Attributes)
	if digest["feature_flag.result.value"].AsBool() != true || digest["feature_flag.result.variant"].AsString() != "true" ||
		digest["feature_flag.result.reason"].AsString() != "unknown" {
		t.Errorf("weekly-digest event: %v", digest)
	}
	beta := attrs(eventNamed(t, request, "feature_flag.evaluation", "feature_flag.key", "beta-grades").Attributes)
	if beta["feature_flag.result.reason"].AsString() != "error" || beta["error.message"].AsString() == "" || beta["feature_flag.result.value"].AsBool() {
		t.Errorf("beta-grades event: %v", beta)
	}
	eventNamed(t, request, "log", "ddt.name", "dashboard served")

	var p ddtotel.Exporter
	s.Stats(id, "otel", &p)
	if p.TraceID != request.SpanContext.TraceID().String() || !p.Started || p.Spans != 2 || p.SpanEvents != 3 {
		t.Errorf("stats %+v", p)
	}
	if nav := s.Nav(id, "otel"); nav.NavSubtitle != "2 spans, 3 events" {
		t.Errorf("subtitle %q", nav.NavSubtitle)
	}
}

// TestExportUnderOtelhttp: with otelhttp's handler outside the toolbar,
// the events go under its server span, and the exporter starts none.
func TestExportUnderOtelhttp(t *testing.T) {
	mem := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(mem))
	t.Cleanup(func() { tp.Shutdown(context.Background()) })
	h := toolbar.Middleware(http.HandlerFunc(dashboard), toolbar.Options{Enable: toolbar.On, Panels: []func() panel.Panel{ddtotel.NewExporter(tp)}})
	srv := httptest.NewServer(otelhttp.NewHandler(h, "dashboard", otelhttp.WithTracerProvider(tp)))
	t.Cleanup(srv.Close)
	resp, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	spans := mem.GetSpans()
	server := spanNamed(t, spans, "GET")
	load := spanNamed(t, spans, "trace loadDashboard")
	if server.SpanKind != trace.SpanKindServer || load.Parent.SpanID() != server.SpanContext.SpanID() {
		t.Errorf("load's parent %v, want otelhttp's span %v", load.Parent.SpanID(), server.SpanContext.SpanID())
	}
	eventNamed(t, server, "feature_flag.evaluation", "feature_flag.key", "beta-grades")
	if slices.ContainsFunc(spans, func(s tracetest.SpanStub) bool {
		return s.InstrumentationScope.Name == "github.com/go-ddt/ddt/runtime/integrations/ddtotel" && s.Parent.IsValid() == false
	}) {
		t.Errorf("the exporter started a request span under otelhttp's")
	}
}

// TestExportPanic: a call that panicked becomes a span with an error
// status and an exception event.
func TestExportPanic(t *testing.T) {
	mem := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(mem))
	t.Cleanup(func() { tp.Shutdown(context.Background()) })
	s := toolbartest.NewServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		func() {
			defer func() { recover() }()
			markedPanics(r.Context())
		}()
	}), toolbar.Options{Panels: []func() panel.Panel{ddtotel.NewExporter(tp)}})
	s.Get("/")
	sp := spanNamed(t, mem.GetSpans(), "ddtotel_test.markedPanics")
	if sp.Status.Code != codes.Error || len(sp.Events) != 1 || sp.Events[0].Name != "exception" ||
		attrs(sp.Events[0].Attributes)["exception.message"].AsString() != `"out of lessons"` {
		t.Errorf("span %+v", sp)
	}
}

// TestExportOffByDefault: without the exporter registered, a request
// with OpenTelemetry around it gets no span from ddt.
func TestExportOffByDefault(t *testing.T) {
	mem := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(mem))
	t.Cleanup(func() { tp.Shutdown(context.Background()) })
	h := toolbar.Middleware(http.HandlerFunc(dashboard), toolbar.Options{Enable: toolbar.On})
	srv := httptest.NewServer(otelhttp.NewHandler(h, "dashboard", otelhttp.WithTracerProvider(tp)))
	t.Cleanup(srv.Close)
	resp, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	spans := mem.GetSpans()
	if len(spans) != 1 || len(spans[0].Events) != 0 {
		t.Errorf("spans %+v, want otelhttp's alone, without events", spans)
	}
}

// TestExportFlagConventions: an evaluation that an integration recorded
// with the feature-flag convention's names (as ddtopenfeature does) keeps
// them, and an overridden one reports the value the code received, with
// reason ddt_override.
func TestExportFlagConventions(t *testing.T) {
	mem := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(mem))
	t.Cleanup(func() { tp.Shutdown(context.Background()) })
	str := func(name, v string) event.Field { return event.Field{Name: name, Type: "string", Value: v, Raw: v} }
	mux := http.NewServeMux()
	mux.HandleFunc("GET /checkout", func(w http.ResponseWriter, r *http.Request) {
		event.Emit(r.Context(), &event.Event{Kind: featureflag.Kind, Name: "checkout-layout", Start: time.Now(), Stack: []uintptr{},
			Results: []event.Field{str(featureflag.Value, "two-step"), str(featureflag.Variant, "compact"),
				str(featureflag.Reason, "targeting_match"), str(featureflag.ProviderName, "flagd"), str(featureflag.ContextID, "user-7")}})
		event.Emit(r.Context(), &event.Event{Kind: featureflag.Kind, Name: "new-cart", Start: time.Now(), Stack: []uintptr{},
			Override: "true", Results: []event.Field{event.NewField(featureflag.Value, false), str(featureflag.Reason, "static")}})
		w.Write([]byte("ok"))
	})
	s := toolbartest.NewServer(t, mux, toolbar.Options{Panels: []func() panel.Panel{ddtotel.NewExporter(tp)}})
	s.Get("/checkout")
	request := spanNamed(t, mem.GetSpans(), "GET /checkout")

	layout := attrs(eventNamed(t, request, "feature_flag.evaluation", "feature_flag.key", "checkout-layout").Attributes)
	for k, want := range map[string]string{"feature_flag.result.value": "two-step", "feature_flag.result.variant": "compact",
		"feature_flag.result.reason": "targeting_match", "feature_flag.provider.name": "flagd", "feature_flag.context.id": "user-7"} {
		if got := layout[k].String(); got != want {
			t.Errorf("checkout-layout %s = %q, want %q", k, got, want)
		}
	}
	if _, ok := layout["error.type"]; ok {
		t.Errorf("checkout-layout has an error: %v", layout)
	}
	cart := attrs(eventNamed(t, request, "feature_flag.evaluation", "feature_flag.key", "new-cart").Attributes)
	if cart["feature_flag.result.value"].String() != "true" || cart["feature_flag.result.reason"].String() != "ddt_override" {
		t.Errorf("new-cart (overridden to true): %v", cart)
	}
}
