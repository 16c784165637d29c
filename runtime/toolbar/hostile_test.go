package toolbar_test

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/go-ddt/ddt/runtime/toolbar"
	"github.com/go-ddt/ddt/runtime/toolbar/toolbartest"
)

// rawGet sends path as it is, without the client cleaning it.
func rawGet(t *testing.T, addr, path string) (int, string) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "GET "+path+" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	data, _ := io.ReadAll(c)
	resp := string(data)
	code := 0
	if len(resp) >= 12 {
		for _, ch := range resp[9:12] {
			code = code*10 + int(ch-'0')
		}
	}
	return code, resp
}

// TestHostileToolbarRequests: guessed, malformed and oversized ids and path
// tricks under the toolbar's prefix get 4xx and leak nothing: no source,
// no stack, no other request's data.
func TestHostileToolbarRequests(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		toolbar.Emit(r.Context(), "flag", "secret-flag-name")
		io.WriteString(w, "<html><body>page</body></html>")
	})
	s := toolbartest.NewServer(t, mux, toolbar.Options{})
	resp, _ := s.Get("/")
	real := s.RequestID(resp)
	addr := strings.TrimPrefix(s.URL, "http://")
	for _, path := range []string{
		"/__debug__/api/requests/00000000000000000000000000000000",
		"/__debug__/api/requests/" + strings.Repeat("a", 32),
		"/__debug__/api/requests/" + real[:31],
		"/__debug__/api/requests/" + strings.ToUpper(real),
		"/__debug__/api/requests/" + real + "x",
		"/__debug__/api/requests/" + strings.Repeat("f", 100000),
		"/__debug__/api/requests/%00" + real[1:],
		"/__debug__/panels/" + real + "/../../../etc/passwd",
		"/__debug__/panels/" + real + "/nosuchpanel",
		"/__debug__/panels/" + real + "/%2e%2e%2fcalls",
		"/__debug__/panels/" + real + "/featureflags/extra",
		"/__debug__/static/../routes.go",
		"/__debug__/static/%2e%2e/routes.go",
		"/__debug__/static/toolbar.js/../../store.go",
		"/__debug__/static/",
		"/__debug__/",
		"/__debug__/../__debug__/api/requests/" + real + "%20",
	} {
		code, body := rawGet(t, addr, path)
		if code < 300 || code >= 500 {
			t.Errorf("GET %.80s: status %d, want 3xx/4xx", path, code)
		}
		for _, leak := range []string{"secret-flag-name", "package toolbar", "goroutine ", ".go:"} {
			if strings.Contains(body, leak) {
				t.Errorf("GET %.80s: response contains %q", path, leak)
			}
		}
	}
	// The real id still works, and a client the toolbar does not show to
	// gets 404 for it.
	if got := s.Nav(real, "featureflags").NavSubtitle; got != "1 evaluation" {
		t.Errorf("real request: %q", got)
	}
	hidden := toolbartest.NewServer(t, mux, toolbar.Options{Store: s.Store, Show: func(*http.Request) bool { return false }})
	for _, path := range []string{"/__debug__/api/requests/" + real, "/__debug__/panels/" + real + "/featureflags", "/__debug__/static/toolbar.js", "/__debug__/api/requests"} {
		if code, body := rawGet(t, strings.TrimPrefix(hidden.URL, "http://"), path); code != 404 || strings.Contains(body, "secret-flag-name") {
			t.Errorf("rejected client, GET %s: %d", path, code)
		}
	}
}
