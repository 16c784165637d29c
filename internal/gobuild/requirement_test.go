package gobuild

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-ddt/ddt/internal/gomod"
	"github.com/go-ddt/ddt/internal/testmod"
)

// overlayReplaces returns the module-relative paths that the module's
// overlay replaces, sorted.
// overlayReplaces returns the module's files that dir's overlay replaces,
// relative to dir; the build mark (buildmark.go) is left out.
func overlayReplaces(t *testing.T, dir string) []string {
	t.Helper()
	replace, err := readOverlay(filepath.Join(dir, ddtDirName, overlayJSONName))
	if err != nil {
		t.Fatal(err)
	}
	var rels []string
	for from := range replace {
		if filepath.Base(from) == buildMarkName {
			continue
		}
		rel, err := filepath.Rel(dir, from)
		if err != nil {
			t.Fatal(err)
		}
		rels = append(rels, filepath.ToSlash(rel))
	}
	slices.Sort(rels)
	return rels
}

// TestGoFirstBuildAddsTheRequirementBeforeInstrumenting: a main package
// that imports ddt's toolbar and has a marked function, in a module
// without the requirement on ddt, cannot be type-checked until the
// requirement is there. The first ddt build must add it and instrument that
// package too, not leave it uninstrumented, and later builds must not reuse
// a partial overlay.
func TestGoFirstBuildAddsTheRequirementBeforeInstrumenting(t *testing.T) {
	m := newReuseModule(t, testmod.ToolbarModule)
	m.age("sub/sub.go")
	// As in TestGoReuseAfterAddingTheRequirement: with -mod=mod, go build
	// rewrites go.mod after go get, which is a change.
	m.env = append(m.env, "GOFLAGS=-mod=readonly")

	var stderr bytes.Buffer
	err := Run(Options{Stdout: &stderr, Stderr: &stderr, Verb: "build", Args: []string{"-o", "prog", "."}, Dir: m.dir, Env: m.env})
	if err != nil {
		t.Fatalf("ddt build: %v\n%s", err, stderr.String())
	}
	if strings.Contains(stderr.String(), "uninstrumented") || !strings.Contains(stderr.String(), "go.mod: added") {
		t.Errorf("ddt build said:\n%s\nwant the requirement added and no package left uninstrumented", stderr.String())
	}
	want := []string{"a.go", "sub/sub.go"}
	if got := overlayReplaces(t, m.dir); !slices.Equal(got, want) {
		t.Fatalf("the first build's overlay replaces %q, want %q", got, want)
	}
	if out := m.build(0); out != "true\n" {
		t.Errorf("the program printed %q", out)
	}
	if got := overlayReplaces(t, m.dir); !slices.Equal(got, want) {
		t.Errorf("the second build's overlay replaces %q, want %q", got, want)
	}
}

// TestGoNeverReusesAPartialInstrumentation: a marked package that ddt left
// uninstrumented (type errors; it is not part of what is built, so the
// build succeeds) makes every build instrument again and warn again, as the
// state of such a run is not saved.
func TestGoNeverReusesAPartialInstrumentation(t *testing.T) {
	m := newReuseModule(t, map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.26.0\n\nrequire " + gomod.Module + " v0.0.0\n\nreplace " + gomod.Module + " => " + gomod.CheckoutDir() + "\n",
		"broken/broken.go": `package broken

//ddt:trace
func F() int { return undefined }
`,
	})
	m.age("broken/broken.go")
	m.build(1)
	if _, err := os.Stat(statePath(m.dir)); err == nil {
		t.Errorf("a run that left broken uninstrumented saved %s", statePath(m.dir))
	}
	m.build(1)
	if got, want := overlayReplaces(t, m.dir), []string{"a.go"}; !slices.Equal(got, want) {
		t.Errorf("the overlay replaces %q, want %q", got, want)
	}
}
