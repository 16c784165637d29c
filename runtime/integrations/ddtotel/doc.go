// Package ddtotel connects ddt and OpenTelemetry, both ways.
//
// # OpenTelemetry spans into the toolbar
//
// [SpanProcessor] is an OpenTelemetry SDK span processor. Registered with
// the application's tracer provider, it files every span of a recorded
// request into the toolbar as an event of kind [Kind] ("span"): its name,
// attributes, status and span events, start and duration, the goroutine
// that ended it and the stack of the code that ended it. A span belongs to
// a request when the context it was started with (its parent's) carries
// the request: spans of otelhttp, otelsql, otelgrpc, redisotel or any
// instrumented library called with the request's context, and not spans
// started before or outside the toolbar (put toolbar.Middleware outside
// otelhttp.NewHandler for the server span to be the request's).
//
//	tp := sdktrace.NewTracerProvider(
//		sdktrace.WithSpanProcessor(ddtotel.NewSpanProcessor()),
//		sdktrace.WithBatcher(exporter),
//	)
//
// Spans go to the Calls panel, as calls whose function is the span's name
// and whose arguments are its attributes, and to the Timeline, where a
// span drawn inside another on the same goroutine is its child's call. No
// panel of their own: a span is a call with a duration, which the Calls
// panel already shows with its goroutine and stack, and the Timeline
// shows their tree; a Spans panel would be a second Calls panel.
//
// # ddt events out to OpenTelemetry
//
// [NewExporter] returns the constructor of a panel, [Exporter] (register it
// in toolbar.Options.Panels: without it nothing is exported)
// that, for each recorded request, turns its ddt
// events into OpenTelemetry data on the request's span (the span in the
// request's context, such as otelhttp's server span, or a span it starts
// for the request when there is none): events with a duration (marked
// calls, SQL, templates, outbound HTTP) become child spans, nested as they
// ran on each goroutine, and flag evaluations become span events named
// feature_flag.evaluation with the OpenTelemetry feature-flag semantic
// convention's attributes, on the innermost span that contains them. Log
// records and other instants become span events. So the same //ddt:
// directives that fill the toolbar feed Jaeger or Tempo. Spans that came
// from OpenTelemetry ([Kind]) are not sent back.
package ddtotel
