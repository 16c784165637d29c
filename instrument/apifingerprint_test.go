package instrument

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"
)

// TestAPIFingerprint: edits inside function bodies and comments keep a
// package's fingerprint; anything an importer's type-check can see
// changes it.
func TestAPIFingerprint(t *testing.T) {
	const base = `package p

import "context"

const Limit = 10

type T struct {
	Name string ` + "`json:\"name\"`" + `
	n    int
}

func (t *T) Get(ctx context.Context) int { return int(t.n) }

func unexported() bool { return true }

var V = unexported()
`
	fingerprint := func(src string) string {
		t.Helper()
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		conf := types.Config{Importer: importer.Default()}
		pkg, err := conf.Check("example.com/p", fset, []*ast.File{f}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return apiFingerprint(pkg)
	}
	want := fingerprint(base)
	same := map[string][2]string{
		"a body":         {"return int(t.n)", "return int(t.n) + 1"},
		"a comment":      {"func (t *T) Get", "// Get gets.\nfunc (t *T) Get"},
		"an init added":  {"var V", "func init() { _ = Limit }\n\nvar V"},
		"a local change": {"return true", "x := 2\n\treturn x > 1"},
	}
	for what, edit := range same {
		if got := fingerprint(replaceOnce(t, base, edit[0], edit[1])); got != want {
			t.Errorf("%s: the fingerprint changed", what)
		}
	}
	differ := map[string][2]string{
		"a constant's value":         {"Limit = 10", "Limit = 11"},
		"a struct tag":               {`json:"name"`, `json:"title"`},
		"an unexported field's type": {"n    int\n", "n    uint\n"},
		"a method's signature":       {"Get(ctx context.Context) int", "Get(ctx context.Context, k string) int"},
		"an unexported function":     {"func unexported() bool { return true }", "func unexported() int { return 1 }"},
		"a function added":           {"var V", "func More() {}\n\nvar V"},
	}
	for what, edit := range differ {
		if got := fingerprint(replaceOnce(t, base, edit[0], edit[1])); got == want {
			t.Errorf("%s changed: the fingerprint did not", what)
		}
	}
	if apiFingerprint(nil) != "" {
		t.Error("the fingerprint of no package is not empty")
	}
}

func replaceOnce(t *testing.T, s, old, new string) string {
	t.Helper()
	if !strings.Contains(s, old) {
		t.Fatalf("%q not in the source", old)
	}
	return strings.Replace(s, old, new, 1)
}
