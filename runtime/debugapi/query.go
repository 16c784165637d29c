package debugapi

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Bounds of a page of api/v1/requests.
const (
	DefaultLimit = 50
	MaxLimit     = 1000
)

// ListQuery is what api/v1/requests is asked: filters, all of which a
// request must match, and a page. Its query parameters:
//
//	method=GET,POST          the method is one of these (any letter case)
//	path=/users              the path (with its query) contains this text
//	status=200,4xx,500-599   the status is one of these: a code, a class, or a range
//	min_ms=100  max_ms=500   the duration, in milliseconds, is at least / at most this
//	kind=page,fetch          what the request was to the browser: page, fetch, asset
//	has=sql,flag,errors      it has events of each of these kinds ("flags" is "flag"),
//	                         and, for "errors", events that report a failure or a panic
//	limit=50                 at most this many requests (1 to 1000; default 50)
//	before=ID                only requests older than request ID: the next page
//	after=ID                 only requests newer than request ID: what is new since
type ListQuery struct {
	Methods  []string
	Path     string
	Statuses []StatusRange
	MinMS    float64 // 0: no bound
	MaxMS    float64 // 0: no bound
	Kinds    []string
	Has      []string // event kinds, and "errors"
	Limit    int      // 0: DefaultLimit
	Before   string
	After    string
}

// StatusRange is a range of status codes, inclusive.
type StatusRange struct{ Min, Max int }

// ParseListQuery reads the query parameters of api/v1/requests. Its
// errors name the parameter at fault.
func ParseListQuery(v url.Values) (ListQuery, error) {
	var q ListQuery
	known := map[string]bool{"method": true, "path": true, "status": true, "min_ms": true, "max_ms": true,
		"kind": true, "has": true, "limit": true, "before": true, "after": true}
	for name := range v {
		if !known[name] {
			return q, fmt.Errorf("unknown parameter %q: use method, path, status, min_ms, max_ms, kind, has, limit, before or after", name)
		}
	}
	for _, m := range list(v.Get("method")) {
		q.Methods = append(q.Methods, strings.ToUpper(m))
	}
	q.Path = v.Get("path")
	for _, s := range list(v.Get("status")) {
		r, err := parseStatus(s)
		if err != nil {
			return q, fmt.Errorf("status: %v", err)
		}
		q.Statuses = append(q.Statuses, r)
	}
	var err error
	if q.MinMS, err = parseMS(v, "min_ms"); err != nil {
		return q, err
	}
	if q.MaxMS, err = parseMS(v, "max_ms"); err != nil {
		return q, err
	}
	for _, k := range list(v.Get("kind")) {
		if k != "page" && k != "fetch" && k != "asset" {
			return q, fmt.Errorf("kind: %q is not page, fetch or asset", k)
		}
		q.Kinds = append(q.Kinds, k)
	}
	for _, h := range list(v.Get("has")) {
		if h == "flags" {
			h = "flag"
		}
		q.Has = append(q.Has, h)
	}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxLimit {
			return q, fmt.Errorf("limit: %q is not a number from 1 to %d", s, MaxLimit)
		}
		q.Limit = n
	}
	for _, c := range []struct {
		name string
		to   *string
	}{{"before", &q.Before}, {"after", &q.After}} {
		if id := v.Get(c.name); id != "" {
			if !ValidID(id) {
				return q, fmt.Errorf("%s: %q is not a request id (32 lowercase hex digits)", c.name, id)
			}
			*c.to = id
		}
	}
	return q, nil
}

// Values encodes q as query parameters, the inverse of ParseListQuery.
func (q ListQuery) Values() url.Values {
	v := url.Values{}
	set := func(name, value string) {
		if value != "" {
			v.Set(name, value)
		}
	}
	set("method", strings.Join(q.Methods, ","))
	set("path", q.Path)
	var st []string
	for _, r := range q.Statuses {
		st = append(st, r.String())
	}
	set("status", strings.Join(st, ","))
	if q.MinMS > 0 {
		set("min_ms", strconv.FormatFloat(q.MinMS, 'f', -1, 64))
	}
	if q.MaxMS > 0 {
		set("max_ms", strconv.FormatFloat(q.MaxMS, 'f', -1, 64))
	}
	set("kind", strings.Join(q.Kinds, ","))
	set("has", strings.Join(q.Has, ","))
	if q.Limit > 0 {
		set("limit", strconv.Itoa(q.Limit))
	}
	set("before", q.Before)
	set("after", q.After)
	return v
}

// Matches reports whether r passes the filters of q (not its page).
func (q ListQuery) Matches(r *Request) bool {
	if len(q.Methods) > 0 && !slices.Contains(q.Methods, strings.ToUpper(r.Method)) {
		return false
	}
	if q.Path != "" && !strings.Contains(r.Path, q.Path) {
		return false
	}
	if len(q.Statuses) > 0 && !slices.ContainsFunc(q.Statuses, func(s StatusRange) bool { return s.Min <= r.Status && r.Status <= s.Max }) {
		return false
	}
	if q.MinMS > 0 && r.DurationMS < q.MinMS || q.MaxMS > 0 && r.DurationMS > q.MaxMS {
		return false
	}
	if len(q.Kinds) > 0 && !slices.Contains(q.Kinds, r.Kind) {
		return false
	}
	for _, h := range q.Has {
		if h == "errors" {
			if r.Errors == 0 && !r.Panicked {
				return false
			}
		} else if r.Events[h] == 0 {
			return false
		}
	}
	return true
}

func (r StatusRange) String() string {
	switch {
	case r.Min == r.Max:
		return strconv.Itoa(r.Min)
	case r.Min%100 == 0 && r.Max == r.Min+99:
		return strconv.Itoa(r.Min/100) + "xx"
	}
	return strconv.Itoa(r.Min) + "-" + strconv.Itoa(r.Max)
}

// parseStatus reads "404", "4xx" or "400-499".
func parseStatus(s string) (StatusRange, error) {
	code := func(s string) (int, bool) {
		n, err := strconv.Atoi(s)
		return n, err == nil && n >= 100 && n <= 599
	}
	if len(s) == 3 && strings.EqualFold(s[1:], "xx") && s[0] >= '1' && s[0] <= '5' {
		n := int(s[0]-'0') * 100
		return StatusRange{n, n + 99}, nil
	}
	if lo, hi, ok := strings.Cut(s, "-"); ok {
		a, okA := code(lo)
		b, okB := code(hi)
		if !okA || !okB || a > b {
			return StatusRange{}, fmt.Errorf("%q is not a range of status codes such as 400-499", s)
		}
		return StatusRange{a, b}, nil
	}
	n, ok := code(s)
	if !ok {
		return StatusRange{}, fmt.Errorf("%q is not a status code (100 to 599), a class such as 5xx, or a range such as 400-499", s)
	}
	return StatusRange{n, n}, nil
}

func parseMS(v url.Values, name string) (float64, error) {
	s := v.Get(name)
	if s == "" {
		return 0, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f != f || f > 1e12 {
		return 0, fmt.Errorf("%s: %q is not a number of milliseconds", name, s)
	}
	return f, nil
}

// list splits a comma-separated parameter, dropping empty elements.
func list(s string) []string {
	var out []string
	for e := range strings.SplitSeq(s, ",") {
		if e = strings.TrimSpace(e); e != "" {
			out = append(out, e)
		}
	}
	return out
}

// ValidID reports whether id has the form of a request id: 32 lowercase
// hex digits.
func ValidID(id string) bool {
	if len(id) != 32 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
