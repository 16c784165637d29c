package demo

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func newTestServer(t *testing.T) *httptest.Server {
	t.Helper()
	db, err := OpenDB(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	app, err := New(db, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(app.Handler())
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, c *http.Client, url string) (int, string) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestPages(t *testing.T) {
	srv := newTestServer(t)
	c := srv.Client()
	for _, tc := range []struct{ path, want string }{
		{"/", "redesigned-dashboard</code> is on for you"},
		{"/students", `src="/static/students.js"`},
		{"/api/students", `"name":"Ada"`},
		{"/reports", "coming soon"},
		{"/checkout", "The classic checkout"}, // alice is a student
		{"/static/app.css", "font:"},
		{"/old-dashboard", "redesigned"}, // followed to /
	} {
		code, body := get(t, c, srv.URL+tc.path)
		if code != 200 || !strings.Contains(body, tc.want) {
			t.Errorf("GET %s = %d, body missing %q:\n%.300s", tc.path, code, tc.want, body)
		}
	}
}

func TestFlagsDependOnUser(t *testing.T) {
	srv := newTestServer(t)
	c := srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Get(srv.URL + "/as/bob")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/", nil)
	req.AddCookie(resp.Cookies()[0])
	resp, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "The classic dashboard") {
		t.Errorf("bob (not in the beta) should get the old dashboard:\n%.500s", body)
	}
}
