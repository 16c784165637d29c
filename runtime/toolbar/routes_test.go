package toolbar_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/go-ddt/ddt/runtime/toolbar"
	"github.com/go-ddt/ddt/runtime/toolbar/toolbartest"
)

var helloPage = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Write([]byte("<html><body>hello</body></html>"))
})

func TestRejectedClients(t *testing.T) {
	s := toolbartest.NewServer(t, helloPage, toolbar.Options{Show: func(r *http.Request) bool { return r.Header.Get("X-Let-Me-In") == "yes" }})
	req, _ := http.NewRequest("GET", s.URL+"/", nil)
	req.Header.Set("X-Let-Me-In", "yes")
	resp, _ := s.Do(req)
	id := s.RequestID(resp)

	// A rejected client gets the page untouched, and 404 from every route.
	resp, body := s.Get("/")
	if resp.Header.Get(toolbar.RequestIDHeader) != "" || resp.Header.Get("Server-Timing") != "" || string(body) != "<html><body>hello</body></html>" {
		t.Errorf("rejected client got %v %q", resp.Header, body)
	}
	for _, path := range []string{"static/toolbar.js", "api/requests", "api/requests/" + id, "panels/" + id + "/request"} {
		if resp, _ := s.Get("/__debug__/" + path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s for a rejected client: %s", path, resp.Status)
		}
	}
}

func TestDefaultShowIsLoopbackOnly(t *testing.T) {
	tests := []struct {
		remote, forwarded string
		trust, show       bool
	}{
		{remote: "127.0.0.1:5000", show: true},
		{remote: "[::1]:5000", show: true},
		{remote: "[::ffff:127.0.0.1]:5000", show: true},
		{remote: "192.0.2.7:5000", show: false},
		{remote: "192.0.2.7:5000", forwarded: "127.0.0.1", show: false},              // not trusted
		{remote: "127.0.0.1:5000", forwarded: "192.0.2.7", show: false},              // not trusted: a request through a proxy
		{remote: "127.0.0.1:5000", forwarded: "192.0.2.7", trust: true, show: false}, // the proxy says who it is
		{remote: "127.0.0.1:5000", forwarded: "127.0.0.1, 192.0.2.7", trust: true, show: false},
		{remote: "192.0.2.7:5000", forwarded: "192.0.2.9, ::1", trust: true, show: true},
		{remote: "not an address", show: false},
	}
	for _, tt := range tests {
		h := toolbar.Middleware(helloPage, toolbar.Options{Enable: toolbar.On, TrustForwarded: tt.trust})
		req := httptest.NewRequest("GET", "http://localhost/", nil)
		req.RemoteAddr = tt.remote
		if tt.forwarded != "" {
			req.Header.Set("X-Forwarded-For", tt.forwarded)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if shown := w.Header().Get(toolbar.RequestIDHeader) != ""; shown != tt.show {
			t.Errorf("RemoteAddr %q, X-Forwarded-For %q, trusted %v: shown = %v", tt.remote, tt.forwarded, tt.trust, shown)
		}
	}
	h := toolbar.Middleware(helloPage, toolbar.Options{Enable: toolbar.On, ClientIP: func(*http.Request) netip.Addr { return netip.MustParseAddr("::1") }})
	req := httptest.NewRequest("GET", "http://localhost/", nil)
	req.RemoteAddr = "192.0.2.7:5000"
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Header().Get(toolbar.RequestIDHeader) == "" {
		t.Error("Options.ClientIP not used")
	}
}

func TestRoutes(t *testing.T) {
	s := toolbartest.NewServer(t, helloPage, toolbar.Options{Prefix: "/_tb"})
	resp, body := s.Get("/page")
	id := s.RequestID(resp)
	if !strings.Contains(string(body), `src="/_tb/static/toolbar.js"`) || !strings.Contains(string(body), `data-ddt-prefix="/_tb/"`) {
		t.Errorf("injected tag with a custom prefix: %s", body)
	}
	for _, asset := range []struct{ path, ctype string }{{"toolbar.js", "text/javascript"}, {"toolbar.css", "text/css"}} {
		resp, body := s.Get("/_tb/static/" + asset.path)
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), asset.ctype) || len(body) < 100 {
			t.Errorf("%s: %s %s, %d bytes", asset.path, resp.Status, resp.Header.Get("Content-Type"), len(body))
		}
		req, _ := http.NewRequest("GET", s.URL+"/_tb/static/"+asset.path, nil)
		req.Header.Set("If-None-Match", resp.Header.Get("ETag"))
		if resp, _ := s.Do(req); resp.StatusCode != http.StatusNotModified {
			t.Errorf("%s revalidated: %s", asset.path, resp.Status)
		}
	}

	// The toolbar's own routes are never recorded.
	for _, path := range []string{"/_tb/api/requests", "/_tb/api/requests/" + id, "/_tb/panels/" + id + "/timer", "/_tb/static/toolbar.js", "/_tb/nothing"} {
		resp, _ := s.Get(path)
		if resp.Header.Get(toolbar.RequestIDHeader) != "" {
			t.Errorf("%s was recorded", path)
		}
	}
	resp, body = s.Get("/_tb/api/requests")
	var list struct{ Requests []toolbar.Summary }
	if err := json.Unmarshal(body, &list); err != nil || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("api/requests: %v %s", err, body)
	}
	if len(list.Requests) != 1 || list.Requests[0].ID != id || list.Requests[0].Path != "/page" || list.Requests[0].Status != 200 || list.Requests[0].XHR {
		t.Errorf("api/requests after one page and toolbar calls: %+v", list.Requests)
	}

	notFound := []string{
		"/_tb/api/requests/0123456789abcdef0123456789abcdef", // well-formed, unknown
		"/_tb/api/requests/" + strings.ToUpper(id),           // malformed: ids are lower-case hex
		"/_tb/api/requests/" + id[:31],
		"/_tb/api/requests/" + id + "0",
		"/_tb/panels/0123456789abcdef0123456789abcdef/timer",
		"/_tb/panels/" + id + "/nosuchpanel",
		"/_tb/panels/zz/timer",
		"/_tb/static/nothing.js",
		"/_tb/static/README.md",
		"/_tb/nosuchpage",
	}
	for _, path := range notFound {
		if resp, _ := s.Get(path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %s, want 404", path, resp.Status)
		}
	}
	// The prefix itself is the standalone page, under the prefix's own
	// routes.
	if resp, body := s.Get("/_tb/"); resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `src="/_tb/static/standalone.js"`) {
		t.Errorf("/_tb/: %s, want the standalone page with its script under /_tb/", resp.Status)
	}
}

