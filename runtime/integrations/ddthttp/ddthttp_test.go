package ddthttp_test

import (
	"bytes"
	"context"
	"fmt"
	"github.com/go-ddt/ddt/runtime/event"
	"github.com/go-ddt/ddt/runtime/integrations/ddthttp"
	"github.com/go-ddt/ddt/runtime/panel"
	"github.com/go-ddt/ddt/runtime/panels/outbound"
	"github.com/go-ddt/ddt/runtime/redact"
	"github.com/go-ddt/ddt/runtime/toolbar"
	"github.com/go-ddt/ddt/runtime/toolbar/toolbartest"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// upstream is a real loopback API the app calls: it echoes the request's
// body size and sets a cookie.
func upstream(t *testing.T, tlsToo bool) *httptest.Server {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		w.Header().Set("Set-Cookie", "upstream_session=abc")
		w.Header().Set("X-Upstream", "<b>yes</b>")
		if r.URL.Path == "/fail" {
			w.WriteHeader(http.StatusBadGateway)
		}
		fmt.Fprintf(w, "got %d bytes for %s", n, r.URL.Query().Get("n"))
	})
	var s *httptest.Server
	if tlsToo {
		s = httptest.NewTLSServer(h)
	} else {
		s = httptest.NewServer(h)
	}
	t.Cleanup(s.Close)
	return s
}

// localhost returns s's URL with the host name "localhost", so that the
// client resolves it and the DNS phase is recorded.
func localhost(s *httptest.Server) string {
	u, _ := url.Parse(s.URL)
	_, port, _ := net.SplitHostPort(u.Host)
	u.Host = "localhost:" + port
	return u.String()
}

func TestPanelThroughServer(t *testing.T) {
	api := upstream(t, false)
	secure := upstream(t, true)
	client := &http.Client{Transport: ddthttp.Transport(secure.Client().Transport)}
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()

	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		u, _ := url.Parse(localhost(api) + "/items?q=1&access_token=tok-123")
		u.User = url.UserPassword("alice", "pw-alice")
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), strings.NewReader(strings.Repeat("x", 100)))
		req.Header.Set("Authorization", "Bearer tok-456")
		req.Header.Set("X-Request-Note", "<i>hello</i>")
		if resp, err := client.Do(req); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		// The same connection again, without a context: the goroutine
		// tells the request; and a 502.
		if resp, err := client.Get(api.URL + "/fail"); err == nil {
			io.ReadAll(resp.Body)
			resp.Body.Close()
		}
		// TLS.
		req, _ = http.NewRequestWithContext(ctx, http.MethodGet, secure.URL+"/tls", nil)
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close() // closed without reading: still recorded
		}
		// A connection refused.
		req, _ = http.NewRequestWithContext(ctx, http.MethodGet, closedURL+"/down", nil)
		client.Do(req)
		io.WriteString(w, "<html><body>ok</body></html>")
	})
	s := toolbartest.NewServer(t, mux, toolbar.Options{Panels: []func() panel.Panel{outbound.New}})
	resp, _ := s.Get("/")
	id := s.RequestID(resp)

	if nav := s.Nav(id, "outbound"); !regexp.MustCompile(`^4 requests in [0-9.]+ ms, 2 failed$`).MatchString(nav.NavSubtitle) {
		t.Errorf("nav subtitle %q", nav.NavSubtitle)
	}
	if st := resp.Header.Get("Server-Timing"); !regexp.MustCompile(`outbound;dur=[0-9.]+;desc="4 requests"`).MatchString(st) {
		t.Errorf("Server-Timing = %q", st)
	}
	var p outbound.Panel
	s.Stats(id, "outbound", &p)
	if len(p.Requests) != 4 {
		t.Fatalf("%d requests: %+v", len(p.Requests), p.Requests)
	}
	post, fail, tls, down := p.Requests[0], p.Requests[1], p.Requests[2], p.Requests[3]
	if want := localhost(api) + "/items?access_token=********&q=1"; post.Method != "POST" || post.URL != want {
		t.Errorf("POST %s %s, want %s", post.Method, post.URL, want)
	}
	if post.Status != 200 || post.ReqBytes != 100 || post.RespBytes != int64(len("got 100 bytes for ")) || post.Proto != "HTTP/1.1" {
		t.Errorf("POST status %d, sent %d, received %d, %s", post.Status, post.ReqBytes, post.RespBytes, post.Proto)
	}
	if post.DNS < 0 || post.Connect < 0 || post.TLS != -1 || post.TTFB <= 0 || post.Reused {
		t.Errorf("POST phases dns %v connect %v tls %v ttfb %v reused %v", post.DNS, post.Connect, post.TLS, post.TTFB, post.Reused)
	}
	headers := func(ps []redact.Pair) string {
		var s []string
		for _, p := range ps {
			s = append(s, p.Name+": "+p.Value)
		}
		return strings.Join(s, "\n")
	}
	if h := headers(post.ReqHeaders); h != "Authorization: ********\nX-Request-Note: <i>hello</i>" {
		t.Errorf("request headers:\n%s", h)
	}
	if h := headers(post.RespHeaders); !strings.Contains(h, "Set-Cookie: ********") || !strings.Contains(h, "X-Upstream: <b>yes</b>") {
		t.Errorf("response headers:\n%s", h)
	}
	if fail.Status != 502 || fail.DNS != -1 || fail.StatusClass() != "ddt-error" {
		t.Errorf("502: %+v", fail)
	}
	if tls.TLS <= 0 || tls.Status != 200 || tls.Proto == "" || !tls.HasResp || tls.RespBytes != 0 {
		t.Errorf("TLS request: tls %v status %d %s received %d", tls.TLS, tls.Status, tls.Proto, tls.RespBytes)
	}
	if down.Status != 0 || !strings.Contains(down.Err, "connection refused") {
		t.Errorf("refused: %+v", down)
	}
	if len(post.Stack.Frames) == 0 || !strings.Contains(post.Stack.Frames[0].Func, "ddthttp_test.TestPanelThroughServer.func") {
		t.Errorf("stack starts at %+v", post.Stack.Frames[:min(1, len(post.Stack.Frames))])
	}

	page := s.Panel(id, "outbound")
	for _, want := range []string{
		`<code>POST ` + localhost(api) + `/items?access_token=********&amp;q=1</code>`,
		`<tr><th><code>X-Request-Note</code></th><td><code>&lt;i&gt;hello&lt;/i&gt;</code></td></tr>`,
		`<tr><th><code>Authorization</code></th><td><code>********</code></td></tr>`,
		`<span class="ddt-error">502</span>`,
		`connection refused`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("panel lacks %s", want)
		}
	}
	for _, secret := range []string{"tok-123", "tok-456", "pw-alice", "alice", "upstream_session=abc", "<i>"} {
		if strings.Contains(page, secret) {
			t.Errorf("panel shows %q", secret)
		}
	}
}

