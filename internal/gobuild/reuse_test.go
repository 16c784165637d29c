package gobuild

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"time"

	"github.com/go-ddt/ddt/internal/gomod"
	"github.com/go-ddt/ddt/internal/testmod"
)

// reuseModule is a module for the tests of ddt build's reuse of its last
// overlay, with files written a while ago, as a developer's are (none is
// racy), and functions that build it, write and age its files.
type reuseModule struct {
	t   *testing.T
	dir string
	env []string
}

func newReuseModule(t *testing.T, files map[string]string) *reuseModule {
	if testing.Short() {
		t.Skip("runs the go command many times")
	}
	m := &reuseModule{t: t, dir: testmod.Write(t, files), env: append(testmod.OfflineEnv(), "GOWORK=off")}
	m.age("go.mod", "a.go", "b.go")
	return m
}

// age sets the files' times to an hour ago.
func (m *reuseModule) age(names ...string) {
	m.t.Helper()
	old := time.Now().Add(-time.Hour)
	for _, name := range names {
		if err := os.Chtimes(filepath.Join(m.dir, name), old, old); err != nil {
			m.t.Fatal(err)
		}
	}
}

func (m *reuseModule) write(name, content string) {
	m.t.Helper()
	if err := os.WriteFile(filepath.Join(m.dir, name), []byte(content), 0o666); err != nil {
		m.t.Fatal(err)
	}
}

// build runs ddt build with args, checks that it instrumented wantRuns
// times (0 or 1), and returns what the program prints.
func (m *reuseModule) build(wantRuns int64, args ...string) string {
	m.t.Helper()
	before := instrumentRuns.Load()
	var stderr bytes.Buffer
	err := Run(Options{Stdout: &stderr, Stderr: &stderr, Verb: "build", Args: append(append([]string{"-o", "prog"}, args...), "."),
		Dir: m.dir, Env: m.env})
	if err != nil {
		m.t.Fatalf("ddt build %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	if got := instrumentRuns.Load() - before; got != wantRuns {
		m.t.Errorf("ddt build %s instrumented %d times, want %d", strings.Join(args, " "), got, wantRuns)
	}
	out, err := exec.Command(filepath.Join(m.dir, "prog")).Output()
	if err != nil {
		m.t.Fatalf("the program: %v", err)
	}
	return string(out)
}

// TestGoReuseAfterAddingTheRequirement: the first build adds the
// requirement on ddt to go.mod, which must not look like an edit next time.
//
// It builds with -mod=readonly, the go command's default: with -mod=mod,
// go build then rewrites go.mod itself (it drops the "// indirect" that
// go get wrote), which is a change, and one more build instruments.
func TestGoReuseAfterAddingTheRequirement(t *testing.T) {
	m := newReuseModule(t, nil)
	m.env = append(m.env, "GOFLAGS=-mod=readonly")
	if out := m.build(1); out != "true\n" {
		t.Fatalf("the program printed %q", out)
	}
	if data, _ := os.ReadFile(filepath.Join(m.dir, "go.mod")); !strings.Contains(string(data), gomod.Module) {
		t.Fatalf("go.mod has no requirement on ddt:\n%s", data)
	}
	m.build(0)
}

// TestGoReusesUnchangedInstrumentation runs ddt build on a real module,
// again and again, and checks when it instruments and when it reuses the
// last overlay: it must instrument after every change that can matter, and
// the binary must record the marked call either way.
func TestGoReusesUnchangedInstrumentation(t *testing.T) {
	// A module outside this one that it replaces a dependency with: its
	// files count as the module's own.
	lib := t.TempDir()
	for name, content := range map[string]string{"go.mod": "module example.com/lib\n\ngo 1.26.0\n", "lib.go": "package lib\n"} {
		if err := os.WriteFile(filepath.Join(lib, name), []byte(content), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	m := newReuseModule(t, map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.26.0\n\nrequire " + gomod.Module + " v0.0.0\n\nreplace " + gomod.Module + " => " + gomod.CheckoutDir() + "\n\nreplace example.com/lib => " + lib + "\n",
		"b.go": `package main

import (
	"context"
	"fmt"

	"github.com/go-ddt/ddt/runtime/event"
)

func main() {
	rec := event.NewRecorder(10)
	ctx, unbind := event.Bind(context.Background(), "r", rec)
	enabled(ctx, "beta")
	unbind()
	fmt.Println(len(rec.Events()), "event")
}
`})
	dir, write, age := m.dir, m.write, m.age
	build := func(wantRuns int64, args ...string) {
		t.Helper()
		if out := m.build(wantRuns, args...); out != "1 event\n" {
			t.Fatalf("the program printed %q, want %q", out, "1 event\n")
		}
	}

	build(1) // first run
	build(0) // nothing changed
	build(0)

	aGo, err := os.ReadFile(filepath.Join(dir, "a.go"))
	if err != nil {
		t.Fatal(err)
	}
	write("a.go", string(aGo)+"\n// An edit.\n")
	age("a.go")
	build(1) // an edited file, even with an old time
	build(0)

	write("more.go", "package main\n")
	age("more.go")
	build(1) // a new file
	build(0)

	if err := os.WriteFile(filepath.Join(lib, "lib.go"), []byte("package lib\n\n// An edit.\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	build(1) // a file of a module it replaces a dependency with
	build(0)

	build(1, "-tags", "extra") // other build flags
	build(0, "-tags", "extra")
	build(1) // and back

	copyPath := filepath.Join(dir, ".ddt/overlay/a.go")
	if err := os.Remove(copyPath); err != nil {
		t.Fatal(err)
	}
	build(1) // a copy in the overlay went missing
	build(0)
	copyData, err := os.ReadFile(copyPath)
	if err != nil {
		t.Fatal(err)
	}
	// A copy in the overlay rewritten, as gofmt -w . might do.
	if err := os.WriteFile(copyPath, []byte(strings.Replace(string(copyData), "\n", " \n", 1)), 0o666); err != nil {
		t.Fatal(err)
	}
	build(1)
	build(0)

	// Racy: a file modified a moment ago could change again within its
	// timestamp's granularity, keeping its stamp; its content decides.
	more := filepath.Join(dir, "more.go")
	write("more.go", "package main\n\n// Just now: A.\n")
	build(1)
	build(0) // same content
	info, err := os.Stat(more)
	if err != nil {
		t.Fatal(err)
	}
	// Same size and same time, other content.
	write("more.go", "package main\n\n// Just now: B.\n")
	if err := os.Chtimes(more, info.ModTime(), info.ModTime()); err != nil {
		t.Fatal(err)
	}
	build(1)
	build(0)
	age("more.go")
	build(1) // an older time is a change of stamp
	build(0)

	if err := os.Remove(more); err != nil {
		t.Fatal(err)
	}
	build(1) // a removed file
	build(0)
}
