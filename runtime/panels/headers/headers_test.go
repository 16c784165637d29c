package headers_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/go-ddt/ddt/runtime/toolbar"
	"github.com/go-ddt/ddt/runtime/toolbar/toolbartest"
)

func TestPanel(t *testing.T) {
	s := toolbartest.NewServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Frame-Options", "DENY")
		w.Header().Set("X-Upstream-Secret", "sssh")
		w.Write([]byte("{}"))
	}), toolbar.Options{})
	req, _ := http.NewRequest("GET", s.URL+"/", nil)
	req.Header.Set("Accept-Language", "fr")
	req.Header.Set("Proxy-Authorization", "Basic abc")
	resp, _ := s.Do(req)
	html := s.Panel(s.RequestID(resp), "headers")
	req1, resp1, _ := strings.Cut(html, "Response headers")
	for _, want := range []string{"Accept-Language</code></th><td><code>fr<", "Host</code></th><td><code>127.0.0.1:", "Proxy-Authorization</code></th><td><code>********<"} {
		if !strings.Contains(req1, want) {
			t.Errorf("request headers lack %s:\n%s", want, req1)
		}
	}
	for _, want := range []string{"X-Frame-Options</code></th><td><code>DENY<", "X-Upstream-Secret</code></th><td><code>********<", "X-Ddt-Request-Id</code>"} {
		if !strings.Contains(resp1, want) {
			t.Errorf("response headers lack %s:\n%s", want, resp1)
		}
	}
	if strings.Contains(html, "sssh") || strings.Contains(html, "Basic abc") {
		t.Errorf("a secret is shown:\n%s", html)
	}
}
