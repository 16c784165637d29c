package redact

import (
	"maps"
	"net/http"
	"slices"
	"strings"
)

// Pair is one name and value, a row of a key/value table: a header, a
// query parameter, a setting. Render a []Pair with the "ddt-kv" fragment.
type Pair struct {
	Name  string
	Value string
}

// Pairs returns the values of m as pairs sorted by name, one per value,
// with the values of secret-looking names redacted (see [IsSecret]).
func Pairs(m map[string][]string) []Pair {
	var out []Pair
	for _, name := range slices.Sorted(maps.Keys(m)) {
		for _, v := range m[name] {
			out = append(out, Pair{Name: name, Value: Redact(name, v)})
		}
	}
	return out
}

// HeaderPairs is [Pairs] for HTTP headers: Authorization, Cookie and
// Set-Cookie are always redacted, like every secret-looking name.
func HeaderPairs(h http.Header) []Pair {
	out := Pairs(h)
	for i := range out {
		switch strings.ToLower(out[i].Name) {
		case "authorization", "proxy-authorization", "cookie", "set-cookie":
			out[i].Value = Redacted
		}
	}
	return out
}
