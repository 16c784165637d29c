package panelgen

import (
	"os"
	"strings"
	"testing"
)

// FuzzParseSpec feeds arbitrary bytes to the spec parser: it returns a spec
// or positioned errors, never panics, and a spec it accepts generates Go
// that parses.
func FuzzParseSpec(f *testing.F) {
	for _, name := range Builtins() {
		data, _ := BuiltinSource(name)
		f.Add(data)
	}
	if data, err := os.ReadFile("../testdata/searchapp/search.yaml"); err == nil {
		f.Add(data)
	}
	f.Add([]byte("id: x\ntitle: X\nkinds: [x]\nnoun: n\ncolumns: [{title: A, from: arg.q}]\norder: {by: duration}\ngroup_by: name\n"))
	f.Add([]byte("- a\n"))
	f.Add([]byte("id: [\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseSpec("f.yaml", data)
		if err != nil {
			for _, line := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(line, "f.yaml:") {
					t.Fatalf("error without position: %q", line)
				}
			}
			return
		}
		if _, err := Generate(s, Target{ImportPath: "example.com/p", SpecName: "f.yaml"}); err != nil {
			t.Fatalf("accepted spec does not generate: %v\n%s", err, data)
		}
	})
}
