package instrument

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The tests build and run what they generate with the real go command, in
// temporary modules that require this repository through a replace
// directive. They share the user's build cache, so after the first run
// only the generated code itself is compiled.

var (
	repoRootOnce sync.Once
	repoRoot     string
)

// root returns the directory of this repository's go.mod.
func root(t testing.TB) string {
	repoRootOnce.Do(func() {
		_, file, _, _ := runtime.Caller(0)
		repoRoot = filepath.Dir(filepath.Dir(file))
	})
	return repoRoot
}

// testEnv is the environment of every go command the tests run: go.mod and
// go.sum of a test module may be completed, nothing is fetched.
func testEnv() []string {
	env := os.Environ()
	flags := os.Getenv("GOFLAGS")
	env = append(env, "GOFLAGS="+strings.TrimSpace(flags+" -mod=mod"), "GOPROXY=off", "GOWORK=off", "GOTOOLCHAIN=local")
	return env
}

// writeModule writes files under dir and, unless files has one, a go.mod
// requiring this repository, plus its go.sum so no checksum is missing.
func writeModule(t testing.TB, dir string, files map[string][]byte) {
	t.Helper()
	for name, data := range files {
		if name == "go.mod" {
			// A case's own go.mod names ddt's root as $DDT.
			data = bytes.ReplaceAll(data, []byte("$DDT"), []byte(root(t)))
		}
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok := files["go.mod"]; !ok {
		mod := "module example.com/m\n\ngo 1.26\n\nrequire github.com/go-ddt/ddt v0.0.0\n\nreplace github.com/go-ddt/ddt => " + root(t) + "\n"
		if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(mod), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sum, err := os.ReadFile(filepath.Join(root(t), "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
		t.Fatal(err)
	}
}

// goCmd runs the go command in dir and returns its combined output.
func goCmd(t testing.TB, dir string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = testEnv()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// writeOverlay writes the Output of every changed file under dir and an
// overlay JSON that maps the originals to them, and returns its path.
func writeOverlay(t testing.TB, dir string, files []*File) string {
	t.Helper()
	replace := map[string]string{}
	for i, f := range files {
		if !f.Changed() {
			continue
		}
		path := filepath.Join(dir, "overlay", strconv.Itoa(i)+"_"+filepath.Base(f.Path))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, f.Output, 0o644); err != nil {
			t.Fatal(err)
		}
		replace[f.Path] = path
	}
	data, err := json.Marshal(map[string]any{"Replace": replace})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// runCommand runs a program and returns its stdout and stderr apart.
func runCommand(t testing.TB, dir, name string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = testEnv()
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return o.String(), e.String(), err
}

// goStdout runs the go command in dir and returns stdout and stderr apart.
func goStdout(t testing.TB, dir string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	return runCommand(t, dir, "go", args...)
}
