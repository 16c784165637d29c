package pkgdir

import "testing"

func TestSkip(t *testing.T) {
	for name, want := range map[string]bool{
		".git":       true,
		".ddt":       true,
		"_old":       true,
		"_":          true,
		"testdata":   true,
		"vendor":     true,
		"cmd":        false,
		"internal":   false,
		"testdata2":  false, // only the exact names
		"vendored":   false,
		"my_vendor":  false,
		"x.y":        false, // a dot or underscore inside the name is fine
		"a_b":        false,
		"Testdata":   false, // the go command compares case-sensitively
		"VENDOR":     false,
		"tests":      false,
		"__pycache_": true,
	} {
		if got := Skip(name); got != want {
			t.Errorf("Skip(%q) = %v, want %v", name, got, want)
		}
	}
}
