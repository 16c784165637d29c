package ddtotel

import (
	"cmp"
	"context"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-ddt/ddt/runtime/featureflag"
	"github.com/go-ddt/ddt/runtime/panel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// Exporter is the OpenTelemetry panel: it sends the request's ddt events
// to a tracer provider and shows where they went. Its exported fields are
// its stats.
type Exporter struct {
	panel.Base
	// TraceID and SpanID name the request's span, under which the events
	// went; empty when the tracer provider records nothing (a no-op one,
	// or a sampler that dropped the trace).
	TraceID string `json:"trace_id,omitempty"`
	SpanID  string `json:"span_id,omitempty"`
	// Started says the panel started the request's span itself: the
	// request's context carried none.
	Started bool `json:"started,omitempty"`
	// Spans and SpanEvents count what the events became.
	Spans      int `json:"spans"`
	SpanEvents int `json:"span_events"`

	tracer trace.Tracer
	ctx    context.Context // the handler's, with the request's span
	own    trace.Span      // the request's span, when the panel started it
	served *http.Request   // the request the handler got, which a ServeMux routes
	events []exported
}

// exported is what the panel keeps of an event from ReadEvents to
// GenerateStats.
type exported struct {
	kind, name, fn, via, panic string
	override                   string // a flag's override, the value the code received
	args, results              []panel.Field
	start                      time.Time
	duration                   time.Duration
	goroutine                  uint64
}

// NewExporter returns the constructor of the OpenTelemetry panel, for
// toolbar.Options.Panels, sending to tp (otel.GetTracerProvider() for the
// global one).
func NewExporter(tp trace.TracerProvider) func() panel.Panel {
	tracer := tp.Tracer(instrumentationName)
	return func() panel.Panel { return &Exporter{tracer: tracer} }
}

var exporterTemplate = panel.MustParse(`
{{- if .TraceID -}}
<table class="ddt-table ddt-kv"><tbody>
<tr><th>Trace ID</th><td><code>{{.TraceID}}</code></td></tr>
<tr><th>Request span</th><td><code>{{.SpanID}}</code>{{if .Started}} <span class="ddt-muted">(started by ddt: the request had none)</span>{{end}}</td></tr>
<tr><th>Spans sent</th><td>{{.Spans}}</td></tr>
<tr><th>Span events sent</th><td>{{.SpanEvents}}</td></tr>
</tbody></table>
{{- else -}}
<p class="ddt-empty">Nothing sent: the tracer provider did not record this request's span (a no-op provider, or a sampler that dropped it).</p>
{{- end}}`)

func (*Exporter) ID() string                   { return "otel" }
func (*Exporter) Title() string                { return "OpenTelemetry" }
func (*Exporter) Kinds() []string              { return []string{panel.AllKinds} }
func (*Exporter) Template() *template.Template { return exporterTemplate }

// NavSubtitle counts what was sent: "3 spans, 2 events".
func (p *Exporter) NavSubtitle() string {
	if p.TraceID == "" {
		return "not sampled"
	}
	return panel.Count(p.Spans, "span", "spans") + ", " + panel.Count(p.SpanEvents, "event", "events")
}

// Wrap finds the request's span in its context, or starts one, which the
// handler's context then carries.
func (p *Exporter) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if !trace.SpanFromContext(ctx).SpanContext().IsValid() {
			ctx, p.own = p.tracer.Start(ctx, r.Method, trace.WithSpanKind(trace.SpanKindServer),
				trace.WithAttributes(attribute.String(httpRequestMethod, r.Method), attribute.String(urlPath, r.URL.Path)))
			r = r.WithContext(ctx)
		}
		p.ctx, p.served = ctx, r
		next.ServeHTTP(w, r)
	})
}

// ReadEvents keeps the events that did not come from OpenTelemetry, once
// the handler has returned: the panel shares the toolbar's one record of
// each event with the other panels, and keeps nothing of its own while the
// handler runs.
func (p *Exporter) ReadEvents(events panel.Events) {
	p.events = make([]exported, 0, events.Len())
	for e := range events.All() {
		if e.Kind == Kind {
			continue
		}
		p.events = append(p.events, exported{
			kind: e.Kind, name: e.Name, fn: e.Func, via: e.Via, panic: e.Panic, override: e.Override,
			args: e.Args, results: e.Results,
			start: e.Start, duration: e.Duration, goroutine: e.Goroutine,
		})
	}
}

