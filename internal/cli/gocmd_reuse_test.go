package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestGoReusesUnchangedInstrumentation runs ddt build on a real module,
// again and again, and checks when it instruments and when it reuses the
// last overlay: it must instrument after every change that can matter, and
// the binary must record the marked call either way.
func TestGoReusesUnchangedInstrumentation(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command many times")
	}
	goEnv := machineGoEnv(t)
	env := append(os.Environ(),
		"GOPATH="+goEnv["GOPATH"], "GOMODCACHE="+goEnv["GOMODCACHE"], "GOCACHE="+goEnv["GOCACHE"],
		"GOFLAGS=-mod=mod", "GOPROXY=off", "GOSUMDB=off", "GOTOOLCHAIN=local", "GOWORK=off")
	dir := t.TempDir()
	files := map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.26.0\n\nrequire github.com/go-ddt/ddt v0.0.0\n\nreplace github.com/go-ddt/ddt => " + checkoutDir() + "\n",
		"flags/flags.go": `package flags

import "context"

//ddt:flag
func Enabled(ctx context.Context, name string) bool { return name == "beta" }
`,
		"main.go": `package main

import (
	"context"
	"fmt"

	"example.com/m/flags"
	"github.com/go-ddt/ddt/runtime/ddtrt"
)

func main() {
	rec := ddtrt.NewRecorder(10)
	ctx, unbind := ddtrt.Bind(context.Background(), "r", rec)
	flags.Enabled(ctx, "beta")
	unbind()
	fmt.Println(len(rec.Events()), "event")
}
`,
	}
	for name, content := range files {
		write(t, filepath.Join(dir, name), content)
	}
	goCmd := exec.Command("go", "mod", "tidy")
	goCmd.Dir, goCmd.Env = dir, env
	if out, err := goCmd.CombinedOutput(); err != nil {
		t.Fatalf("go mod tidy: %v\n%s", err, out)
	}
	// Files written a while ago, as a developer's are: none is racy.
	age := func(paths ...string) {
		old := time.Now().Add(-time.Hour)
		for _, p := range paths {
			if err := os.Chtimes(filepath.Join(dir, p), old, old); err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
		}
	}
	age("go.mod", "go.sum", "flags/flags.go", "main.go")

	build := func(wantRuns int64, args ...string) {
		t.Helper()
		before := instrumentRuns.Load()
		var stderr bytes.Buffer
		err := runGo(&GoOptions{IO: IO{Out: &stderr, Err: &stderr}, Verb: "build", Args: append(append([]string{"-o", "prog"}, args...), "."), Dir: dir, Env: env})
		if err != nil {
			t.Fatalf("ddt build %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		if got := instrumentRuns.Load() - before; got != wantRuns {
			t.Errorf("ddt build %s instrumented %d times, want %d", strings.Join(args, " "), got, wantRuns)
		}
		out, err := exec.Command(filepath.Join(dir, "prog")).Output()
		if err != nil || string(out) != "1 event\n" {
			t.Fatalf("the program printed %q (%v), want %q", out, err, "1 event\n")
		}
	}

	build(1) // first run
	build(0) // nothing changed
	build(0)

	write(t, filepath.Join(dir, "flags/flags.go"), files["flags/flags.go"]+"\n// An edit.\n")
	age("flags/flags.go")
	build(1) // an edited file, even with an old time
	build(0)

	write(t, filepath.Join(dir, "flags/more.go"), "package flags\n")
	age("flags/more.go", "flags")
	build(1) // a new file
	build(0)

	build(1, "-tags", "extra") // other build flags
	build(0, "-tags", "extra")
	build(1) // and back

	if err := os.Remove(filepath.Join(dir, ".ddt/overlay/flags/flags.go")); err != nil {
		t.Fatal(err)
	}
	build(1) // a copy in the overlay went missing
	build(0)
	copyPath := filepath.Join(dir, ".ddt/overlay/flags/flags.go")
	copyData, err := os.ReadFile(copyPath)
	if err != nil {
		t.Fatal(err)
	}
	// A copy in the overlay rewritten, as gofmt -w . might do.
	write(t, copyPath, strings.Replace(string(copyData), "\n", " \n", 1))
	build(1)
	build(0)

	// Racy: a file modified a moment ago could change again within its
	// timestamp's granularity, keeping its stamp; its content decides.
	more := filepath.Join(dir, "flags/more.go")
	write(t, more, "package flags\n\n// Just now: A.\n")
	build(1)
	build(0) // same content
	info, err := os.Stat(more)
	if err != nil {
		t.Fatal(err)
	}
	write(t, more, "package flags\n\n// Just now: B.\n")                     // same size ...
	if err := os.Chtimes(more, info.ModTime(), info.ModTime()); err != nil { // ... and time
		t.Fatal(err)
	}
	build(1)
	build(0)
	age("flags/more.go")
	build(1) // an older time is a change of stamp
	build(0)

	if err := os.Remove(filepath.Join(dir, "flags/more.go")); err != nil {
		t.Fatal(err)
	}
	build(1) // a removed file
	build(0)
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o666); err != nil {
		t.Fatal(err)
	}
}
