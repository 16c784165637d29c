package toolbar_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/go-ddt/ddt/runtime/toolbar"
)

var injectedTag = regexp.MustCompile(`<script src="/__debug__/static/toolbar\.js" data-ddt-request="[0-9a-f]{32}" data-ddt-prefix="/__debug__/" defer="defer"></script>`)

// FuzzInjection serves arbitrary bytes as an HTML page: the response is the
// page with exactly one toolbar tag before its last </body> (in any case),
// or the page untouched when it has none; never a panic.
func FuzzInjection(f *testing.F) {
	for _, s := range []string{"<html><body>x</body></html>", "", "</BODY>", "</body", "a</body>b</BoDy>c", "\xff</body>\x00", "<body></body ></body>"} {
		f.Add([]byte(s), 1)
	}
	f.Fuzz(func(t *testing.T, page []byte, pieces int) {
		h := toolbar.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			// Write in pieces, as handlers do.
			n := max(1, pieces%7)
			step := len(page)/n + 1
			for i := 0; i < len(page); i += step {
				w.Write(page[i:min(len(page), i+step)])
			}
		}), toolbar.Options{Enable: toolbar.On, OmitPanels: []string{"history", "versions", "timer", "request", "headers", "calls", "featureflags"}})
		req := httptest.NewRequest("GET", "http://localhost/", nil)
		req.RemoteAddr = "127.0.0.1:5000"
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		got := rec.Body.Bytes()
		last := lastBodyClose(page)
		if last < 0 {
			if !bytes.Equal(got, page) {
				t.Fatalf("page without </body> changed:\n got %q\nwant %q", got, page)
			}
			return
		}
		loc := injectedTag.FindIndex(got)
		if loc == nil || loc[0] != last {
			t.Fatalf("no toolbar tag at %d in %q", last, got)
		}
		if rest := append(append([]byte{}, got[:loc[0]]...), got[loc[1]:]...); !bytes.Equal(rest, page) {
			t.Fatalf("page changed beyond the tag:\n got %q\nwant %q", rest, page)
		}
	})
}

// lastBodyClose is the reference: the index of the last "</body>" in any
// letter case, or -1.
func lastBodyClose(page []byte) int {
	lower := make([]byte, len(page)) // ASCII only: bytes.ToLower would rewrite invalid UTF-8
	for i, c := range page {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	return bytes.LastIndex(lower, []byte("</body>"))
}
