package gobuild

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-ddt/ddt/internal/gomod"

	"github.com/go-ddt/ddt/instrument"
)

// TestGoInstrumentsOnlyChangedPackages edits a module in every way that
// matters to the marked packages and checks, after each ddt build, whether
// it instrumented only the changed packages or loaded the module again, and
// that the overlay is exactly what instrumenting the whole module from
// scratch gives: never a stale copy.
func TestGoInstrumentsOnlyChangedPackages(t *testing.T) {
	m := newReuseModule(t, map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.26.0\n\nrequire " + gomod.Module + " v0.0.0\n\nreplace " + gomod.Module + " => " + gomod.CheckoutDir() + "\n",
		// main is not marked until the end, when edits of sub are
		// checked against a marked package that imports it.
		"a.go": `package main

import "context"

func enabled(ctx context.Context, name string) bool { return name == "beta" }
`,
		"b.go": `package main

import (
	"context"
	"fmt"

	"example.com/m/plain"
	"example.com/m/sub"
)

func main() {
	fmt.Println(enabled(context.Background(), "beta"), sub.Work(context.Background()), plain.Double(2))
}
`,
		"sub/sub.go": `package sub

import (
	"context"

	"example.com/m/typ"
)

//ddt:trace
func Work(ctx context.Context) int { return helper() }

//ddt:trace
func Key(ctx context.Context, id typ.ID) int { return 0 }
`,
		"sub/other.go": "package sub\n\nfunc helper() int { return 1 }\n",
		"typ/typ.go":   "package typ\n\ntype ID int\n",
		"plain/plain.go": `package plain

func Double(n int) int { return 2 * n }
`,
		"unrelated/unrelated.go": "package unrelated\n\nfunc Nothing() {}\n",
	})
	m.age("sub/sub.go", "sub/other.go", "typ/typ.go", "plain/plain.go", "unrelated/unrelated.go")

	m.build(1)
	m.checkOverlayIsFresh("first build")
	m.build(0)

	m.write("sub/sub.go", strings.Replace(m.read("sub/sub.go"), "return helper()", "return helper() + 1", 1))
	m.step("a marked file edited", true, "true 2 4\n")

	// New names in the package: ddt's generated names must avoid them.
	m.write("sub/other.go", "package sub\n\nfunc helper() int { return 1 }\n\nvar __ddt, __ddt_c, __ddt_Work = 1, 2, 3\n")
	m.step("an unmarked file of a marked package edited", true, "true 2 4\n")

	m.write("unrelated/unrelated.go", "package unrelated\n\nfunc Nothing() {}\n\nfunc More() {}\n")
	m.step("a package no marked package imports edited", true, "true 2 4\n")

	m.write("plain/plain.go", "package plain\n\n//ddt:trace\nfunc Double(n int) int { return 2 * n }\n")
	m.step("a marked function added to an unmarked package", false, "true 2 4\n")

	m.write("typ/typ.go", "package typ\n\nimport \"context\"\n\ntype ID = context.Context\n")
	m.step("a package that a marked package imports edited", false, "true 2 4\n")

	m.write("sub/sub.go", strings.Replace(m.read("sub/sub.go"), "//ddt:trace\nfunc Work", "func Work", 1))
	m.step("a directive removed", true, "true 2 4\n")

	m.write("sub/sub.go", strings.Replace(m.read("sub/sub.go"), "//ddt:trace\nfunc Key", "func Key", 1))
	m.step("the last directive of a package removed", true, "true 2 4\n")

	m.write("sub/sub.go", strings.Replace(m.read("sub/sub.go"), "func Work", "//ddt:trace\nfunc Work", 1))
	m.step("a directive put back", true, "true 2 4\n")

	m.write("sub/other.go", "//go:build !nothing\n\n"+m.read("sub/other.go"))
	m.step("a build constraint added", false, "true 2 4\n")

	m.write("sub/more.go", "package sub\n")
	m.step("a file added to a marked package", false, "true 2 4\n")

	m.write("sub/sub.go", strings.Replace(m.read("sub/sub.go"), "import (", "import (\n\t\"strings\"", 1)+"\nvar _ = strings.ToUpper\n")
	m.step("an import added to a marked package", false, "true 2 4\n")

	m.write("a.go", strings.Replace(m.read("a.go"), "func enabled", "//ddt:flag\nfunc enabled", 1))
	m.step("main marked", false, "true 2 4\n")

	// A marked package that another marked package imports: its importer
	// keeps its copy while the package's API (declarations and types) is
	// the same.
	m.write("sub/sub.go", m.read("sub/sub.go")+"\n// An edit.\n")
	m.step("a marked package that a marked package imports: a comment edited", true, "true 2 4\n")

	m.write("sub/sub.go", strings.Replace(m.read("sub/sub.go"), "return helper() + 1", "return helper() + 2", 1))
	m.step("a marked package that a marked package imports: a body edited", true, "true 3 4\n")

	m.write("sub/other.go", m.read("sub/other.go")+"\nfunc Extra() int { return 0 }\n")
	m.step("a marked package that a marked package imports: a function added", false, "true 3 4\n")

	m.write("sub/sub.go", strings.Replace(m.read("sub/sub.go"), "func Work(ctx context.Context) int { return helper() + 2 }", "func Work(ctx context.Context) int64 { return int64(helper() + 2) }", 1))
	m.step("a marked package that a marked package imports: a signature changed", false, "true 3 4\n")

	m.write("sub/other.go", strings.Replace(m.read("sub/other.go"), "__ddt_Work = 1, 2, 3", "__ddt_Work = 1, 2, 4", 1))
	m.step("a marked package that a marked package imports: a variable's value changed", true, "true 3 4\n")
}

