package panel

import "strings"

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
