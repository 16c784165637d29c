package toolbar_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-ddt/ddt/runtime/toolbar"
)

// browser is an HTTP client with cookies, as a browser is.
func browser(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar}
}

func get(t *testing.T, c *http.Client, url string) (*http.Response, []byte) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, body
}

type listAnswer struct {
	Requests []toolbar.Summary `json:"requests"`
	Instance string            `json:"instance"`
	Everyone bool              `json:"everyone"`
}

func list(t *testing.T, c *http.Client, url string) listAnswer {
	t.Helper()
	resp, body := get(t, c, url)
	var a listAnswer
	if err := json.Unmarshal(body, &a); err != nil || resp.StatusCode != 200 {
		t.Fatalf("%s: %s %s", url, resp.Status, body)
	}
	return a
}

func paths(a listAnswer) []string {
	var out []string
	for _, s := range a.Requests {
		out = append(out, s.Path)
	}
	return out
}

// TestHistoryPerBrowser: the toolbar gives each browser an id (the
// ddt_client cookie); api/requests lists that browser's requests, or
// everyone's with all=1, and pages with instance, before and limit.
func TestHistoryPerBrowser(t *testing.T) {
	store := toolbar.NewMemoryStore(50)
	h := toolbar.Middleware(helloPage, toolbar.Options{Enable: toolbar.On, Store: store, Instance: "web-a"})
	srv := httptest.NewServer(h)
	defer srv.Close()
	alice, bob := browser(t), browser(t)
	get(t, alice, srv.URL+"/alice/1")
	get(t, bob, srv.URL+"/bob/1")
	resp, _ := get(t, alice, srv.URL+"/alice/2")
	if c := resp.Header.Get("Set-Cookie"); c != "" {
		t.Errorf("a second request sets a cookie again: %s", c)
	}

	if got := paths(list(t, alice, srv.URL+"/__debug__/api/requests")); !slices.Equal(got, []string{"/alice/2", "/alice/1"}) {
		t.Errorf("alice's history: %v", got)
	}
	a := list(t, bob, srv.URL+"/__debug__/api/requests?all=1")
	if got := paths(a); !slices.Equal(got, []string{"/alice/2", "/bob/1", "/alice/1"}) || !a.Everyone || a.Instance != "web-a" {
		t.Errorf("everyone's history: %v, %+v", got, a)
	}
	if a.Requests[0].Instance != "web-a" || a.Requests[0].Client == "" || a.Requests[0].Client == a.Requests[1].Client {
		t.Errorf("summaries' instance and client: %+v", a.Requests)
	}
	before := a.Requests[0].Started.Format(time.RFC3339Nano)
	if got := paths(list(t, bob, srv.URL+"/__debug__/api/requests?all=1&limit=1&before="+before)); !slices.Equal(got, []string{"/bob/1"}) {
		t.Errorf("second page: %v", got)
	}
	if got := paths(list(t, bob, srv.URL+"/__debug__/api/requests?all=1&instance=web-z")); len(got) != 0 {
		t.Errorf("another instance's requests: %v", got)
	}
	// A client that never was recorded sees everyone's.
	if a := list(t, http.DefaultClient, srv.URL+"/__debug__/api/requests"); len(a.Requests) != 3 || !a.Everyone {
		t.Errorf("a client with no cookie: %+v", a)
	}
	for _, q := range []string{"before=yesterday", "limit=-1", "limit=many"} {
		resp, body := get(t, alice, srv.URL+"/__debug__/api/requests?"+q)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "api/requests: ") {
			t.Errorf("%s: %s %s, want 400 naming the parameter", q, resp.Status, body)
		}
	}
}

// TestSigningKeyDisagreement: two instances share a store but not a
// signing key; the panels with routes of their own say so on the
// instance that did not record the request.
func TestSigningKeyDisagreement(t *testing.T) {
	store := toolbar.NewMemoryStore(10)
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	a := httptest.NewServer(toolbar.Middleware(page, toolbar.Options{Enable: toolbar.On, Store: store, Instance: "web-a",
		SigningKey: []byte("key of instance a, 32 bytes long")}))
	defer a.Close()
	b := httptest.NewServer(toolbar.Middleware(page, toolbar.Options{Enable: toolbar.On, Store: store, Instance: "web-b",
		SigningKey: []byte("key of instance b, 32 bytes long")}))
	defer b.Close()
	c := browser(t)
	resp, _ := get(t, c, a.URL+"/")
	id := resp.Header.Get(toolbar.RequestIDHeader)
	_, onB := get(t, c, b.URL+"/__debug__/panels/"+id+"/sql")
	if !strings.Contains(string(onB), "ddt-key-mismatch") || !strings.Contains(string(onB), "served by instance web-a, whose signing key") {
		t.Errorf("SQL panel of web-a's request on web-b: %s", onB)
	}
	_, onA := get(t, c, a.URL+"/__debug__/panels/"+id+"/sql")
	if strings.Contains(string(onA), "ddt-key-mismatch") {
		t.Errorf("SQL panel on the instance that recorded it warns: %s", onA)
	}
	_, timer := get(t, c, b.URL+"/__debug__/panels/"+id+"/timer")
	if strings.Contains(string(timer), "ddt-key-mismatch") {
		t.Errorf("a panel with no routes warns: %s", timer)
	}
}
