package access_test

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/go-ddt/ddt/runtime/toolbar/access"
)

func TestRuleForwardedHeaders(t *testing.T) {
	trusted := access.Rule{TrustForwarded: true}
	for _, tt := range []struct {
		rule          access.Rule
		remote        string
		header, value string
		allow         bool
	}{
		{remote: "127.0.0.1:5000", allow: true},
		// Behind a proxy every request comes from loopback: untrusted
		// forwarded headers turn it away, whatever they say.
		{remote: "127.0.0.1:5000", header: "X-Forwarded-For", value: "203.0.113.9"},
		{remote: "127.0.0.1:5000", header: "X-Forwarded-For", value: "127.0.0.1"},
		{remote: "127.0.0.1:5000", header: "Forwarded", value: "for=203.0.113.9"},
		{remote: "127.0.0.1:5000", header: "X-Real-IP", value: "203.0.113.9"},
		{remote: "127.0.0.1:5000", header: "X-Forwarded-Host", value: "app.example"},
		{remote: "127.0.0.1:5000", header: "X-Forwarded-Proto", value: "https"},
		{remote: "127.0.0.1:5000", header: "Via", value: "1.1 proxy"},
		{remote: "127.0.0.1:5000", header: "CF-Connecting-IP", value: "203.0.113.9"},
		// Trusted: the proxy's word is taken, for the client and the host.
		{rule: trusted, remote: "127.0.0.1:5000", header: "X-Forwarded-For", value: "127.0.0.1", allow: true},
		{rule: trusted, remote: "127.0.0.1:5000", header: "X-Forwarded-For", value: "127.0.0.1, 203.0.113.9"},
		{rule: trusted, remote: "127.0.0.1:5000", header: "X-Forwarded-For", value: "unknown"},
		{rule: trusted, remote: "127.0.0.1:5000", header: "Forwarded", value: `for="[::1]:4711";host=localhost:8080`, allow: true},
		{rule: trusted, remote: "127.0.0.1:5000", header: "Forwarded", value: "for=127.0.0.1, for=203.0.113.9"},
		{rule: trusted, remote: "127.0.0.1:5000", header: "Forwarded", value: "for=127.0.0.1;host=evil.example"},
		{rule: trusted, remote: "127.0.0.1:5000", header: "X-Real-IP", value: "::1", allow: true},
		{rule: trusted, remote: "127.0.0.1:5000", header: "X-Forwarded-Host", value: "evil.example"},
		{rule: trusted, remote: "127.0.0.1:5000", header: "X-Forwarded-Host", value: "localhost:8080", allow: true},
		// A ClientIP of your own handles proxies itself.
		{rule: access.Rule{ClientIP: func(*http.Request) netip.Addr { return netip.MustParseAddr("::1") }},
			remote: "192.0.2.7:5000", header: "X-Forwarded-For", value: "203.0.113.9", allow: true},
	} {
		req := httptest.NewRequest("GET", "http://localhost:8080/", nil)
		req.RemoteAddr = tt.remote
		if tt.header != "" {
			req.Header.Set(tt.header, tt.value)
		}
		if got := tt.rule.Allows(req); got != tt.allow {
			t.Errorf("trust %v, %s: %q: Allows = %v, want %v", tt.rule.TrustForwarded, tt.header, tt.value, got, tt.allow)
		}
	}
}

func TestDefaultFollowsTheSwitch(t *testing.T) {
	if access.BuiltByDDT() {
		t.Skip("built by ddt: the toolbar is on by default")
	}
	req := httptest.NewRequest("GET", "http://localhost/", nil)
	req.RemoteAddr = "127.0.0.1:5000"
	t.Setenv(access.EnableEnv, "")
	if access.Default()(req) {
		t.Error("Default allows a request in a plain build")
	}
	t.Setenv(access.EnableEnv, "1")
	if !access.Default()(req) {
		t.Error("Default refuses a loopback request with DDT_ENABLE=1")
	}
	req.Host = "evil.example"
	if access.Default()(req) {
		t.Error("Default allows a Host that names another site")
	}
}

func TestSetPrivateHeaders(t *testing.T) {
	h := http.Header{}
	access.SetPrivateHeaders(h)
	for name, want := range map[string]string{
		"Cache-Control":                "no-store",
		"X-Content-Type-Options":       "nosniff",
		"Cross-Origin-Resource-Policy": "same-origin",
	} {
		if got := h.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}
