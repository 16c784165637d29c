package funcname

import (
	"runtime"
	"testing"
)

func TestPackage(t *testing.T) {
	for fn, want := range map[string]string{
		"main.main":                                        "main",
		"main.main.func1":                                  "main",
		"net/http.(*conn).serve":                           "net/http",
		"runtime.goexit":                                   "runtime",
		"example.com/a/b.(*T).M.func1":                     "example.com/a/b",
		"example.com/a.v2/b.F":                             "example.com/a.v2/b",
		"example.com/a.F[...]":                             "example.com/a",
		"example.com/a.G[example.com/b.T].func2":           "example.com/a",
		"example.com/a.(*T[...]).M":                        "example.com/a",
		"gopkg.in/yaml%2ev3.Unmarshal":                     "gopkg.in/yaml%2ev3",
		"github.com/go-ddt/ddt/runtime/toolbar_test.TestX": "github.com/go-ddt/ddt/runtime/toolbar_test",
		"":          "",
		"nodot":     "nodot",
		"a/b/nodot": "a/b/nodot",
	} {
		if got := Package(fn); got != want {
			t.Errorf("Package(%q) = %q, want %q", fn, got, want)
		}
	}
}

// TestPackageOfFrame checks the name the runtime gives a method of a
// closure of this very package.
func TestPackageOfFrame(t *testing.T) {
	var fn string
	func() {
		pc, _, _, _ := runtime.Caller(0)
		fn = runtime.FuncForPC(pc).Name()
	}()
	if got, want := Package(fn), "github.com/go-ddt/ddt/internal/funcname"; got != want {
		t.Errorf("Package(%q) = %q, want %q", fn, got, want)
	}
}
