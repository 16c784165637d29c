package panel

import (
	"html/template"
	"strconv"
	"strings"
)

// The fragments that panels call once per row, "ddt-stack" and
// "ddt-fields", are written in Go rather than in template text: a panel of
// 10,000 calls renders them 10,000 times, and html/template spends most of
// its time calling its escaping functions through reflection. The output
// is byte for byte what the template text they replace produced, with the
// same escaping (see render_test.go, which compares them).

// StackHTML renders a Stack as the "ddt-stack" fragment does, for panels
// that render their rows in Go.
func StackHTML(s Stack) template.HTML { return stackHTML(s) }

// FieldsHTML renders arguments or results as the "ddt-fields" fragment
// does, for panels that render their rows in Go.
func FieldsHTML(fs []Field) template.HTML { return fieldsHTML(fs) }

// WriteBreakable writes s escaped as [WriteEscaped] does, with a <wbr>
// after every '.' and '/' that more text follows, for panels that render
// their rows in Go: the "breakable" template function.
func WriteBreakable(b *strings.Builder, s string) { writeBreakable(b, s) }

// breakable returns s escaped, with a line break opportunity (<wbr>) after
// every '.' and '/' that more text follows. Qualified names and paths
// (example.com/app/store.(*DB).Query) then wrap in a narrow column between
// their parts, not in the middle of an identifier.
func breakable(s string) template.HTML {
	var b strings.Builder
	writeBreakable(&b, s)
	return template.HTML(b.String())
}

func writeBreakable(b *strings.Builder, s string) {
	for {
		i := strings.IndexAny(s, "./")
		if i < 0 || i == len(s)-1 {
			writeEscaped(b, s)
			return
		}
		writeEscaped(b, s[:i+1])
		b.WriteString("<wbr>")
		s = s[i+1:]
	}
}

// WriteEscaped writes s to b escaped as html/template escapes text in an
// element, for panels that render their rows in Go.
func WriteEscaped(b *strings.Builder, s string) { writeEscaped(b, s) }

// stackHTML renders a Stack: the "ddt-stack" fragment.
func stackHTML(s Stack) template.HTML {
	var b strings.Builder
	switch {
	case s.Same > 0 && s.Same < len(sameHTML):
		return sameHTML[s.Same] // even with its Frames given back by the toolbar
	case s.Same > 0:
		return sameStackHTML(s.Same)
	case len(s.Frames) > 0:
		b.Grow(256 * len(s.Frames))
		b.WriteString(`<details class="ddt-stack"><summary>View stack trace</summary><ol`)
		if s.ID != 0 {
			b.WriteString(` data-ddt-stack="`)
			b.WriteString(strconv.Itoa(s.ID))
			b.WriteString(`"`)
		}
		b.WriteString(`>`)
		for _, f := range s.Frames {
			b.WriteString("\n<li class=\"ddt-frame")
			if f.Hidden {
				b.WriteString(" ddt-frame-hidden")
			}
			b.WriteString(`"><code class="ddt-func">`)
			writeBreakable(&b, f.Func)
			b.WriteString(`</code> <span class="ddt-loc">`)
			writeBreakable(&b, f.File)
			b.WriteString(":")
			b.WriteString(strconv.Itoa(f.Line))
			b.WriteString(`</span>`)
			if u := safeEditURL(f.EditURL); u != "" {
				b.WriteString(` <a class="ddt-edit" href="`)
				writeEscaped(&b, normalizeURL(string(u)))
				b.WriteString(`">open</a>`)
			}
			b.WriteString(`</li>`)
		}
		b.WriteString("\n</ol></details>")
	default:
		return `<span class="ddt-muted">no stack</span>`
	}
	return template.HTML(b.String())
}

// sameStackHTML renders a stack that repeats the one with the given ID.
// Not as a <details> of its own: a browser takes several times longer to
// parse one than a span, and a request can have 10,000 repeats.
func sameStackHTML(id int) template.HTML {
	return template.HTML(`<span class="ddt-muted ddt-stack-same" data-ddt-same="` + strconv.Itoa(id) + `">Same stack trace as above</span>`)
}

// sameHTML holds sameStackHTML(id) for the first IDs: most panels have a
// few call sites, each repeated by many rows.
var sameHTML = func() (out [64]template.HTML) {
	for id := 1; id < len(out); id++ {
		out[id] = sameStackHTML(id)
	}
	return out
}()

// fieldsHTML renders arguments or results: the "ddt-fields" fragment.
func fieldsHTML(fs []Field) template.HTML {
	var b strings.Builder
	for i, f := range fs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("<code>")
		writeEscaped(&b, f.Name)
		b.WriteString("=")
		writeEscaped(&b, f.Value)
		b.WriteString("</code>")
	}
	return template.HTML(b.String())
}

// writeEscaped writes s escaped for HTML text and quoted attribute values,
// as html/template escapes them: NUL becomes U+FFFD; ", &, ', + and < >
// become character references. Other bytes, invalid UTF-8 included, are
// written as they are.
func writeEscaped(b *strings.Builder, s string) {
	written := 0
	for i := 0; i < len(s); i++ {
		var repl string
		switch s[i] {
		case 0:
			repl = "\uFFFD"
		case '"':
			repl = "&#34;"
		case '&':
			repl = "&amp;"
		case '\'':
			repl = "&#39;"
		case '+':
			repl = "&#43;"
		case '<':
			repl = "&lt;"
		case '>':
			repl = "&gt;"
		default:
			continue
		}
		b.WriteString(s[written:i])
		b.WriteString(repl)
		written = i + 1
	}
	b.WriteString(s[written:])
}

// normalizeURL percent-encodes the bytes of a URL that may not appear in
// one, leaving reserved characters and valid escapes alone, as
// html/template normalizes a template.URL in an href.
func normalizeURL(s string) string {
	var b strings.Builder
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			continue
		case strings.IndexByte("!#$&*+,/:;=?@[]-._~", c) >= 0:
			continue
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			continue
		}
		if written == 0 {
			b.Grow(len(s) + 16)
		}
		b.WriteString(s[written:i])
		b.WriteByte('%')
		b.WriteByte("0123456789abcdef"[c>>4])
		b.WriteByte("0123456789abcdef"[c&15])
		written = i + 1
	}
	if written == 0 {
		return s
	}
	b.WriteString(s[written:])
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
