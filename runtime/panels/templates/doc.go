// Package templates is the toolbar's Templates panel: the template
// executions of a request, recorded through package
// github.com/go-ddt/ddt/runtime/integrations/ddttemplate (events of kind
// "template"), in the order they started, nested ones indented under the
// execution that contains them, with their duration, output size, data
// type and data (bounded, secrets redacted) and stack. The toolbar's list
// shows "3 templates in 1.20 ms" (the time of the outermost executions),
// and the Server-Timing header a "tmpl" entry.
//
//	err := ddttemplate.ExecuteTemplate(r.Context(), tmpl, w, "page.html", data)
//	h := toolbar.Middleware(mux, toolbar.Options{Panels: []func() panel.Panel{templates.New}})
package templates