// openSpan is a span made for an event, which contains the events of its
// goroutine that start before end.
type openSpan struct {
	end  time.Time
	span trace.Span
}

// GenerateStats sends the events: spans for those with a duration, nested
// as they ran on their goroutine, span events for flag evaluations and
// instants, on the innermost span that contains them. The spans end once
// all are made, so that events can still be added to them.
func (p *Exporter) GenerateStats(r *http.Request, resp *panel.Response) {
	if p.ctx == nil {
		return // the handler never ran through Wrap
	}
	request := trace.SpanFromContext(p.ctx)
	events := p.events
	p.events = nil
	slices.SortStableFunc(events, func(a, b exported) int {
		return cmp.Or(a.start.Compare(b.start), cmp.Compare(b.duration, a.duration))
	})
	var made []openSpan
	open := map[uint64][]openSpan{}
	for i := range events {
		e := &events[i]
		stack := open[e.goroutine]
		for len(stack) > 0 && !stack[len(stack)-1].end.After(e.start) {
			stack = stack[:len(stack)-1]
		}
		into := request
		if len(stack) > 0 {
			into = stack[len(stack)-1].span
		}
		switch {
		case e.kind == featureflag.Kind:
			into.AddEvent(featureflag.EventName, trace.WithTimestamp(e.start), trace.WithAttributes(flagAttributes(e)...))
			p.SpanEvents++
		case e.duration > 0:
			_, s := p.tracer.Start(trace.ContextWithSpan(p.ctx, into), spanName(e),
				trace.WithTimestamp(e.start), trace.WithAttributes(eventAttributes(e)...))
			if e.panic != "" {
				s.AddEvent(exceptionEvent, trace.WithTimestamp(e.start.Add(e.duration)),
					trace.WithAttributes(attribute.String(exceptionMessage, e.panic)))
				s.SetStatus(codes.Error, "panic: "+e.panic)
			}
			o := openSpan{end: e.start.Add(e.duration), span: s}
			made = append(made, o)
			stack = append(stack, o)
			p.Spans++
		default:
			into.AddEvent(e.kind, trace.WithTimestamp(e.start), trace.WithAttributes(eventAttributes(e)...))
			p.SpanEvents++
		}
		open[e.goroutine] = stack
	}
	for _, o := range slices.Backward(made) {
		o.span.End(trace.WithTimestamp(o.end))
	}
	if sc := request.SpanContext(); sc.IsValid() {
		p.TraceID, p.SpanID = sc.TraceID().String(), sc.SpanID().String()
	}
	if p.own != nil {
		p.Started = true
		if pattern := cmp.Or(p.served.Pattern, r.Pattern); pattern != "" {
			p.own.SetName(pattern)
			p.own.SetAttributes(attribute.String(httpRoute, pattern))
		}
		p.own.SetAttributes(attribute.Int(httpResponseStatus, resp.Status))
		if resp.Status >= 500 || resp.Panicked {
			p.own.SetStatus(codes.Error, "")
		}
		p.own.End(trace.WithTimestamp(resp.Start.Add(resp.Duration)))
	}
}

// spanName is the marked function, or the kind and what the event is
// about ("sql SELECT ..."), cut to a readable length.
func spanName(e *exported) string {
	if e.fn != "" {
		return e.fn
	}
	name := e.kind
	if e.name != "" {
		name += " " + e.name
	}
	if len(name) > 120 {
		name = name[:120] + "…"
	}
	return name
}

// eventAttributes describes an event: its kind, name, function, how it
// was attributed, its goroutine, and its arguments and results.
func eventAttributes(e *exported) []attribute.KeyValue {
	kv := make([]attribute.KeyValue, 0, 5+len(e.args)+len(e.results))
	kv = append(kv, attribute.String(ddtKind, e.kind))
	if e.name != "" {
		kv = append(kv, attribute.String(ddtName, e.name))
	}
	if e.fn != "" {
		kv = append(kv, attribute.String(codeFunctionName, e.fn))
	}
	if e.via != "" {
		kv = append(kv, attribute.String(ddtVia, e.via))
	}
	if e.goroutine != 0 {
		kv = append(kv, attribute.Int64(ddtGoroutine, int64(e.goroutine)))
	}
	for _, f := range e.args {
		kv = append(kv, fieldAttribute(ddtArgPrefix, f))
	}
	for _, f := range e.results {
		kv = append(kv, fieldAttribute(ddtResultPrefix, f))
	}
	return kv
}

