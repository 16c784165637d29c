package toolbar_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/go-ddt/ddt/internal/apitest"
	"github.com/go-ddt/ddt/runtime/debugapi"
	"github.com/go-ddt/ddt/runtime/toolbar"
)

// getJSON asks the app for path and decodes its JSON answer into v; it
// returns the status.
func getJSON(t *testing.T, url string, v any) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s: Content-Type %q", url, ct)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("%s: Cache-Control %q: recorded requests must not be cached", url, cc)
	}
	body, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("%s: %v\n%s", url, err, body)
	}
	return resp.StatusCode
}

// TestAPIPaging walks the list a page at a time with before, asks what is
// new with after, and gets the same requests as in one page.
func TestAPIPaging(t *testing.T) {
	app := apitest.Start(t)
	var ids []string // newest first
	for i := range 7 {
		_, id := app.Do(t, "GET", "/api/users/"+strconv.Itoa(i%4+1), "")
		ids = append([]string{id}, ids...)
	}
	api := app.Toolbar + debugapi.Path + "requests"
	var got []string
	cursor := ""
	for pages := 0; ; pages++ {
		var list debugapi.RequestList
		if s := getJSON(t, api+"?limit=3&before="+cursor, &list); s != 200 || list.Total != 7 {
			t.Fatalf("page %d: status %d, total %d", pages, s, list.Total)
		}
		for _, r := range list.Requests {
			got = append(got, r.ID)
		}
		if list.Next == "" {
			break
		}
		if pages > 3 {
			t.Fatal("paging does not end")
		}
		cursor = list.Next
	}
	if strings.Join(got, " ") != strings.Join(ids, " ") {
		t.Errorf("pages of 3 = %q\nwant          %q", got, ids)
	}

	var fresh debugapi.RequestList
	getJSON(t, api+"?after="+ids[2], &fresh)
	if len(fresh.Requests) != 2 || fresh.Requests[0].ID != ids[0] || fresh.Requests[1].ID != ids[1] || fresh.Next != "" {
		t.Errorf("after the third newest: %+v", fresh.Requests)
	}
	// An id no longer stored is older than all: after it, all are new.
	getJSON(t, api+"?after="+strings.Repeat("0", 32), &fresh)
	if len(fresh.Requests) != 7 {
		t.Errorf("after an id not stored: %d requests, want all 7", len(fresh.Requests))
	}
	var e debugapi.Error
	if s := getJSON(t, api+"?before="+strings.Repeat("0", 32), &e); s != 400 || !strings.Contains(e.Error, "no longer stored") {
		t.Errorf("before an id not stored: %d %q", s, e.Error)
	}
}

// TestAPIErrors: every answer but 200 is a debugapi.Error that says what
// is wrong.
func TestAPIErrors(t *testing.T) {
	app := apitest.Start(t)
	_, id := app.Do(t, "GET", "/api/users/1", "")
	base := app.Toolbar + debugapi.Path
	for _, tt := range []struct {
		path   string
		status int
		want   string
	}{
		{"requests?limit=many", 400, "limit:"},
		{"requests/not-an-id", 400, "32 lowercase hex digits"},
		{"requests/" + strings.Repeat("0", 32), 404, "not stored"},
		{"requests/" + strings.Repeat("0", 32) + "/panels", 404, "not stored"},
		{"requests/" + id + "/panels/nosuch", 404, `no panel "nosuch"`},
		{"requests/" + id + "/stats", 404, "no route"},
		{"sessions", 404, "no route"},
	} {
		var e debugapi.Error
		if s := getJSON(t, base+tt.path, &e); s != tt.status || !strings.Contains(e.Error, tt.want) {
			t.Errorf("%s: %d %q, want %d and %q", tt.path, s, e.Error, tt.status, tt.want)
		}
	}
	var panels debugapi.PanelList
	if getJSON(t, base+"requests/"+id+"/panels", &panels); panels.Request.ID != id || len(panels.Panels) == 0 {
		t.Fatalf("panels: %+v", panels)
	}
	for _, p := range panels.Panels {
		if p.Enabled != (len(p.Stats) > 0) {
			t.Errorf("panel %s: enabled %v with %d bytes of stats", p.ID, p.Enabled, len(p.Stats))
		}
	}
}

