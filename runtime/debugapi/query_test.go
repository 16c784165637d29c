package debugapi

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
)

func TestParseListQuery(t *testing.T) {
	q, err := ParseListQuery(url.Values{
		"method": {"get, post"}, "path": {"/users"}, "status": {"200,4xx,500-503"},
		"min_ms": {"1.5"}, "max_ms": {"900"}, "kind": {"fetch"}, "has": {"sql,flags,errors"}, "limit": {"10"},
		"before": {strings.Repeat("a", 32)},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := ListQuery{Methods: []string{"GET", "POST"}, Path: "/users",
		Statuses: []StatusRange{{200, 200}, {400, 499}, {500, 503}}, MinMS: 1.5, MaxMS: 900,
		Kinds: []string{"fetch"}, Has: []string{"sql", "flag", "errors"}, Limit: 10, Before: strings.Repeat("a", 32)}
	if !reflect.DeepEqual(q, want) {
		t.Errorf("parsed %+v\nwant   %+v", q, want)
	}
	back, err := ParseListQuery(q.Values())
	if err != nil || !reflect.DeepEqual(back, q) {
		t.Errorf("Values does not round-trip: %v -> %+v, %v", q.Values(), back, err)
	}
}

func TestParseListQueryErrors(t *testing.T) {
	for _, tt := range []struct{ query, want string }{
		{"status=6xx", "status:"},
		{"status=404-400", "status:"},
		{"status=2000", "status:"},
		{"min_ms=-1", "min_ms:"},
		{"max_ms=NaN", "max_ms:"},
		{"kind=image", "kind:"},
		{"limit=0", "limit:"},
		{"limit=1001", "limit:"},
		{"before=abc", "before:"},
		{"after=" + strings.Repeat("A", 32), "after:"},
		{"sort=duration", `unknown parameter "sort"`},
	} {
		v, _ := url.ParseQuery(tt.query)
		if _, err := ParseListQuery(v); err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one starting %q", tt.query, err, tt.want)
		}
	}
}

func TestMatches(t *testing.T) {
	r := Request{Method: "POST", Path: "/api/users?x=1", Status: 201, DurationMS: 12, Kind: "fetch",
		Events: map[string]int{"sql": 2, "flag": 1}}
	for _, tt := range []struct {
		query string
		want  bool
	}{
		{"", true},
		{"method=post", true},
		{"method=GET", false},
		{"path=users?x", true},
		{"path=/orders", false},
		{"status=2xx", true},
		{"status=200,4xx", false},
		{"status=200-201", true},
		{"min_ms=12&max_ms=12", true},
		{"min_ms=12.5", false},
		{"max_ms=11", false},
		{"kind=page", false},
		{"has=sql,flags", true},
		{"has=log", false},
		{"has=errors", false},
	} {
		v, _ := url.ParseQuery(tt.query)
		q, err := ParseListQuery(v)
		if err != nil {
			t.Fatal(err)
		}
		if got := q.Matches(&r); got != tt.want {
			t.Errorf("%q matches = %v, want %v", tt.query, got, tt.want)
		}
	}
	for _, failed := range []Request{{Errors: 1}, {Panicked: true}} {
		if q, _ := ParseListQuery(url.Values{"has": {"errors"}}); !q.Matches(&failed) {
			t.Errorf("has=errors does not match %+v", failed)
		}
	}
}

func TestNewClient(t *testing.T) {
	for in, want := range map[string]string{
		"http://127.0.0.1:8000":           "http://127.0.0.1:8000/__debug__/",
		"http://127.0.0.1:8000/":          "http://127.0.0.1:8000/__debug__/",
		"http://localhost:8080/_tb":       "http://localhost:8080/_tb/",
		"https://app.test/__debug__/?x=1": "https://app.test/__debug__/",
	} {
		c, err := NewClient(in)
		if err != nil || c.Toolbar.String() != want {
			t.Errorf("NewClient(%q) = %v, %v; want %s", in, c.Toolbar, err, want)
		}
	}
	for _, bad := range []string{"127.0.0.1:8000", "ftp://host/", "http://", "::"} {
		if _, err := NewClient(bad); err == nil {
			t.Errorf("NewClient(%q) accepted", bad)
		}
	}
}
