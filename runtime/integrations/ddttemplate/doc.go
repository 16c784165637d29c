// Package ddttemplate records template executions for the toolbar's
// Templates panel: the template's name, how long it took, how many bytes
// it wrote, the type of its data and a bounded rendering of it, and how it
// nests in other executions.
//
// Execute templates through it instead of calling their methods:
//
//	err := ddttemplate.ExecuteTemplate(r.Context(), tmpl, w, "page.html", data)
//	err := ddttemplate.Execute(r.Context(), tmpl, w, data)
//
// Both html/template and text/template templates qualify ([Template]). An
// execution inside another one — a template function or a method of the
// data that renders a fragment through ddttemplate — is recorded as nested
// in it.
//
// # Events
//
// Each execution is an event of kind [Kind] ("template"), delivered when
// it returns (a nested execution before the one that contains it). Its
// Name is the template's name; its Args are the data, field by field for a
// struct (exported fields) or a map with string keys, or else one field
// "data", each rendered without calling methods and within the toolbar's
// bounds; its Results:
//
//	type   the data's type
//	depth  0 for an execution inside no other, 1 inside one...
//	bytes  bytes written
//	err    the error's message
//
// A field whose name looks secret (redact.IsSecret) is redacted.
package ddttemplate
