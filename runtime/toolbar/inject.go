package toolbar

import (
	"bytes"
	"html"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-ddt/ddt/runtime/panel"
)

// injectable reports whether a response can take the toolbar: an HTML
// page with a body, not encoded, not partial.
func injectable(method string, status int, h http.Header) bool {
	if method == http.MethodHead || !bodyAllowed(status) || status == http.StatusPartialContent {
		return false
	}
	if ce := h.Get("Content-Encoding"); ce != "" && !strings.EqualFold(ce, "identity") {
		return false
	}
	return isHTML(h.Get("Content-Type"))
}

// isHTML reports whether a Content-Type is text/html or
// application/xhtml+xml.
func isHTML(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.TrimSpace(mt)
	return strings.EqualFold(mt, "text/html") || strings.EqualFold(mt, "application/xhtml+xml")
}

// bodyAllowed reports whether a response with the status can have a body.
func bodyAllowed(status int) bool {
	return status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}

// lastBodyClose returns the index of the last "</body>" in page, in any
// letter case, or -1. It looks at each "y>" and "Y>", which few pages have
// outside "</body>", found with the vectorized bytes.Index: a byte-by-byte
// scan would cost a page without </body> a pass over every byte.
func lastBodyClose(page []byte) int {
	last := -1
	for _, end := range [...]string{"y>", "Y>"} {
		for at := 0; ; at += 2 {
			i := bytes.Index(page[at:], []byte(end))
			if i < 0 {
				break
			}
			at += i
			if start := at - 5; start > last && isBodyClose(page[start:]) {
				last = start
			}
		}
	}
	return last
}

// isBodyClose reports whether p starts with "</body>" in any letter case.
func isBodyClose(p []byte) bool {
	return len(p) >= 7 && p[0] == '<' && p[1] == '/' && p[2]|0x20 == 'b' && p[3]|0x20 == 'o' &&
		p[4]|0x20 == 'd' && p[5]|0x20 == 'y' && p[6] == '>'
}

// scriptTag is what the toolbar injects into a page: one external script,
// with the page's CSP nonce.
func (h *handler) scriptTag(r *http.Request, header http.Header, id string) []byte {
	nonce := nonceFromCSP(header)
	if nonce == "" && h.nonce != nil {
		nonce = h.nonce(r)
	}
	prefix := html.EscapeString(h.prefix)
	var b strings.Builder
	b.WriteString(`<script src="`)
	b.WriteString(prefix)
	b.WriteString(`static/toolbar.js" data-ddt-request="`)
	b.WriteString(id)
	b.WriteString(`" data-ddt-prefix="`)
	b.WriteString(prefix)
	b.WriteString(`" defer="defer"`) // a bare attribute is not XML, and XHTML pages are injected too
	if nonce != "" {
		b.WriteString(` nonce="`)
		b.WriteString(html.EscapeString(nonce))
		b.WriteString(`"`)
	}
	b.WriteString(`></script>`)
	return []byte(b.String())
}

// nonceFromCSP returns the nonce that the page's Content-Security-Policy
// allows scripts with, looking at script-src-elem, script-src and
// default-src in that order.
func nonceFromCSP(h http.Header) string {
	for _, directive := range []string{"script-src-elem", "script-src", "default-src"} {
		for _, policy := range h.Values("Content-Security-Policy") {
			for d := range strings.SplitSeq(policy, ";") {
				fields := strings.Fields(d)
				if len(fields) == 0 || !strings.EqualFold(fields[0], directive) {
					continue
				}
				for _, src := range fields[1:] {
					if n, ok := strings.CutPrefix(src, "'nonce-"); ok && strings.HasSuffix(n, "'") {
						return strings.TrimSuffix(n, "'")
					}
				}
			}
		}
	}
	return ""
}

// formatServerTiming makes a Server-Timing header value: the total, then
// the panels' entries.
func formatServerTiming(total time.Duration, entries []panel.Timing) string {
	var b strings.Builder
	writeTiming(&b, panel.Timing{Name: "total", Duration: total})
	for _, e := range entries {
		b.WriteString(", ")
		writeTiming(&b, e)
	}
	return b.String()
}

func writeTiming(b *strings.Builder, t panel.Timing) {
	name := []byte(t.Name)
	for i, c := range name {
		if !isTokenChar(c) {
			name[i] = '_'
		}
	}
	if len(name) == 0 {
		name = []byte("_")
	}
	b.Write(name)
	b.WriteString(";dur=")
	b.WriteString(strconv.FormatFloat(float64(t.Duration)/float64(time.Millisecond), 'f', 1, 64))
	if t.Desc != "" {
		b.WriteString(`;desc="`)
		for _, c := range []byte(t.Desc) {
			switch {
			case c == '"' || c == '\\':
				b.WriteByte('\\')
				b.WriteByte(c)
			case c >= 0x20 && c != 0x7f:
				b.WriteByte(c)
			}
		}
		b.WriteByte('"')
	}
}

// isTokenChar reports whether c may appear in an HTTP token (RFC 9110).
func isTokenChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}
