package ddtotel

import (
	"context"
	"sync"
	"time"

	"github.com/go-ddt/ddt/runtime/event"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// Kind is the kind of the events SpanProcessor emits.
const Kind = "span"

// SpanProcessor files the spans of recorded requests into the toolbar.
// Make one with [NewSpanProcessor]; it is safe for concurrent use.
type SpanProcessor struct {
	// started holds, from OnStart to OnEnd, the context each span of a
	// recorded request was started with: the request it belongs to.
	started sync.Map // spanKey -> context.Context
}

type spanKey struct {
	trace trace.TraceID
	span  trace.SpanID
}

var _ sdktrace.SpanProcessor = (*SpanProcessor)(nil)

// NewSpanProcessor returns a span processor for
// sdktrace.WithSpanProcessor. While no request is recorded it costs one
// atomic load per span start and end.
func NewSpanProcessor() *SpanProcessor { return &SpanProcessor{} }

// OnStart remembers the context of a span started within a recorded
// request.
func (p *SpanProcessor) OnStart(parent context.Context, s sdktrace.ReadWriteSpan) {
	if !event.Active() || parent == nil || !event.Recorded(parent) {
		return
	}
	sc := s.SpanContext()
	p.started.Store(spanKey{sc.TraceID(), sc.SpanID()}, parent)
}

// OnEnd emits the finished span as an event of its request.
func (p *SpanProcessor) OnEnd(s sdktrace.ReadOnlySpan) {
	sc := s.SpanContext()
	v, ok := p.started.LoadAndDelete(spanKey{sc.TraceID(), sc.SpanID()})
	if !ok {
		return
	}
	p.emit(v.(context.Context), s)
}

// emit is a frame of its own so that the stack event.Emit captures starts
// at the code that ended the span (skipping emit, OnEnd and the SDK's
// span.End).
func (p *SpanProcessor) emit(ctx context.Context, s sdktrace.ReadOnlySpan) {
	e := spanEvent(s)
	if event.WantStacks(ctx) {
		e.Stack = callers()
	}
	event.Emit(ctx, e)
}

// Shutdown forgets the spans still open.
func (p *SpanProcessor) Shutdown(context.Context) error {
	p.started.Clear()
	return nil
}

// ForceFlush does nothing: events are emitted when spans end.
func (p *SpanProcessor) ForceFlush(context.Context) error { return nil }

// spanEvent describes s as a ddt event: the name, the attributes as
// arguments, the status and span events as results.
func spanEvent(s sdktrace.ReadOnlySpan) *event.Event {
	e := &event.Event{
		Kind:     Kind,
		Name:     s.Name(),
		Func:     s.InstrumentationScope().Name,
		Start:    s.StartTime(),
		Duration: max(s.EndTime().Sub(s.StartTime()), 0),
	}
	sc := s.SpanContext()
	e.Args = make([]event.Field, 0, len(s.Attributes())+3)
	e.Args = append(e.Args,
		event.Field{Name: "span.kind", Value: s.SpanKind().String(), Raw: s.SpanKind().String()},
		event.Field{Name: "trace_id", Value: sc.TraceID().String(), Raw: sc.TraceID().String()},
		event.Field{Name: "span_id", Value: sc.SpanID().String(), Raw: sc.SpanID().String()},
	)
	if p := s.Parent(); p.IsValid() {
		e.Args = append(e.Args, event.Field{Name: "parent_span_id", Value: p.SpanID().String(), Raw: p.SpanID().String()})
	}
	for _, kv := range s.Attributes() {
		e.Args = append(e.Args, attributeField(string(kv.Key), kv.Value))
	}
	st := s.Status()
	e.Results = append(e.Results, event.Field{Name: "status", Value: st.Code.String(), Raw: st.Code.String()})
	if st.Description != "" {
		e.Results = append(e.Results, event.Field{Name: "status.description", Value: st.Description, Raw: st.Description})
	}
	for _, ev := range s.Events() {
		e.Results = append(e.Results, spanEventField(ev, s.StartTime()))
	}
	return e
}

// spanEventField renders one span event: its name, when it happened in the
// span, and its attributes.
func spanEventField(ev sdktrace.Event, spanStart time.Time) event.Field {
	text := ev.Name + " at +" + ev.Time.Sub(spanStart).String()
	for _, kv := range ev.Attributes {
		f := attributeField(string(kv.Key), kv.Value)
		text += " " + f.Name + "=" + f.Value
	}
	return event.Field{Name: "event", Value: text, Raw: text}
}
