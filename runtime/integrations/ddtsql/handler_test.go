package ddtsql_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-ddt/ddt/runtime/integrations/ddtsql"
	"github.com/go-ddt/ddt/runtime/toolbar/access"
)

// TestExplainHandlerDefaultRule: the standalone handler applies the
// toolbar's rule (issue 13), Host and forwarded headers included, and is
// off in a plain build. A bad reference answers 403: the check was passed.
func TestExplainHandlerDefaultRule(t *testing.T) {
	if access.BuiltByDDT() {
		t.Skip("this test binary was built by ddt")
	}
	for _, tt := range []struct {
		name, enable, host, header string
		status                     int
	}{
		{name: "plain build", status: http.StatusNotFound},
		{name: "enabled", enable: "1", status: http.StatusForbidden},
		{name: "rebinding Host", enable: "1", host: "evil.example", status: http.StatusNotFound},
		{name: "through a proxy", enable: "1", header: "X-Forwarded-For", status: http.StatusNotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(access.EnableEnv, tt.enable)
			srv := httptest.NewServer(ddtsql.ExplainHandler(nil))
			defer srv.Close()
			req, _ := http.NewRequest("GET", srv.URL+"/?ref=1.forged", nil)
			if tt.host != "" {
				req.Host = tt.host
			}
			if tt.header != "" {
				req.Header.Set(tt.header, "203.0.113.9")
			}
			resp, err := srv.Client().Do(req)
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