// flagAttributes describes a flag evaluation in the feature-flag semantic
// convention's terms. The flag's name is the key and its first result the
// value: the override the code received instead, when the toolbar applied
// one (reason "ddt_override"). The results an integration named with the
// convention's names (ddtopenfeature: variant, reason, provider, context
// id, error, metadata) are passed on as they are. A marked function says
// less: its first result is also the variant, the function is the
// provider, the reason is "unknown", or "error" with error.type
// "ddt.flag_error" when it panicked or its second result is an error.
func flagAttributes(e *exported) []attribute.KeyValue {
	kv := []attribute.KeyValue{attribute.String(featureflag.Key, e.name)}
	if e.fn != "" {
		kv = append(kv, attribute.String(codeFunctionName, e.fn))
	}
	named := map[string]bool{}
	failure := e.panic
	for i, f := range e.results {
		switch {
		case i == 0 && e.override != "":
			kv = append(kv, attribute.String(featureflag.Value, e.override))
		case i == 0:
			kv = append(kv, typedAttribute(featureflag.Value, f))
		case conventionName(f.Name):
			kv = append(kv, typedAttribute(f.Name, f))
			named[f.Name] = true
		case f.Raw == nil && f.Value != "nil":
			// //ddt:flag functions return bool or string, and maybe an
			// error: a non-nil later result is the error.
			failure = f.Text()
		}
	}
	if !named[featureflag.Variant] && len(e.results) > 0 && e.override == "" {
		kv = append(kv, attribute.String(featureflag.Variant, e.results[0].Text()))
	}
	if !named[featureflag.ProviderName] && e.fn != "" {
		kv = append(kv, attribute.String(featureflag.ProviderName, e.fn))
	}
	if failure != "" && !named[featureflag.ErrorType] {
		kv = append(kv, attribute.String(featureflag.ErrorType, "ddt.flag_error"), attribute.String(featureflag.ErrorMessage, failure))
	}
	switch {
	case e.override != "":
		kv = slices.DeleteFunc(kv, func(a attribute.KeyValue) bool { return a.Key == featureflag.Reason })
		kv = append(kv, attribute.String(featureflag.Reason, flagReasonOverride))
	case named[featureflag.Reason]:
	case failure != "" || named[featureflag.ErrorType]:
		kv = append(kv, attribute.String(featureflag.Reason, flagReasonError))
	default:
		kv = append(kv, attribute.String(featureflag.Reason, flagReasonUnknown))
	}
	return kv
}

// conventionName reports whether an event's field is named with the
// feature-flag convention's (or its error's) attribute names.
func conventionName(name string) bool {
	return strings.HasPrefix(name, "feature_flag.") || strings.HasPrefix(name, "error.")
}

// fieldAttribute is a field as an attribute under prefix: a bool, number
// or string as itself, anything else as its rendering.
func fieldAttribute(prefix string, f panel.Field) attribute.KeyValue {
	name := f.Name
	if name == "" {
		name = "?"
	}
	return typedAttribute(prefix+name, f)
}

func typedAttribute(key string, f panel.Field) attribute.KeyValue {
	switch v := f.Raw.(type) {
	case bool:
		return attribute.Bool(key, v)
	case string:
		return attribute.String(key, v)
	case int:
		return attribute.Int(key, v)
	case int64:
		return attribute.Int64(key, v)
	case int32:
		return attribute.Int64(key, int64(v))
	case uint32:
		return attribute.Int64(key, int64(v))
	case float64:
		return attribute.Float64(key, v)
	case float32:
		return attribute.Float64(key, float64(v))
	case uint, uint64:
		return attribute.String(key, strconv.FormatUint(toUint64(v), 10))
	}
	return attribute.String(key, f.Value)
}

func toUint64(v any) uint64 {
	switch v := v.(type) {
	case uint:
		return uint64(v)
	case uint64:
		return v
	}
	return 0
}