// TestAPIAndPageAccess: the API and the standalone page follow the
// toolbar's rule: a client it does not show the toolbar to gets the app's
// 404, not the toolbar's JSON.
func TestAPIAndPageAccess(t *testing.T) {
	h := toolbar.Middleware(http.NotFoundHandler(), toolbar.Options{Enable: toolbar.On})
	for _, path := range []string{"/__debug__/", "/__debug__/api/v1/requests", "/__debug__/static/standalone.js"} {
		for _, tt := range []struct {
			host, remote string
			status       int
		}{
			{"127.0.0.1:8000", "127.0.0.1:5000", 200},
			{"evil.example", "127.0.0.1:5000", 404},
			{"127.0.0.1:8000", "192.0.2.7:5000", 404},
		} {
			req := httptest.NewRequest("GET", "http://"+tt.host+path, nil)
			req.RemoteAddr = tt.remote
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != tt.status {
				t.Errorf("%s from %s as %s: %d, want %d", path, tt.remote, tt.host, w.Code, tt.status)
			}
			if w.Code == 200 && path == "/__debug__/" {
				if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") {
					t.Errorf("the page's CSP %q lets it be framed", csp)
				}
				if !strings.Contains(w.Body.String(), `data-ddt-standalone`) {
					t.Error("the page does not load the toolbar in its standalone mode")
				}
			}
		}
	}
}

// TestSummaryCounts: the summary counts the events by kind and the errors
// as the request is recorded, and only those the panels kept.
func TestSummaryCounts(t *testing.T) {
	store := toolbar.NewMemoryStore(10)
	h := toolbar.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for range 3 {
			toolbar.Emit(r.Context(), "sql", "SELECT 1")
		}
		toolbar.Start(r.Context(), "sql", "SELECT broken")(nil)
		toolbar.Emit(r.Context(), "custom", "x")
		w.Write([]byte("ok"))
	}), toolbar.Options{Enable: toolbar.On, Store: store, MaxEvents: 4})
	req := httptest.NewRequest("GET", "http://127.0.0.1/", nil)
	req.RemoteAddr = "127.0.0.1:5000"
	h.ServeHTTP(httptest.NewRecorder(), req)
	list, _ := store.List(t.Context(), toolbar.ListFilter{})
	if len(list) != 1 {
		t.Fatalf("%d records", len(list))
	}
	s := list[0]
	if s.Events["sql"] != 4 || s.Events["custom"] != 0 || s.Dropped != 1 {
		t.Errorf("events %v, dropped %d; want 4 sql kept and the fifth event dropped", s.Events, s.Dropped)
	}
}

// downStore is a store whose server cannot be reached.
type downStore struct{}

func (downStore) Save(context.Context, *toolbar.StoredRequest) error {
	return fmt.Errorf("%w: connection refused", toolbar.ErrUnavailable)
}
func (downStore) Get(context.Context, string) (*toolbar.StoredRequest, error) {
	return nil, fmt.Errorf("%w: connection refused", toolbar.ErrUnavailable)
}
func (downStore) List(context.Context, toolbar.ListFilter) ([]toolbar.Summary, error) {
	return nil, fmt.Errorf("%w: connection refused", toolbar.ErrUnavailable)
}

// TestAPIStoreUnavailable: while the store's server is down, the API says
// so with 503 (try again), for the list and for one request, and a JSON
// error naming the cause.
func TestAPIStoreUnavailable(t *testing.T) {
	h := toolbar.Middleware(http.NotFoundHandler(), toolbar.Options{Enable: toolbar.On, Store: downStore{}})
	for _, path := range []string{"/__debug__/api/v1/requests", "/__debug__/api/v1/requests/0123456789abcdef0123456789abcdef"} {
		req := httptest.NewRequest("GET", "http://127.0.0.1"+path, nil)
		req.RemoteAddr = "127.0.0.1:5000"
		rr := httptest.NewRecorder()
		h.ServeHTTP(rr, req)
		if rr.Code != http.StatusServiceUnavailable || !strings.Contains(rr.Body.String(), "connection refused") {
			t.Errorf("GET %s: %d %s, want 503 naming the cause", path, rr.Code, rr.Body.String())
		}
	}
}
