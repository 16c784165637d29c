package toolbartest

import (
	"encoding/json"
	"github.com/go-ddt/ddt/runtime/internal/stacks"
	"github.com/go-ddt/ddt/runtime/toolbar"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// Server is a handler behind the toolbar on an httptest server.
type Server struct {
	*httptest.Server
	// Store holds the recorded requests: Options.Store if that was a
	// *toolbar.MemoryStore, else a new one for 100 requests.
	Store  *toolbar.MemoryStore
	Prefix string // the toolbar's prefix, ending in "/"
	tb     testing.TB
}

// NewServer starts h behind toolbar.Middleware(h, opts) on a loopback
// address; it stops when the test ends. A test binary is not built by
// ddt, so an opts.Enable of toolbar.Auto is taken as toolbar.On: the
// toolbar is on unless opts say Off (DDT_DISABLE=1 still turns it off).
func NewServer(tb testing.TB, h http.Handler, opts toolbar.Options) *Server {
	tb.Helper()
	s := &Server{tb: tb}
	if opts.Enable == toolbar.Auto {
		opts.Enable = toolbar.On
	}
	if ms, ok := opts.Store.(*toolbar.MemoryStore); ok {
		s.Store = ms
	} else if opts.Store == nil {
		s.Store = toolbar.NewMemoryStore(100)
		opts.Store = s.Store
	}
	s.Prefix = opts.Prefix
	if s.Prefix == "" {
		s.Prefix = toolbar.DefaultPrefix
	}
	if !strings.HasSuffix(s.Prefix, "/") {
		s.Prefix += "/"
	}
	s.Server = httptest.NewServer(toolbar.Middleware(h, opts))
	tb.Cleanup(s.Close)
	return s
}

// SwitchOn switches the panels with the given IDs on for the requests of
// the server's client, as ticking them in the toolbar does (it sets the
// ddt_enabled cookie). Panels that are off by default need it, such as
// Redirects and Profile.
func (s *Server) SwitchOn(panelIDs ...string) {
	s.tb.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		s.tb.Fatal(err)
	}
	u, err := url.Parse(s.URL)
	if err != nil {
		s.tb.Fatal(err)
	}
	jar.SetCookies(u, []*http.Cookie{{Name: "ddt_enabled", Value: strings.Join(panelIDs, ","), Path: "/"}})
	s.Client().Jar = jar
}

// Do sends req and returns the response with its body read.
func (s *Server) Do(req *http.Request) (*http.Response, []byte) {
	s.tb.Helper()
	resp, err := s.Client().Do(req)
	if err != nil {
		s.tb.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		s.tb.Fatalf("%s %s: reading the body: %v", req.Method, req.URL, err)
	}
	return resp, body
}

// Get sends a GET request for path (and query) on the server.
func (s *Server) Get(path string) (*http.Response, []byte) {
	s.tb.Helper()
	req, err := http.NewRequest(http.MethodGet, s.URL+path, nil)
	if err != nil {
		s.tb.Fatal(err)
	}
	return s.Do(req)
}

// RequestID returns the toolbar's request id of resp, failing the test
// when it has none.
func (s *Server) RequestID(resp *http.Response) string {
	s.tb.Helper()
	id := resp.Header.Get(toolbar.RequestIDHeader)
	if id == "" {
		s.tb.Fatalf("%s %s: no %s header: the request was not recorded", resp.Request.Method, resp.Request.URL, toolbar.RequestIDHeader)
	}
	return id
}

// Panel returns the HTML of a panel of a recorded request, as the
// toolbar serves it from the stored stats, less the word-break hints
// (<wbr>) that long names and paths carry, so that a test can search it
// for a function name or a file:line.
func (s *Server) Panel(id, panelID string) string {
	s.tb.Helper()
	resp, body := s.Get(s.Prefix + "panels/" + id + "/" + panelID)
	if resp.StatusCode != http.StatusOK {
		s.tb.Fatalf("panel %s of request %s: %s: %s", panelID, id, resp.Status, body)
	}
	return strings.ReplaceAll(string(body), "<wbr>", "")
}

// RequestDetail is the answer of the toolbar's api/requests/{id} route,
// decoded: a request's summary and its panels, in toolbar order. The
// route's JSON is the toolbar script's; these types are this package's
// reading of it, for tests.
type RequestDetail struct {
	toolbar.Summary
	Panels []PanelNav `json:"panels"`
}

// PanelNav is one panel of a [RequestDetail], as the toolbar lists it.
type PanelNav struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	NavTitle    string `json:"nav_title"`
	NavSubtitle string `json:"nav_subtitle"` // empty when the panel was off
	HasContent  bool   `json:"has_content"`
	Enabled     bool   `json:"enabled"`    // on for this request
	DefaultOn   bool   `json:"default_on"` // false for panels off until ticked
	// Scripts are the URLs of the panel's own scripts (panel.Scripter).
	Scripts []string `json:"scripts,omitempty"`
}

// Detail returns the summary and panel list of a recorded request, as the
// toolbar's api/requests/{id} route serves it.
func (s *Server) Detail(id string) RequestDetail {
	s.tb.Helper()
	resp, body := s.Get(s.Prefix + "api/requests/" + id)
	if resp.StatusCode != http.StatusOK {
		s.tb.Fatalf("request %s: %s: %s", id, resp.Status, body)
	}
	var d RequestDetail
	if err := json.Unmarshal(body, &d); err != nil {
		s.tb.Fatalf("request %s: %v", id, err)
	}
	return d
}

// Nav returns the list entry of one panel of a recorded request.
func (s *Server) Nav(id, panelID string) PanelNav {
	s.tb.Helper()
	for _, p := range s.Detail(id).Panels {
		if p.ID == panelID {
			return p
		}
	}
	s.tb.Fatalf("request %s has no panel %q", id, panelID)
	return PanelNav{}
}

// Stats decodes the stored stats of a panel of a recorded request into v,
// typically a new instance of the panel, with the frames of every stack
// (stacks.Resolve).
func (s *Server) Stats(id, panelID string, v any) {
	s.tb.Helper()
	if s.Store == nil {
		s.tb.Fatal("toolbartest: Stats needs a *toolbar.MemoryStore")
	}
	rec, err := s.Store.Get(s.tb.Context(), id)
	if err != nil {
		s.tb.Fatalf("request %s: %v", id, err)
	}
	for _, p := range rec.Panels {
		if p.ID == panelID {
			if err := json.Unmarshal(p.Stats, v); err != nil {
				s.tb.Fatalf("request %s, panel %s: %v", id, panelID, err)
			}
			stacks.Resolve(v)
			return
		}
	}
	s.tb.Fatalf("request %s has no panel %q", id, panelID)
}

// Fetch sends a GET request for path, discards the body and returns the
// toolbar's request id of the response. Unlike the other helpers it may be
// called from any goroutine: a failure is reported with Errorf, and the
// id is then "".
func (s *Server) Fetch(path string) string {
	resp, err := s.Client().Get(s.URL + path)
	if err != nil {
		s.tb.Errorf("GET %s: %v", path, err)
		return ""
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	id := resp.Header.Get(toolbar.RequestIDHeader)
	if id == "" {
		s.tb.Errorf("GET %s: no %s header: the request was not recorded", path, toolbar.RequestIDHeader)
	}
	return id
}

// Concurrently calls do(0) ... do(n-1) from the given number of goroutines
// and returns the results in the order of their arguments: typically the
// request ids of n requests sent at once, to check that each request holds
// its own events and none of another's.
func Concurrently(n, workers int, do func(i int) string) []string {
	out := make([]string, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				out[i] = do(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}
