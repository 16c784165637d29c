package ddtotel_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/XSAM/otelsql"
	"github.com/go-ddt/ddt/runtime/event"
	"github.com/go-ddt/ddt/runtime/integrations/ddtotel"
	"github.com/go-ddt/ddt/runtime/panels/calls"
	"github.com/go-ddt/ddt/runtime/panels/timeline"
	"github.com/go-ddt/ddt/runtime/toolbar"
	"github.com/go-ddt/ddt/runtime/toolbar/toolbartest"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	_ "modernc.org/sqlite"
)

// instrumentedApp is an application instrumented with OpenTelemetry only:
// otelhttp's server handler around its mux, otelhttp's client transport to
// a backend API on loopback, and otelsql over SQLite. Its tracer provider
// has the ddt span processor and an in-memory exporter.
type instrumentedApp struct {
	handler  http.Handler
	client   *http.Client
	api      *httptest.Server
	exported *tracetest.InMemoryExporter
}

func newInstrumentedApp(t *testing.T) *instrumentedApp {
	t.Helper()
	a := &instrumentedApp{exported: tracetest.NewInMemoryExporter()}
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithSpanProcessor(ddtotel.NewSpanProcessor()),
		sdktrace.WithSyncer(a.exported),
	)
	t.Cleanup(func() { tp.Shutdown(context.Background()) })
	a.api = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "42")
	}))
	t.Cleanup(a.api.Close)
	a.client = &http.Client{Transport: otelhttp.NewTransport(http.DefaultTransport, otelhttp.WithTracerProvider(tp))}
	t.Cleanup(a.client.CloseIdleConnections)
	db, err := otelsql.Open("sqlite", ":memory:", otelsql.WithTracerProvider(tp))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	mux := http.NewServeMux()
	mux.HandleFunc("GET /report", func(w http.ResponseWriter, r *http.Request) {
		var n int
		if err := db.QueryRowContext(r.Context(), "SELECT 40 + 2").Scan(&n); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		req, _ := http.NewRequestWithContext(r.Context(), "GET", a.api.URL+"/answer?api_key=hunter2", nil)
		resp, err := a.client.Do(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<html><body>report</body></html>")
	})
	a.handler = otelhttp.NewHandler(mux, "report", otelhttp.WithTracerProvider(tp))
	return a
}

func arg(c calls.Call, name string) string {
	for _, f := range c.Args {
		if f.Name == name {
			return f.Text()
		}
	}
	return ""
}

// TestSpansIntoTheToolbar serves a request through otelhttp, otelsql and
// an otelhttp client behind the toolbar, and finds their spans in the
// Calls panel and on the Timeline, nested, with their attributes.
func TestSpansIntoTheToolbar(t *testing.T) {
	app := newInstrumentedApp(t)
	s := toolbartest.NewServer(t, app.handler, toolbar.Options{})
	resp, body := s.Get("/report")
	if resp.StatusCode != 200 {
		t.Fatalf("GET /report: %d %s", resp.StatusCode, body)
	}
	id := s.RequestID(resp)
	var cp calls.Panel
	s.Stats(id, "calls", &cp)
	var server, client, query *calls.Call
	for i, c := range cp.Calls {
		if c.Kind != ddtotel.Kind {
			continue
		}
		switch {
		case arg(c, "span.kind") == "server":
			server = &cp.Calls[i]
		case arg(c, "span.kind") == "client" && c.Func == otelhttp.ScopeName:
			client = &cp.Calls[i]
		case c.Func == "github.com/XSAM/otelsql" && strings.Contains(arg(c, "db.query.text"), "SELECT 40 + 2"):
			query = &cp.Calls[i]
		}
	}
	if server == nil || client == nil || query == nil {
		t.Fatalf("spans in the Calls panel: server %v, client %v, query %v; all: %+v", server != nil, client != nil, query != nil, cp.Calls)
	}
	if server.Name != "GET /report" || arg(*server, "http.request.method") != "GET" || arg(*server, "trace_id") == "" {
		t.Errorf("server span: %+v", *server)
	}
	if arg(*client, "parent_span_id") != arg(*server, "span_id") || arg(*client, "trace_id") != arg(*server, "trace_id") {
		t.Errorf("client span is not the server span's child: %+v", client.Args)
	}
	if u := arg(*client, "url.full"); !strings.HasPrefix(u, app.api.URL+"/answer") {
		t.Errorf("client span url.full = %q", u)
	}
	if server.Duration < client.Duration || client.Duration <= 0 || query.Duration <= 0 {
		t.Errorf("durations: server %v, client %v, query %v", server.Duration, client.Duration, query.Duration)
	}
	if len(query.Stack.Frames) == 0 && query.Stack.Same == 0 {
		t.Errorf("query span has no stack")
	}
	// The exporter the application configured still gets every span.
	if n := len(app.exported.GetSpans()); n < 3 {
		t.Errorf("%d spans exported, want 3 or more", n)
	}

	// On the Timeline, the server span ("GET /report") is under the handler's span, and
	// the query and client spans, made on the same goroutine while it
	// ran, inside it.
	var tl timeline.Panel
	s.Stats(id, "timeline", &tl)
	depth := map[string]int{}
	for _, e := range tl.Events {
		if e.Kind == ddtotel.Kind && e.Lane == 0 {
			depth[e.Name] = max(depth[e.Name], e.Depth)
		}
	}
	if depth["GET /report"] != 1 || depth[client.Name] < 2 {
		t.Errorf("timeline depths %v, want GET /report at 1 and %q under it", depth, client.Name)
	}
	if html := s.Panel(id, "timeline"); !strings.Contains(html, `ddt-tl-k-span`) || !strings.Contains(html, `data-ddt-open-panel="calls"`) {
		t.Errorf("timeline does not show spans linked to the Calls panel")
	}
}

// TestSpansOutsideRequests checks that spans of no recorded request are
// not filed, nor counted as unattributed: a span started while another
// request is recorded, with a context that does not carry it.
func TestSpansOutsideRequests(t *testing.T) {
	app := newInstrumentedApp(t)
	release := make(chan struct{})
	running := make(chan struct{})
	s := toolbartest.NewServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(running)
		<-release
	}), toolbar.Options{})
	done := make(chan *http.Response)
	go func() { resp, _ := s.Get("/slow"); done <- resp }()
	<-running
	before, _ := event.Unattributed()
	req, _ := http.NewRequestWithContext(context.Background(), "GET", app.api.URL+"/", nil)
	resp, err := app.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	after, _ := event.Unattributed()
	close(release)
	id := s.RequestID(<-done)
	var cp calls.Panel
	s.Stats(id, "calls", &cp)
	for _, c := range cp.Calls {
		if c.Kind == ddtotel.Kind {
			t.Errorf("span of no request filed: %+v", c)
		}
	}
	if after != before {
		t.Errorf("unattributed went from %d to %d", before, after)
	}
	if len(app.exported.GetSpans()) != 1 {
		t.Errorf("exported %d spans, want the client's", len(app.exported.GetSpans()))
	}
}
