package featureflags

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/go-ddt/ddt/runtime/panel"
)

// rowHTML renders the table row of evaluation r, numbered i+1. A panel of
// 10,000 evaluations renders 10,000 rows, and html/template's reflection
// over this row's many conditionals cost ~180 ms for them; written in Go
// the row costs a fraction of that. render_test.go checks it byte for byte
// against the template it replaces, hostile text included.
func rowHTML(i int, r Row) template.HTML {
	var b strings.Builder
	b.Grow(1024)
	esc := func(s string) { panel.WriteEscaped(&b, s) }
	b.WriteString("\n    <tr data-ddt-flag=\"")
	esc(r.Key)
	b.WriteString("\"")
	if r.Panic != "" || r.ErrorType != "" || r.ErrorMessage != "" {
		b.WriteString(` class="ddt-error"`)
	}
	b.WriteString(">\n      <td class=\"ddt-num\">")
	b.WriteString(strconv.Itoa(i + 1))
	b.WriteString("</td>\n      <td><code>")
	esc(r.Key)
	b.WriteString("</code></td>\n      <td data-ddt-flag-value>")
	switch {
	case r.Panic != "":
		b.WriteString(`<span class="ddt-error">panic: `)
		esc(r.Panic)
		b.WriteString("</span>")
	case r.Override != "":
		b.WriteString("<code>")
		esc(r.Override)
		b.WriteString(`</code> <strong data-ddt-flag-overridden>overridden</strong><br><span class="ddt-muted">real: <code>`)
		esc(r.Value)
		b.WriteString("</code></span>")
	default:
		b.WriteString("<code>")
		esc(r.Value)
		b.WriteString("</code>")
	}
	if r.ErrorType != "" || r.ErrorMessage != "" {
		b.WriteString(`<br><span class="ddt-error">`)
		esc(r.ErrorType)
		if r.ErrorType != "" && r.ErrorMessage != "" {
			b.WriteString(": ")
		}
		esc(r.ErrorMessage)
		b.WriteString("</span>")
	}
	b.WriteString("</td>\n      <td>")
	labelled := func(label, v string) {
		if v != "" {
			b.WriteString(label)
			b.WriteString(" <code>")
			esc(v)
			b.WriteString("</code><br>")
		}
	}
	labelled("variant", r.Variant)
	labelled("reason", r.Reason)
	labelled("targeting key", r.ContextID)
	if r.Provider != "" {
		b.WriteString("provider ")
		esc(r.Provider)
		b.WriteString("<br>")
	}
	for _, m := range r.Metadata {
		b.WriteString(`<span class="ddt-muted">`)
		esc(m.Key)
		b.WriteString("</span> <code>")
		esc(m.Value)
		b.WriteString("</code><br>")
	}
	if r.Func != "" {
		b.WriteString(`<code class="ddt-func">`)
		panel.WriteBreakable(&b, r.Func)
		b.WriteString("</code>")
	}
	b.WriteString("</td>\n      <td class=\"ddt-num\">")
	esc(panel.Milliseconds(r.Duration))
	b.WriteString("</td>\n      <td>")
	writeOverrideControls(&b, r)
	b.WriteString("</td>\n      <td>")
	b.WriteString(string(panel.StackHTML(r.Stack)))
	b.WriteString("</td>\n    </tr>")
	return template.HTML(b.String())
}

// writeOverrideControls writes the Override cell's content: the controls
// that force the flag for this browser, and what the cookie holds for it.
func writeOverrideControls(b *strings.Builder, r Row) {
	esc := func(s string) { panel.WriteEscaped(b, s) }
	switch {
	case r.Type == "bool":
		for j, to := range [...]struct{ value, label string }{{"true", "On"}, {"false", "Off"}} {
			if j > 0 {
				b.WriteString(" ")
			}
			b.WriteString(`<button type="button" class="ddt-btn" data-ddt-flag-set="`)
			esc(r.Key)
			b.WriteString(`" data-ddt-flag-to="` + to.value + `">` + to.label + "</button>")
		}
	case r.Type != "":
		b.WriteString(`<input type="text" size="10" aria-label="Value of `)
		esc(r.Key)
		b.WriteString(`" data-ddt-flag-input="`)
		esc(r.Key)
		b.WriteString(`" value="`)
		if r.InCookie {
			esc(r.CookieValue)
		} else {
			esc(r.Value)
		}
		b.WriteString(`"> <button type="button" class="ddt-btn" data-ddt-flag-set="`)
		esc(r.Key)
		b.WriteString(`">Set</button>`)
	default:
		b.WriteString(`<span class="ddt-muted">not overridable: `)
		if r.GoType != "" {
			b.WriteString("a ")
			esc(r.GoType)
		} else {
			b.WriteString("no value")
		}
		b.WriteString("</span>")
	}
	if r.InCookie {
		b.WriteString(` <button type="button" class="ddt-btn" data-ddt-flag-clear="`)
		esc(r.Key)
		b.WriteString(`">Clear</button>`)
		if r.Override == "" {
			b.WriteString(`<br><span class="ddt-muted" data-ddt-flag-not-applied>forced to <code>`)
			esc(r.CookieValue)
			b.WriteString(`</code>, not applied here: the value does not fit the flag`)
			if r.Panic != "" {
				b.WriteString(", the evaluation panicked")
			}
			b.WriteString(", or it ran on a goroutine without the request's context</span>")
		}
	}
}
