package ddtotel_test

import (
	"compress/gzip"
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"

	"github.com/go-ddt/ddt/runtime/integrations/ddtotel"
	"github.com/go-ddt/ddt/runtime/panel"
	"github.com/go-ddt/ddt/runtime/toolbar"
	"github.com/go-ddt/ddt/runtime/toolbar/toolbartest"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"
)

// otlpReceiver is what a collector's OTLP/HTTP receiver does with traces:
// it decodes POST /v1/traces as an ExportTraceServiceRequest in protobuf
// and answers with an ExportTraceServiceResponse.
type otlpReceiver struct {
	mu    sync.Mutex
	spans []*tracepb.Span
}

func (rc *otlpReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != "POST" || r.URL.Path != "/v1/traces" || r.Header.Get("Content-Type") != "application/x-protobuf" {
		http.Error(w, "want a POST of protobuf to /v1/traces", http.StatusBadRequest)
		return
	}
	var body io.Reader = r.Body
	if r.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		body = zr
	}
	data, err := io.ReadAll(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var req coltracepb.ExportTraceServiceRequest
	if err := proto.Unmarshal(data, &req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	rc.mu.Lock()
	for _, rs := range req.ResourceSpans {
		for _, ss := range rs.ScopeSpans {
			rc.spans = append(rc.spans, ss.Spans...)
		}
	}
	rc.mu.Unlock()
	out, _ := proto.Marshal(&coltracepb.ExportTraceServiceResponse{})
	w.Header().Set("Content-Type", "application/x-protobuf")
	w.Write(out)
}

func (rc *otlpReceiver) received() []*tracepb.Span {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]*tracepb.Span(nil), rc.spans...)
}

// TestExportOTLP sends a request's events through the OTLP/HTTP exporter
// and the SDK's batch span processor, as production does, to a receiver
// on loopback, and finds them there: the request's span, the traced call
// as its child, and the flag evaluation as a span event with the
// feature-flag convention's attributes.
func TestExportOTLP(t *testing.T) {
	rc := &otlpReceiver{}
	collector := httptest.NewServer(rc)
	t.Cleanup(collector.Close)
	exp, err := otlptracehttp.New(context.Background(), otlptracehttp.WithEndpointURL(collector.URL+"/v1/traces"))
	if err != nil {
		t.Fatal(err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp))
	t.Cleanup(func() { tp.Shutdown(context.Background()) })
	mux := http.NewServeMux()
	mux.HandleFunc("GET /dashboard", dashboard)
	s := toolbartest.NewServer(t, mux, toolbar.Options{Panels: []func() panel.Panel{ddtotel.NewExporter(tp)}})
	resp, _ := s.Get("/dashboard")
	var p ddtotel.Exporter
	s.Stats(s.RequestID(resp), "otel", &p)
	if err := tp.ForceFlush(context.Background()); err != nil {
		t.Fatalf("flush to the receiver: %v", err)
	}

	byName := map[string]*tracepb.Span{}
	for _, sp := range rc.received() {
		byName[sp.Name] = sp
	}
	request, load := byName["GET /dashboard"], byName["trace loadDashboard"]
	if request == nil || load == nil || byName["sql SELECT * FROM lessons"] == nil {
		t.Fatalf("received %d spans: %v", len(byName), byName)
	}
	if got := hexID(request.TraceId); got != p.TraceID {
		t.Errorf("trace id %s, panel says %s", got, p.TraceID)
	}
	if string(load.ParentSpanId) != string(request.SpanId) {
		t.Errorf("load's parent is not the request's span")
	}
	var flag map[string]string
	for _, ev := range load.Events {
		if ev.Name == "feature_flag.evaluation" {
			flag = map[string]string{}
			for _, kv := range ev.Attributes {
				flag[kv.Key] = anyValueText(kv.Value)
			}
		}
	}
	want := map[string]string{
		"feature_flag.key":            "weekly-digest",
		"feature_flag.result.value":   "true",
		"feature_flag.result.variant": "true",
		"feature_flag.result.reason":  "unknown",
	}
	for k, v := range want {
		if flag[k] != v {
			t.Errorf("flag event %s = %q, want %q (all: %v)", k, flag[k], v, flag)
		}
	}
}

func hexID(b []byte) string { return hex.EncodeToString(b) }

// anyValueText is an attribute's value as text, whatever its type.
func anyValueText(v *commonpb.AnyValue) string {
	switch v := v.GetValue().(type) {
	case *commonpb.AnyValue_StringValue:
		return v.StringValue
	case *commonpb.AnyValue_BoolValue:
		return strconv.FormatBool(v.BoolValue)
	case *commonpb.AnyValue_IntValue:
		return strconv.FormatInt(v.IntValue, 10)
	case *commonpb.AnyValue_DoubleValue:
		return strconv.FormatFloat(v.DoubleValue, 'g', -1, 64)
	}
	return fmt.Sprint(v.GetValue())
}
