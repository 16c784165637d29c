package featureflag

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// OverrideCookie is the cookie that holds a browser's flag overrides:
// key=value pairs joined by "&", each part escaped as by JavaScript's
// encodeURIComponent ("new-nav=true&theme=dark").
const OverrideCookie = "ddt_flags"

// Bounds of the override cookie, which comes from the client.
const (
	MaxOverrides   = 64
	MaxKeyLength   = 256
	MaxValueLength = 256
	// MaxCookieLength is more than the others allow together escaped:
	// browsers keep at most 4096 bytes per cookie anyway.
	MaxCookieLength = 4096
)

// Overrides maps a flag's key to the value forced for it: "true" or
// "false" for a boolean flag, the text of any other.
type Overrides map[string]string

// ParseOverrides reads the value of the [OverrideCookie] cookie. An empty
// value is no overrides. Anything out of bounds or malformed is an error
// naming the entry, and no override applies: the developer sees why in
// the panel rather than half of what they set.
func ParseOverrides(cookie string) (Overrides, error) {
	if cookie == "" {
		return nil, nil
	}
	if len(cookie) > MaxCookieLength {
		return nil, fmt.Errorf("cookie %s: %d bytes, more than %d", OverrideCookie, len(cookie), MaxCookieLength)
	}
	o := Overrides{}
	for i, pair := range strings.Split(cookie, "&") {
		if i == MaxOverrides {
			return nil, fmt.Errorf("cookie %s: more than %d overrides", OverrideCookie, MaxOverrides)
		}
		k, v, ok := strings.Cut(pair, "=")
		if !ok {
			return nil, fmt.Errorf("cookie %s: entry %d: no '=' in %q", OverrideCookie, i+1, pair)
		}
		key, err := unescape(k, MaxKeyLength)
		if err == nil && key == "" {
			err = fmt.Errorf("empty key")
		}
		if err != nil {
			return nil, fmt.Errorf("cookie %s: entry %d: key: %v", OverrideCookie, i+1, err)
		}
		val, err := unescape(v, MaxValueLength)
		if err != nil {
			return nil, fmt.Errorf("cookie %s: entry %d (%s): value: %v", OverrideCookie, i+1, key, err)
		}
		if _, dup := o[key]; dup {
			return nil, fmt.Errorf("cookie %s: entry %d: %s is overridden twice", OverrideCookie, i+1, key)
		}
		o[key] = val
	}
	return o, nil
}

func unescape(s string, limit int) (string, error) {
	u, err := url.PathUnescape(s)
	if err != nil {
		return "", fmt.Errorf("bad escape in %q", s)
	}
	if len(u) > limit {
		return "", fmt.Errorf("%d bytes, more than %d", len(u), limit)
	}
	if !utf8.ValidString(u) {
		return "", fmt.Errorf("not UTF-8")
	}
	if strings.IndexFunc(u, unicode.IsControl) >= 0 {
		return "", fmt.Errorf("control character in %q", u)
	}
	return u, nil
}

// String returns the cookie value that holds o, keys sorted, escaped as
// encodeURIComponent escapes (as the panel's script writes it).
func (o Overrides) String() string {
	keys := make([]string, 0, len(o))
	for k := range o {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(escape(k))
		b.WriteByte('=')
		b.WriteString(escape(o[k]))
	}
	return b.String()
}

// escape escapes s as JavaScript's encodeURIComponent does.
func escape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-_.!~*'()", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
