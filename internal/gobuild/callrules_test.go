package gobuild

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-ddt/ddt/internal/gomod"
)

// TestGoCallRulesIncremental: with a //ddt:calls rule, an edit of a
// package that holds calls, or of a marked package, instruments only that
// package again, rules applied; adding, changing or removing a rule, or
// naming a rule's function in a package that had no call, goes through the
// whole load. After every build the overlay is what instrumenting the
// whole module from scratch gives.
func TestGoCallRulesIncremental(t *testing.T) {
	m := newReuseModule(t, map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.26.0\n\nrequire " + gomod.Module + " v0.0.0\n\nreplace " + gomod.Module + " => " + gomod.CheckoutDir() + "\n",
		"a.go":   "package main\n",
		"b.go": `package main

import (
	"context"
	"fmt"

	"example.com/m/other"
	"example.com/m/plain"
	"example.com/m/sub"
)

func main() {
	fmt.Println(sub.Work(context.Background()), plain.Shout("a"), other.Name())
}
`,
		"sub/sub.go": `package sub

import "context"

//ddt:trace
func Work(ctx context.Context) int { return 1 }
`,
		"rules/rules.go": "package rules\n",
		"plain/plain.go": `package plain

import "strings"

func Shout(s string) string { return strings.ToUpper(s) }
`,
		"other/other.go": "package other\n\nfunc Name() string { return \"b\" }\n",
	})
	m.age("sub/sub.go", "rules/rules.go", "plain/plain.go", "other/other.go")
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
	// wrapped checks whether the call in file is wrapped in the overlay.
	wrapped := func(what, file string, want bool) {
		t.Helper()
		replace, err := readOverlay(filepath.Join(m.dir, ddtDirName, overlayJSONName))
		if err != nil {
			t.Fatal(err)
		}
		copyPath, ok := replace[filepath.Join(m.dir, filepath.FromSlash(file))]
		data, _ := os.ReadFile(copyPath)
		if got := ok && strings.Contains(string(data), "(&__ddt_site_call_strings_ToUpper"); got != want {
			t.Errorf("%s: the call in %s is wrapped = %v, want %v:\n%s", what, file, got, want, data)
		}
	}
	const rule = "//ddt:calls trace strings.ToUpper\n"

	m.build(1)
	m.write("sub/sub.go", strings.Replace(m.read("sub/sub.go"), "return 1", "return 2", 1))
	step("a marked file edited, no rule", true, "2 A b\n")
	wrapped("no rule", "plain/plain.go", false)

	m.write("rules/rules.go", m.read("rules/rules.go")+"\n"+rule)
	step("a rule added", false, "2 A b\n")
	wrapped("rule added", "plain/plain.go", true)

	m.write("plain/plain.go", strings.Replace(m.read("plain/plain.go"), "strings.ToUpper(s)", "strings.ToUpper(s + s)", 1))
	step("a call site's package edited", true, "2 AA b\n")
	wrapped("call site edited", "plain/plain.go", true)

	m.write("sub/sub.go", strings.Replace(m.read("sub/sub.go"), "return 2", "return 3", 1))
	step("a marked file edited while a rule exists", true, "3 AA b\n")

	m.write("other/other.go", strings.Replace(m.read("other/other.go"), `"b"`, `"c"`, 1))
	step("a package without calls edited", true, "3 AA c\n")

	m.write("other/other.go", "package other\n\nimport \"strings\"\n\nfunc Name() string { return strings.ToUpper(\"c\") }\n")
	step("a call added to a package that had none", false, "3 AA C\n")
	wrapped("call added", "other/other.go", true)

	m.write("plain/plain.go", strings.Replace(m.read("plain/plain.go"), "return strings.ToUpper(s + s)", "return strings.Repeat(s, 3)", 1))
	step("the call of a package removed", true, "3 aaa C\n")
	wrapped("call removed", "plain/plain.go", false)

	m.write("plain/plain.go", strings.Replace(m.read("plain/plain.go"), "return strings.Repeat(s, 3)", "return strings.ToUpper(s)", 1))
	step("a call put back", true, "3 A C\n")
	wrapped("call put back", "plain/plain.go", true)

	m.write("rules/rules.go", strings.Replace(m.read("rules/rules.go"), "//ddt:calls trace", "//ddt:calls mine", 1))
	step("a rule changed", false, "3 A C\n")
	wrapped("rule changed", "plain/plain.go", true)

	m.write("rules/rules.go", strings.Replace(m.read("rules/rules.go"), "//ddt:calls mine strings.ToUpper\n", "", 1))
	step("the rule removed", false, "3 A C\n")
	wrapped("rule removed", "plain/plain.go", false)

	m.write("sub/sub.go", strings.Replace(m.read("sub/sub.go"), "return 3", "return 4", 1))
	step("a marked file edited after the rule is gone", true, "4 A C\n")
}
