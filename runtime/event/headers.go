package event

import "strings"

// Header is one header line: a name and one of its values.
type Header struct {
	Name  string
	Value string
}

// Headers is the Raw value of a [Field] that holds HTTP headers, one
// [Header] per value, in order: what an integration hands its panel
// instead of one field per header with the structure in its name. Values
// are redacted by the integration before it makes the field (see package
// runtime/redact).
type Headers []Header

// HeadersField returns the field called name whose Raw is h and whose
// Value lists them, "Name: value" a line, for readers that show fields as
// text (the Calls panel).
func HeadersField(name string, h Headers) Field {
	var b strings.Builder
	for i, x := range h {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(x.Name)
		b.WriteString(": ")
		b.WriteString(x.Value)
	}
	return Field{Name: name, Type: "event.Headers", Value: b.String(), Raw: h}
}