func TestStoreRing(t *testing.T) {
	store := toolbar.NewMemoryStore(3)
	s := toolbartest.NewServer(t, helloPage, toolbar.Options{Store: store})
	var ids []string
	for range 5 {
		resp, _ := s.Get("/")
		ids = append(ids, s.RequestID(resp))
	}
	list, _ := store.List(t.Context(), toolbar.ListFilter{})
	if len(list) != 3 || list[0].ID != ids[4] || list[2].ID != ids[2] {
		t.Errorf("ring of 3 after 5 requests, newest first: %v, ids %v", list, ids)
	}
	if resp, _ := s.Get("/__debug__/api/requests/" + ids[1]); resp.StatusCode != 404 {
		t.Errorf("evicted request: %s", resp.Status)
	}
	if seen := map[string]bool{}; len(ids) == 5 {
		for _, id := range ids {
			if seen[id] || len(id) != 32 {
				t.Errorf("request id %q repeated or not 128 bits of hex", id)
			}
			seen[id] = true
		}
	}
}

// TestDefaultShowChecksHost checks the defence against DNS rebinding: a
// loopback client that names a host other than the machine itself (a page
// of another site whose name resolves to 127.0.0.1) is not shown the
// toolbar, and gets 404 from its routes.
func TestDefaultShowChecksHost(t *testing.T) {
	for _, tt := range []struct {
		host    string
		allowed []string
		show    bool
	}{
		{"localhost:8000", nil, true},
		{"LOCALHOST.", nil, true},
		{"app.localhost:8000", nil, true},
		{"127.0.0.1:8000", nil, true},
		{"[::1]:8000", nil, true},
		{"192.168.1.20", nil, true}, // an address, not a name
		{"evil.example:8000", nil, false},
		{"localhost.evil.example", nil, false},
		{"app.test:8000", nil, false},
		{"app.test:8000", []string{"app.test"}, true},
		{"api.app.test", []string{".app.test"}, true},
		{"app.test", []string{".app.test"}, true},
		{"notapp.test", []string{".app.test"}, false},
	} {
		h := toolbar.Middleware(helloPage, toolbar.Options{Enable: toolbar.On, AllowedHosts: tt.allowed})
		for _, path := range []string{"/", "/__debug__/api/requests"} {
			req := httptest.NewRequest("GET", "http://"+tt.host+path, nil)
			req.RemoteAddr = "127.0.0.1:5000"
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			shown := w.Header().Get(toolbar.RequestIDHeader) != ""
			if path != "/" {
				shown = w.Code == http.StatusOK
			}
			if shown != tt.show {
				t.Errorf("Host %q, AllowedHosts %q, %s: shown = %v", tt.host, tt.allowed, path, shown)
			}
		}
	}
}

