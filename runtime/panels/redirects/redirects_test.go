package redirects_test

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/go-ddt/ddt/runtime/panel"
	"github.com/go-ddt/ddt/runtime/panels/redirects"
	"github.com/go-ddt/ddt/runtime/toolbar"
	"github.com/go-ddt/ddt/runtime/toolbar/toolbartest"
)

func app() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "s1"})
		http.Redirect(w, r, "/home?welcome=1&token=t-123", http.StatusSeeOther)
	})
	mux.HandleFunc("GET /evil", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", `javascript:alert(1)//"><script>alert(2)</script>`)
		w.WriteHeader(http.StatusFound)
	})
	mux.HandleFunc("GET /n/{n}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/target/"+r.PathValue("n"), http.StatusFound)
	})
	mux.HandleFunc("GET /cached", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "/elsewhere")
		w.WriteHeader(http.StatusNotModified)
	})
	mux.HandleFunc("GET /home", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "<html><body>home</body></html>")
	})
	return mux
}

// noFollow is a client that shows redirects instead of following them.
func noFollow(s *toolbartest.Server) *http.Client {
	c := *s.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

func navigate(t *testing.T, c *http.Client, method, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	req.Header.Set("Sec-Fetch-Mode", "navigate")
	req.Header.Set("Accept", "text/html")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func TestInterception(t *testing.T) {
	s := toolbartest.NewServer(t, app(), toolbar.Options{})
	// Off by default: the redirect goes through until the user ticks the
	// panel.
	if resp, _ := navigate(t, noFollow(s), "POST", s.URL+"/login"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("redirect with the panel off by default: %s, want 303", resp.Status)
	}
	s.SwitchOn("redirects")
	c := noFollow(s)

	resp, body := navigate(t, c, "POST", s.URL+"/login")
	if resp.StatusCode != 200 || resp.Header.Get("Location") != "" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("intercepted redirect: %s, Location %q, %s", resp.Status, resp.Header.Get("Location"), resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{
		`<h1>Redirect (303 See Other)</h1>`,
		`<a id="ddt-redirect" href="/home?welcome=1&amp;token=t-123">/home?welcome=1&amp;token=t-123</a>`,
		`<script src="/__debug__/static/toolbar.js"`, // the toolbar is injected
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s\n%s", want, body)
		}
	}
	if strings.Contains(body, "See Other</a>.") {
		t.Error("the handler's own redirect body was kept")
	}
	// The handler's cookie is kept, beside the toolbar's ddt_client.
	if c := resp.Cookies(); !slices.ContainsFunc(c, func(c *http.Cookie) bool { return c.Name == "session" && c.Value == "s1" }) {
		t.Errorf("cookies %v: the handler's headers must be kept", c)
	}
	id := s.RequestID(resp)
	if nav := s.Nav(id, "redirects"); nav.NavSubtitle != "303 → /home?token=********&welcome=1" {
		t.Errorf("nav subtitle %q", nav.NavSubtitle)
	}
	if html := s.Panel(id, "redirects"); !strings.Contains(html, "<strong>303 See Other</strong>") || strings.Contains(html, "t-123") {
		t.Errorf("panel:\n%s", html)
	}

	// A hostile location is escaped, and not a javascript: link.
	_, body = navigate(t, c, "GET", s.URL+"/evil")
	if strings.Contains(body, "<script>alert(2)") || strings.Contains(body, `href="javascript:`) || !strings.Contains(body, `href="#ZgotmplZ"`) {
		t.Errorf("hostile location:\n%s", body)
	}

	// Not intercepted: fetch, XHR, HEAD, 304, a switched-off panel.
	for _, c2 := range []struct {
		name, method, path string
		header             []string
		status             int
	}{
		{"fetch", "GET", "/n/1", []string{"Sec-Fetch-Mode", "cors"}, 302},
		{"XHR", "GET", "/n/1", []string{"Sec-Fetch-Mode", "", "X-Requested-With", "XMLHttpRequest"}, 302},
		{"HEAD", "HEAD", "/n/1", nil, 302},
		{"304", "GET", "/cached", nil, 304},
		{"panel off", "GET", "/n/1", []string{"Cookie", "ddt_disabled=redirects"}, 302},
	} {
		resp, _ := navigate(t, c, c2.method, s.URL+c2.path, c2.header...)
		if resp.StatusCode != c2.status {
			t.Errorf("%s: %s, want %d", c2.name, resp.Status, c2.status)
		}
	}
}

func TestConcurrentRequests(t *testing.T) {
	const requests, workers = 200, 8
	s := toolbartest.NewServer(t, app(), toolbar.Options{
		Panels: []func() panel.Panel{redirects.New},
		Store:  toolbar.NewMemoryStore(requests),
	})
	s.SwitchOn("redirects")
	c := noFollow(s)
	ids := toolbartest.Concurrently(requests, workers, func(n int) string {
		resp, body := navigate(t, c, "GET", fmt.Sprintf("%s/n/%d", s.URL, n))
		if !strings.Contains(body, fmt.Sprintf(`href="/target/%d"`, n)) {
			t.Errorf("request %d: %s", n, body)
		}
		return resp.Header.Get(toolbar.RequestIDHeader)
	})
	for n, id := range ids {
		var p redirects.Panel
		s.Stats(id, "redirects", &p)
		if p.Status != 302 || p.Location != fmt.Sprintf("/target/%d", n) {
			t.Errorf("request %d: %+v", n, p)
		}
	}
}

// BenchmarkWrap measures the panel's cost on a navigation that redirects:
// the interception and the page written in place of the redirect.
func BenchmarkWrap(b *testing.B) {
	h := redirects.New().Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/target?x=1", http.StatusFound)
	}))
	req, _ := http.NewRequest("GET", "/from", nil)
	req.Header.Set("Sec-Fetch-Mode", "navigate")
	for b.Loop() {
		h.ServeHTTP(discardWriter{http.Header{}}, req)
	}
}

type discardWriter struct{ h http.Header }

func (d discardWriter) Header() http.Header         { return d.h }
func (d discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d discardWriter) WriteHeader(int)             {}
