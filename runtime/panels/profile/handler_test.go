package profile_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-ddt/ddt/runtime/ext"
	"github.com/go-ddt/ddt/runtime/panels/profile"
	"github.com/go-ddt/ddt/runtime/toolbar/access"
)

// TestHandlerDefaultRule: the standalone handler applies the toolbar's
// rule (issue 13), Host and forwarded headers included, and is off in a
// plain build. "on" answers 303 once the check is passed.
func TestHandlerDefaultRule(t *testing.T) {
	if access.BuiltByDDT() {
		t.Skip("this test binary was built by ddt")
	}
	for _, tt := range []struct {
		name, enable, host, header string
		status                     int
	}{
		{name: "plain build", status: http.StatusNotFound},
		{name: "enabled", enable: "1", status: http.StatusSeeOther},
		{name: "rebinding Host", enable: "1", host: "evil.example", status: http.StatusNotFound},
		{name: "through a proxy", enable: "1", header: "Forwarded", status: http.StatusNotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(access.EnableEnv, tt.enable)
			srv := httptest.NewServer(profile.Handler(nil))
			defer srv.Close()
			client := srv.Client()
			client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
			req, _ := http.NewRequest("GET", srv.URL+"/debug/profiles/on?next=/", nil)
			if tt.host != "" {
				req.Host = tt.host
			}
			if tt.header != "" {
				req.Header.Set(tt.header, "for=203.0.113.9")
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Errorf("status %s, want %d", resp.Status, tt.status)
			}
		})
	}
}

// TestHandlerOtherInstance: with a store shared by several instances, a
// download that reaches another instance than the one that took the
// profile says which instance keeps it.
func TestHandlerOtherInstance(t *testing.T) {
	ext.SetIdentity("web-b", nil)
	t.Cleanup(func() { ext.SetIdentity("", nil) })
	srv := httptest.NewServer(profile.Handler(func(*http.Request) bool { return true }))
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL + "/p/0123456789abcdef0123456789abcdef/cpu.pprof?instance=web-a")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), "kept in the memory of instance web-a, and this is instance web-b") {
		t.Errorf("download on another instance: %s %s", resp.Status, body)
	}
}
