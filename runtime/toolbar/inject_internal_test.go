package toolbar

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-ddt/ddt/runtime/panel"
)

func TestLastBodyClose(t *testing.T) {
	for page, want := range map[string]int{
		"":                        -1,
		"</body>":                 0,
		"</BODY>x</bOdY>":         8,
		"<body>no end":            -1,
		"</bod":                   -1,
		"</body":                  -1,
		"x</body>y</body>z</body": 9,
		"</body></body2>":         0,
		"<</body>":                1,
		strings.Repeat("<", 100):  -1,
	} {
		if got := lastBodyClose([]byte(page)); got != want {
			t.Errorf("lastBodyClose(%q) = %d, want %d", page, got, want)
		}
	}
}

func TestNonceFromCSP(t *testing.T) {
	for csp, want := range map[string]string{
		"":                      "",
		"default-src 'self'":    "",
		"default-src 'nonce-d'": "d",
		"default-src 'nonce-d'; script-src 'nonce-s'":            "s",
		"script-src 'nonce-s'; script-src-elem 'self' 'nonce-e'": "e",
		"style-src 'nonce-x'":                                    "",
		"SCRIPT-SRC 'strict-dynamic' 'nonce-AbC+/=' https:":      "AbC+/=",
		"script-src 'nonce-unterminated":                         "",
	} {
		h := http.Header{}
		if csp != "" {
			h.Set("Content-Security-Policy", csp)
		}
		if got := nonceFromCSP(h); got != want {
			t.Errorf("nonceFromCSP(%q) = %q, want %q", csp, got, want)
		}
	}
}

func TestFormatServerTiming(t *testing.T) {
	got := formatServerTiming(12345*time.Microsecond, []panel.Timing{
		{Name: "sql", Duration: 3100 * time.Microsecond, Desc: `2 "quoted" \ queries`},
		{Name: "bad name;x", Desc: "line\nbreak"},
	})
	want := `total;dur=12.3, sql;dur=3.1;desc="2 \"quoted\" \\ queries", bad_name_x;dur=0.0;desc="linebreak"`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

type nopWriter struct{ h http.Header }

func (w *nopWriter) Header() http.Header         { return w.h }
func (w *nopWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *nopWriter) WriteHeader(int)             {}

// BenchmarkInject is the toolbar's own cost on a 100 KB page: holding it
// back as the handler writes it in 4 KB pieces, finding the last </body>,
// and writing the page with the tag. page-without-body is the worst case:
// the whole page is searched in vain.
func BenchmarkInject(b *testing.B) {
	body := strings.Repeat("<p>Lorem <b>ipsum</b> dolor sit amet.</p>\n", 100*1024/42)
	h := &handler{prefix: DefaultPrefix}
	tag := h.scriptTag(&http.Request{}, http.Header{}, "0123456789abcdef0123456789abcdef")
	for name, page := range map[string][]byte{
		"page":              []byte("<html><body>" + body + "</body></html>"),
		"page-without-body": []byte("<html>" + body + "</html>"),
	} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(page)))
			b.ReportAllocs()
			w := &nopWriter{h: http.Header{}}
			for b.Loop() {
				clear(w.h)
				w.h.Set("Content-Type", "text/html")
				rw := &responseWriter{w: w, method: "GET", rec: &recording{h: h, start: time.Now()}}
				for p := page; len(p) > 0; p = p[min(len(p), 4096):] {
					rw.Write(p[:min(len(p), 4096)])
				}
				rw.finish(tag)
			}
		})
	}
}