// step builds after an edit and checks how (incrementally or with the
// whole load), what the program prints, and the overlay against a
// from-scratch instrumentation; then that the state it saved holds.
func (m *reuseModule) step(what string, wantIncremental bool, wantOut string) {
	m.t.Helper()
	before := incrementalRuns.Load()
	if out := m.build(1); out != wantOut {
		m.t.Fatalf("%s: the program printed %q, want %q", what, out, wantOut)
	}
	if got := incrementalRuns.Load() - before; got != map[bool]int64{false: 0, true: 1}[wantIncremental] {
		m.t.Errorf("%s: instrumented only changed packages %d times, want incremental = %v", what, got, wantIncremental)
	}
	m.checkOverlayIsFresh(what)
	m.build(0)
}

// edit replaces the first old in file with new.
func (m *reuseModule) edit(file, old, new string) {
	m.t.Helper()
	content := m.read(file)
	if !strings.Contains(content, old) {
		m.t.Fatalf("%s does not hold %q", file, old)
	}
	m.write(file, strings.Replace(content, old, new, 1))
}

func (m *reuseModule) read(name string) string {
	m.t.Helper()
	data, err := os.ReadFile(filepath.Join(m.dir, name))
	if err != nil {
		m.t.Fatal(err)
	}
	return string(data)
}

// checkOverlayIsFresh compares the module's overlay with what instrumenting
// the whole module now gives.
func (m *reuseModule) checkOverlayIsFresh(what string) {
	m.t.Helper()
	res, err := instrument.Run(instrument.Config{Dir: m.dir, Env: m.env, Mode: instrument.Overlay})
	if err != nil {
		m.t.Fatalf("%s: instrument.Run: %v", what, err)
	}
	replace, err := readOverlay(filepath.Join(m.dir, ddtDirName, overlayJSONName))
	if err != nil {
		m.t.Fatal(err)
	}
	var want, got []string
	for _, f := range changedFiles(res.Files) {
		want = append(want, f.Path)
		data, err := os.ReadFile(replace[f.Path])
		if err != nil {
			m.t.Errorf("%s: the overlay has no copy of %s", what, f.Path)
			continue
		}
		if !bytes.Equal(data, f.Output) {
			m.t.Errorf("%s: the overlay's copy of %s is stale:\n%s\nwant:\n%s", what, f.Path, data, f.Output)
		}
	}
	for from := range replace {
		if filepath.Base(from) != buildMarkName { // ddt's own file, in the toolbar's access package
			got = append(got, from)
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		m.t.Errorf("%s: the overlay replaces %q, want %q", what, got, want)
	}
}