// TestNoBodyAndIdle checks a request whose response has no body, and that
// nothing is recorded while no request is.
func TestNoBodyAndIdle(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	}))
	defer api.Close()
	client := ddthttp.Client(api.Client())
	before, _ := event.Unattributed()
	resp, err := client.Get(api.URL) // no request recorded anywhere
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	rec := event.NewRecorder(0)
	ctx, unbind := event.Bind(context.Background(), "nobody", rec)
	req, _ := http.NewRequestWithContext(ctx, http.MethodHead, api.URL, nil)
	resp, err = client.Do(req)
	unbind()
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	evs := rec.Events()
	if len(evs) != 1 || evs[0].Name != "HEAD "+api.URL {
		t.Fatalf("events %+v", evs)
	}
	if after, _ := event.Unattributed(); after != before {
		t.Errorf("unattributed %d -> %d", before, after)
	}
}

// TestConcurrentRequests has many requests call the upstream at once, with
// and without their context, and checks each request's panel.
func TestConcurrentRequests(t *testing.T) {
	const requests, workers = 200, 8
	api := upstream(t, false)
	client := ddthttp.Client(api.Client())
	mux := http.NewServeMux()
	mux.HandleFunc("GET /n/{n}", func(w http.ResponseWriter, r *http.Request) {
		n := r.PathValue("n")
		req, _ := http.NewRequestWithContext(r.Context(), http.MethodGet, api.URL+"/a?n="+n, nil)
		if resp, err := client.Do(req); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		var wg sync.WaitGroup
		wg.Go(func() {
			if resp, err := client.Post(api.URL+"/b?n="+n, "text/plain", bytes.NewReader([]byte(n))); err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
		wg.Wait()
		io.WriteString(w, "<html><body>ok</body></html>")
	})
	s := toolbartest.NewServer(t, mux, toolbar.Options{
		Panels: []func() panel.Panel{outbound.New},
		Store:  toolbar.NewMemoryStore(requests),
	})
	ids := toolbartest.Concurrently(requests, workers, func(n int) string { return s.Fetch(fmt.Sprintf("/n/%d", n)) })
	for n, id := range ids {
		var p outbound.Panel
		s.Stats(id, "outbound", &p)
		want := []string{fmt.Sprintf("%s/a?n=%d", api.URL, n), fmt.Sprintf("%s/b?n=%d", api.URL, n)}
		if len(p.Requests) != 2 || p.Requests[0].URL != want[0] || p.Requests[1].URL != want[1] {
			var got []string
			for _, r := range p.Requests {
				got = append(got, r.URL)
			}
			t.Errorf("request %d: %v, want %v", n, got, want)
		}
	}
}
