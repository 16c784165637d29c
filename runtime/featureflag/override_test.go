package featureflag

import (
	"maps"
	"strconv"
	"strings"
	"testing"
)

func TestParseOverrides(t *testing.T) {
	for _, tc := range []struct {
		cookie string
		want   Overrides
		err    string
	}{
		{"", nil, ""},
		{"new-nav=true", Overrides{"new-nav": "true"}, ""},
		{"new-nav=false&theme=dark%20blue", Overrides{"new-nav": "false", "theme": "dark blue"}, ""},
		{"a%26b=x%3Dy", Overrides{"a&b": "x=y"}, ""},
		{"k=", Overrides{"k": ""}, ""},
		{"k", nil, `entry 1: no '=' in "k"`},
		{"=v", nil, "entry 1: key: empty key"},
		{"a=1&a=2", nil, "entry 2: a is overridden twice"},
		{"a=%zz", nil, `entry 1 (a): value: bad escape in "%zz"`},
		{"a=%ff", nil, "entry 1 (a): value: not UTF-8"},
		{"a=%0a", nil, "entry 1 (a): value: control character"},
		{"a=" + strings.Repeat("v", MaxValueLength+1), nil, "entry 1 (a): value: 257 bytes, more than 256"},
		{strings.Repeat("k", MaxKeyLength+1) + "=v", nil, "entry 1: key: 257 bytes, more than 256"},
		{manyOverrides(MaxOverrides + 1), nil, "more than 64 overrides"},
		{manyOverrides(MaxOverrides), nil, "want-no-error"},
		{strings.Repeat("x", MaxCookieLength+1), nil, "4097 bytes, more than 4096"},
	} {
		got, err := ParseOverrides(tc.cookie)
		name := tc.cookie
		if len(name) > 40 {
			name = name[:40] + "..."
		}
		if tc.err == "want-no-error" {
			if err != nil || len(got) != MaxOverrides {
				t.Errorf("%d overrides: %d, %v", MaxOverrides, len(got), err)
			}
			continue
		}
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("ParseOverrides(%q): error %v, want one containing %q", name, err, tc.err)
		case tc.err != "" && !strings.HasPrefix(err.Error(), "cookie ddt_flags: "):
			t.Errorf("ParseOverrides(%q): error %q does not name the cookie", name, err)
		case tc.err == "" && err != nil:
			t.Errorf("ParseOverrides(%q): %v", name, err)
		case tc.err == "" && !maps.Equal(got, tc.want):
			t.Errorf("ParseOverrides(%q) = %v, want %v", name, got, tc.want)
		}
	}
}

func manyOverrides(n int) string {
	var parts []string
	for i := range n {
		parts = append(parts, "f"+strconv.Itoa(i)+"=true")
	}
	return strings.Join(parts, "&")
}

// TestOverridesRoundTrip: what String writes (as the panel's script does,
// with encodeURIComponent), ParseOverrides reads back.
func TestOverridesRoundTrip(t *testing.T) {
	o := Overrides{"new-nav": "true", "theme": "dark & \"blue\"; x", "ünï/code": "é=1", "a+b": "50%"}
	s := o.String()
	if strings.ContainsAny(s, " ;,\"\\") {
		t.Errorf("String() = %q: not a valid cookie value", s)
	}
	if got, want := (Overrides{"b": "1", "a": "x y"}).String(), "a=x%20y&b=1"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	back, err := ParseOverrides(s)
	if err != nil || !maps.Equal(back, o) {
		t.Errorf("ParseOverrides(%q) = %v, %v; want %v", s, back, err, o)
	}
}

func FuzzParseOverrides(f *testing.F) {
	f.Add("a=b&c=%20d")
	f.Add("=&&%")
	f.Fuzz(func(t *testing.T, cookie string) {
		o, err := ParseOverrides(cookie)
		if err != nil {
			return
		}
		if len(o) > MaxOverrides {
			t.Fatalf("%d overrides", len(o))
		}
		back, err := ParseOverrides(o.String())
		if err != nil || !maps.Equal(back, o) {
			t.Fatalf("round trip of %q: %v, %v", cookie, back, err)
		}
	})
}
