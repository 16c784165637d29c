package ddtotel

import (
	"runtime"

	"github.com/go-ddt/ddt/runtime/event"
	"github.com/go-ddt/ddt/runtime/redact"
	"go.opentelemetry.io/otel/attribute"
)

// attributeField renders an OpenTelemetry attribute as a ddt field, with
// the value of a secret-looking key redacted, as the toolbar redacts
// headers and log attributes.
func attributeField(key string, v attribute.Value) event.Field {
	if redact.IsSecret(key) {
		return event.Field{Name: key, Value: redact.Redacted, Raw: redact.Redacted}
	}
	f := event.Field{Name: key, Type: v.Type().String()}
	switch v.Type() {
	case attribute.BOOL:
		f.Raw = v.AsBool()
	case attribute.INT64:
		f.Raw = v.AsInt64()
	case attribute.FLOAT64:
		f.Raw = v.AsFloat64()
	case attribute.STRING:
		s := v.AsString()
		if len(s) > event.MaxRenderString {
			s = s[:event.MaxRenderString] + event.Truncated
		}
		f.Raw = s
	}
	if f.Raw != nil {
		f.Value = event.Render(f.Raw)
	} else {
		f.Value = event.Render(v.AsInterface())
	}
	return f
}

// callers returns the stack of the code that ended a span: past callers,
// emit, OnEnd, and the SDK's span machinery, which the toolbar's stack
// traces hide (go.opentelemetry.io is among panel.DefaultHidden).
func callers() []uintptr {
	pcs := make([]uintptr, event.MaxStackDepth)
	return pcs[:runtime.Callers(4, pcs)]
}
