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
	// wrapped says whether the call in file is wrapped in the overlay.
	wrapped := func(file string) bool {
		t.Helper()
		replace, err := readOverlay(filepath.Join(m.dir, ddtDirName, overlayJSONName))
		if err != nil {
			t.Fatal(err)
		}
		copyPath, ok := replace[filepath.Join(m.dir, filepath.FromSlash(file))]
		data, _ := os.ReadFile(copyPath)
		return ok && strings.Contains(string(data), "(&__ddt_site_call_strings_ToUpper")
	}
	const rule = "//ddt:calls trace strings.ToUpper\n"

	m.build(1)
	// Each edit in turn: the file, the text replaced and its replacement
	// ("" old: the new whole content), whether the build is incremental,
	// what the program prints, and, when file is set, whether the call in
	// wrappedIn is wrapped.
	for _, e := range []struct {
		what, file, old, new string
		incremental          bool
		out                  string
		wrappedIn            string
		wantWrapped          bool
	}{
		{"a marked file edited, no rule", "sub/sub.go", "return 1", "return 2", true, "2 A b\n", "plain/plain.go", false},
		{"a rule added", "rules/rules.go", "package rules\n", "package rules\n\n" + rule, false, "2 A b\n", "plain/plain.go", true},
		{"a call site's package edited", "plain/plain.go", "strings.ToUpper(s)", "strings.ToUpper(s + s)", true, "2 AA b\n", "plain/plain.go", true},
		{"a marked file edited while a rule exists", "sub/sub.go", "return 2", "return 3", true, "3 AA b\n", "", false},
		{"a package without calls edited", "other/other.go", `"b"`, `"c"`, true, "3 AA c\n", "", false},
		{"a call added to a package that had none", "other/other.go", "package other\n\nfunc Name() string { return \"c\" }", "package other\n\nimport \"strings\"\n\nfunc Name() string { return strings.ToUpper(\"c\") }", false, "3 AA C\n", "other/other.go", true},
		{"the call of a package removed", "plain/plain.go", "return strings.ToUpper(s + s)", "return strings.Repeat(s, 3)", true, "3 aaa C\n", "plain/plain.go", false},
		{"a call put back", "plain/plain.go", "return strings.Repeat(s, 3)", "return strings.ToUpper(s)", true, "3 A C\n", "plain/plain.go", true},
		{"a rule changed", "rules/rules.go", "//ddt:calls trace", "//ddt:calls mine", false, "3 A C\n", "plain/plain.go", true},
		{"the rule removed", "rules/rules.go", "//ddt:calls mine strings.ToUpper\n", "", false, "3 A C\n", "plain/plain.go", false},
		{"a marked file edited after the rule is gone", "sub/sub.go", "return 3", "return 4", true, "4 A C\n", "", false},
	} {
		m.edit(e.file, e.old, e.new)
		m.step(e.what, e.incremental, e.out)
		if e.wrappedIn != "" && wrapped(e.wrappedIn) != e.wantWrapped {
			t.Errorf("%s: the call in %s is wrapped = %v, want %v", e.what, e.wrappedIn, !e.wantWrapped, e.wantWrapped)
		}
	}
}