// TestRoutesAsDocumented checks what the README's "The toolbar's routes"
// promises: methods, shapes, status codes and headers.
func TestRoutesAsDocumented(t *testing.T) {
	s := toolbartest.NewServer(t, helloPage, toolbar.Options{})
	resp, _ := s.Get("/page?token=hunter2")
	id := s.RequestID(resp)

	_, body := s.Get("/__debug__/api/requests")
	var list struct {
		Requests []map[string]any `json:"requests"`
		Instance string           `json:"instance"`
	}
	if err := json.Unmarshal(body, &list); err != nil || len(list.Requests) != 1 || list.Instance != toolbar.DefaultInstance() {
		t.Fatalf("api/requests = %s (%v), want {\"requests\": [one], \"instance\": %q}", body, err, toolbar.DefaultInstance())
	}
	sum := list.Requests[0]
	for _, field := range []string{"id", "method", "path", "status", "content_type", "started", "duration_ms", "kind", "xhr", "dropped", "unattributed"} {
		if _, ok := sum[field]; !ok {
			t.Errorf("summary lacks %q: %s", field, body)
		}
	}
	if sum["id"] != id || sum["kind"] != "page" || strings.Contains(sum["path"].(string), "hunter2") {
		t.Errorf("summary = %v", sum)
	}

	_, body = s.Get("/__debug__/api/requests/" + id)
	var detail map[string]any
	if err := json.Unmarshal(body, &detail); err != nil || detail["id"] != id {
		t.Fatalf("api/requests/{id} = %s (%v)", body, err)
	}
	panels, _ := detail["panels"].([]any)
	if len(panels) == 0 {
		t.Fatalf("api/requests/{id} has no panels: %s", body)
	}
	for _, field := range []string{"id", "title", "nav_title", "nav_subtitle", "has_content", "enabled", "default_on"} {
		if _, ok := panels[0].(map[string]any)[field]; !ok {
			t.Errorf("panel lacks %q: %v", field, panels[0])
		}
	}

	for _, tt := range []struct {
		method, path string
		status       int
		contentType  string
	}{
		{"GET", "api/requests", http.StatusOK, "application/json"},
		{"HEAD", "api/requests", http.StatusOK, "application/json"},
		{"POST", "api/requests", http.StatusMethodNotAllowed, ""},
		{"DELETE", "api/requests/" + id, http.StatusMethodNotAllowed, ""},
		{"GET", "api/requests/" + strings.ToUpper(id), http.StatusNotFound, ""},
		{"GET", "api/requests/" + strings.Repeat("0", 32), http.StatusNotFound, ""},
		{"GET", "panels/" + id + "/request", http.StatusOK, "text/html; charset=utf-8"},
		{"GET", "panels/" + id + "/nosuchpanel", http.StatusNotFound, ""},
		{"GET", "static/toolbar.js", http.StatusOK, "text/javascript; charset=utf-8"},
	} {
		req, _ := http.NewRequest(tt.method, s.URL+"/__debug__/"+tt.path, nil)
		resp, _ := s.Do(req)
		if resp.StatusCode != tt.status {
			t.Errorf("%s %s: %s, want %d", tt.method, tt.path, resp.Status, tt.status)
			continue
		}
		if tt.contentType == "" {
			continue
		}
		if got := resp.Header.Get("Content-Type"); got != tt.contentType {
			t.Errorf("%s %s: Content-Type %q, want %q", tt.method, tt.path, got, tt.contentType)
		}
		if strings.HasPrefix(tt.path, "static/") {
			continue
		}
		if resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("Cross-Origin-Resource-Policy") != "same-origin" ||
			resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("%s %s: headers %v", tt.method, tt.path, resp.Header)
		}
	}
}
