package gobuild

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-ddt/ddt/internal/gomod"
)

// TestGoCallRulesLoadTheWholeModule: a //ddt:calls rule reaches into every
// package, so adding, changing or removing one, and any edit while one
// exists, goes through the whole load; once the last rule is gone, an edit
// of a marked package is incremental again. After every build the overlay
// is what instrumenting the whole module from scratch gives.
func TestGoCallRulesLoadTheWholeModule(t *testing.T) {
	m := newReuseModule(t, map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.26.0\n\nrequire " + gomod.Module + " v0.0.0\n\nreplace " + gomod.Module + " => " + gomod.CheckoutDir() + "\n",
		// main is not marked: a marked package that imports sub would
		// make every edit of sub a whole load.
		"a.go": "package main\n",
		"b.go": `package main

import (
	"context"
	"fmt"

	"example.com/m/plain"
	"example.com/m/sub"
)

func main() {
	fmt.Println(sub.Work(context.Background()), plain.Shout("a"))
}
`,
		"sub/sub.go": `package sub

import "context"

//ddt:trace
func Work(ctx context.Context) int { return 1 }
`,
		"plain/plain.go": `package plain

import "strings"

func Shout(s string) string { return strings.ToUpper(s) }
`,
	})
	m.age("sub/sub.go", "plain/plain.go")
	step := func(what string, wantIncremental bool, wantOut string) {
		t.Helper()
		before := incrementalRuns.Load()
		if out := m.build(1); out != wantOut {
			t.Fatalf("%s: the program printed %q, want %q", what, out, wantOut)
		}
		if got := incrementalRuns.Load() - before; got != map[bool]int64{false: 0, true: 1}[wantIncremental] {
			t.Errorf("%s: instrumented only changed packages %d times, want incremental = %v", what, got, wantIncremental)
		}
		m.checkOverlayIsFresh(what)
		m.build(0)
	}
	wrapped := func(what string, want bool) {
		t.Helper()
		replace, err := readOverlay(filepath.Join(m.dir, ddtDirName, overlayJSONName))
		if err != nil {
			t.Fatal(err)
		}
		copyPath, ok := replace[filepath.Join(m.dir, "plain", "plain.go")]
		data, _ := os.ReadFile(copyPath)
		if got := ok && strings.Contains(string(data), "__ddt_call1_1(&__ddt_site_call_strings_ToUpper"); got != want {
			t.Errorf("%s: the call in plain/plain.go is wrapped = %v, want %v:\n%s", what, got, want, data)
		}
	}

	m.build(1)
	m.write("sub/sub.go", strings.Replace(m.read("sub/sub.go"), "return 1", "return 2", 1))
	step("a marked file edited, no rule", true, "2 A\n")
	wrapped("no rule", false)

	m.write("sub/sub.go", m.read("sub/sub.go")+"\n//ddt:calls trace strings.ToUpper\n")
	step("a rule added to a marked package", false, "2 A\n")
	wrapped("rule added", true)

	m.write("plain/plain.go", strings.Replace(m.read("plain/plain.go"), "strings.ToUpper(s)", "strings.ToUpper(s + s)", 1))
	step("an unmarked package with a call site edited", false, "2 AA\n")
	wrapped("call site edited", true)

	m.write("sub/sub.go", strings.Replace(m.read("sub/sub.go"), "return 2", "return 3", 1))
	step("a marked file edited while a rule exists", false, "3 AA\n")

	m.write("sub/sub.go", strings.Replace(m.read("sub/sub.go"), "//ddt:calls trace strings.ToUpper", "//ddt:calls mine strings.ToUpper", 1))
	step("a rule changed", false, "3 AA\n")
	wrapped("rule changed", true)

	m.write("sub/sub.go", strings.Replace(m.read("sub/sub.go"), "//ddt:calls mine strings.ToUpper\n", "", 1))
	step("the rule removed", false, "3 AA\n")
	wrapped("rule removed", false)

	m.write("sub/sub.go", strings.Replace(m.read("sub/sub.go"), "return 3", "return 4", 1))
	step("a marked file edited after the rule is gone", true, "4 AA\n")
}
