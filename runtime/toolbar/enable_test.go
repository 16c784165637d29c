package toolbar_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-ddt/ddt/runtime/toolbar"
	"github.com/go-ddt/ddt/runtime/toolbar/access"
)

// appHandler answers every path itself, so that a request that reaches it
// rather than the toolbar says so.
type appHandler struct{}

func (appHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusTeapot)
	io.WriteString(w, "<html><body>app "+r.URL.Path+"</body></html>")
}

// toolbarState reports, from a loopback client on a real server, whether
// the toolbar records pages and serves its routes; and fails the test when
// it does one without the other.
func toolbarState(t *testing.T, opts toolbar.Options) (on bool) {
	t.Helper()
	store := toolbar.NewMemoryStore(10)
	opts.Store = store
	srv := httptest.NewServer(toolbar.Middleware(appHandler{}, opts))
	defer srv.Close()
	get := func(path string) (*http.Response, string) {
		resp, err := srv.Client().Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, string(body)
	}
	resp, body := get("/page")
	recorded := resp.Header.Get(toolbar.RequestIDHeader) != ""
	api, _ := get("/__debug__/api/requests")
	script, _ := get("/__debug__/static/toolbar.js")
	list, _ := store.List(t.Context(), toolbar.ListFilter{})
	switch {
	case recorded && api.StatusCode == http.StatusOK && script.StatusCode == http.StatusOK && len(list) == 1:
		return true
	case !recorded && api.StatusCode == http.StatusTeapot && script.StatusCode == http.StatusTeapot && len(list) == 0 &&
		body == "<html><body>app /page</body></html>" && resp.Header.Get("Server-Timing") == "":
		return false // pure pass-through: the app answers everything
	}
	t.Fatalf("half on: page recorded %v (%q), api/requests %s, static %s, %d stored", recorded, body, api.Status, script.Status, len(list))
	return false
}

// TestOffInAPlainBuild is issue 13: a program built without ddt, behind a
// reverse proxy that connects from loopback, showed every client the
// toolbar. With zero Options it is now off, and Middleware is next itself.
func TestOffInAPlainBuild(t *testing.T) {
	if access.BuiltByDDT() {
		t.Skip("this test binary was built by ddt")
	}
	t.Setenv(access.EnableEnv, "")
	t.Setenv(access.DisableEnv, "")
	if toolbarState(t, toolbar.Options{}) {
		t.Error("the toolbar is on in a plain build with zero Options")
	}
	if h := toolbar.Middleware(appHandler{}, toolbar.Options{}); h != (appHandler{}) {
		t.Errorf("Middleware returned %T, not the app's handler", h)
	}
}

func TestEnableSwitches(t *testing.T) {
	if access.BuiltByDDT() {
		t.Skip("this test binary was built by ddt")
	}
	for _, tt := range []struct {
		name            string
		enable, disable string
		opt             toolbar.Switch
		on              bool
	}{
		{name: "plain build", on: false},
		{name: "Enable On", opt: toolbar.On, on: true},
		{name: "DDT_ENABLE=1", enable: "1", on: true},
		{name: "DDT_ENABLE=0", enable: "0", opt: toolbar.On, on: false},
		{name: "DDT_DISABLE=1 over On", disable: "1", opt: toolbar.On, on: false},
		{name: "Off over DDT_ENABLE=1", enable: "1", opt: toolbar.Off, on: false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(access.EnableEnv, tt.enable)
			t.Setenv(access.DisableEnv, tt.disable)
			if on := toolbarState(t, toolbar.Options{Enable: tt.opt}); on != tt.on {
				t.Errorf("on = %v, want %v", on, tt.on)
			}
		})
	}
}

// TestForwardedHeaders: behind a proxy every request comes from loopback,
// so a request that carries forwarded headers is not shown unless the
// proxy is trusted, and then the proxy's word decides.
func TestForwardedHeaders(t *testing.T) {
	for _, tt := range []struct {
		trust         bool
		header, value string
		show          bool
	}{
		{header: "X-Forwarded-For", value: "203.0.113.9"},
		{header: "X-Forwarded-For", value: "127.0.0.1"},
		{header: "Forwarded", value: "for=203.0.113.9;host=app.example"},
		{header: "X-Real-IP", value: "203.0.113.9"},
		{header: "X-Forwarded-Host", value: "app.example"},
		{trust: true, header: "X-Forwarded-For", value: "203.0.113.9"},
		{trust: true, header: "X-Forwarded-For", value: "127.0.0.1", show: true},
		{trust: true, header: "Forwarded", value: "for=127.0.0.1;host=app.example"},
		{trust: true, header: "Forwarded", value: "for=127.0.0.1;host=localhost", show: true},
	} {
		srv := httptest.NewServer(toolbar.Middleware(appHandler{}, toolbar.Options{Enable: toolbar.On, TrustForwarded: tt.trust}))
		for _, path := range []string{"/page", "/__debug__/api/requests"} {
			req, _ := http.NewRequest("GET", srv.URL+path, nil)
			req.Header.Set(tt.header, tt.value)
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			shown := resp.Header.Get(toolbar.RequestIDHeader) != ""
			if path != "/page" {
				shown = resp.StatusCode == http.StatusOK
			}
			if shown != tt.show {
				t.Errorf("trusted %v, %s: %s, %s: shown = %v, want %v", tt.trust, tt.header, tt.value, path, shown, tt.show)
			}
		}
		srv.Close()
	}
}
