package redact

import (
	"net/url"
	"strings"
)

// Redacted replaces a secret value in panel stats.
const Redacted = "********"

// secretWords make a name look secret when it contains one of them, in any
// case: API_KEY, X-Auth-Token, password, Set-Cookie, X-Amz-Signature.
var secretWords = []string{"KEY", "TOKEN", "SECRET", "PASS", "AUTH", "SIGNATURE", "COOKIE", "CREDENTIAL", "SESSION"}

// IsSecret reports whether a value called name (a header, a form field, a
// setting) should be redacted: Authorization, Cookie, Set-Cookie, and
// anything whose name contains KEY, TOKEN, SECRET, PASS, AUTH, SIGNATURE,
// COOKIE, CREDENTIAL or SESSION.
func IsSecret(name string) bool {
	upper := strings.ToUpper(name)
	for _, w := range secretWords {
		if strings.Contains(upper, w) {
			return true
		}
	}
	return false
}

// Redact returns value, or [Redacted] when name looks secret.
func Redact(name, value string) string {
	if IsSecret(name) {
		return Redacted
	}
	return value
}

// RedactURI returns u's path and query, with the values of secret-looking
// query parameters (access_token=..., api_key=...) redacted.
func RedactURI(u *url.URL) string {
	uri := u.EscapedPath()
	if u.RawQuery == "" {
		return uri
	}
	q, err := url.ParseQuery(u.RawQuery)
	secret := err != nil
	for name := range q {
		secret = secret || IsSecret(name)
	}
	if !secret {
		return uri + "?" + u.RawQuery
	}
	var parts []string
	for _, p := range Pairs(q) {
		v := p.Value
		if v != Redacted {
			v = url.QueryEscape(v)
		}
		parts = append(parts, url.QueryEscape(p.Name)+"="+v)
	}
	return uri + "?" + strings.Join(parts, "&")
}
