package gobuild

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-ddt/ddt/internal/testmod"
)

// TestGoEnvCache: go env runs once for a directory whose inputs did not
// change, again when one did (a variable, a go.mod, a go.work in a parent),
// and the cached answer is go env's.
func TestGoEnvCache(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir()) // the cache of this test only
	parent := t.TempDir()
	dir := filepath.Join(parent, "m")
	if err := os.Mkdir(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	write := func(path, content string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(content), 0o666); err != nil {
			t.Fatal(err)
		}
		old := time.Now().Add(-time.Hour)
		os.Chtimes(path, old, old)
	}
	write(filepath.Join(dir, "go.mod"), "module example.com/m\n\ngo 1.26\n")
	env := append(testmod.OfflineEnv(), "XDG_CACHE_HOME="+os.Getenv("XDG_CACHE_HOME"))
	get := func(env []string, wantRuns int64) goEnvironment {
		t.Helper()
		before := goEnvRuns.Load()
		ge, err := cachedGoEnv(dir, env)
		if err != nil {
			t.Fatal(err)
		}
		if got := goEnvRuns.Load() - before; got != wantRuns {
			t.Errorf("go env ran %d times, want %d", got, wantRuns)
		}
		return ge
	}
	first := get(env, 1)
	if first["GOMOD"] != filepath.Join(dir, "go.mod") {
		t.Fatalf("GOMOD = %q", first["GOMOD"])
	}
	if again := get(env, 0); again["GOMOD"] != first["GOMOD"] || again["GOVERSION"] != first["GOVERSION"] {
		t.Errorf("cached answer %v, want %v", again, first)
	}
	// A variable the go command reads.
	if ge := get(append(env, "GOFLAGS=-tags=x"), 1); ge["GOFLAGS"] != "-tags=x" {
		t.Errorf("GOFLAGS = %q", ge["GOFLAGS"])
	}
	get(append(env, "GOFLAGS=-tags=x"), 0)
	// A variable it does not read changes nothing.
	get(append(env, "GOFLAGS=-tags=x", "EDITOR=vi"), 0)
	// go.mod rewritten.
	write(filepath.Join(dir, "go.mod"), "module example.com/m\n\ngo 1.26.0\n")
	get(env, 1)
	get(env, 0)
	// A workspace appears in the parent directory.
	envWork := append(env[:len(env):len(env)], "GOWORK=") // the go command looks for one
	if ge := get(envWork, 1); ge["GOWORK"] != "" {
		t.Fatalf("GOWORK = %q before there is a go.work", ge["GOWORK"])
	}
	write(filepath.Join(parent, "go.work"), "go 1.26\n\nuse ./m\n")
	if ge := get(envWork, 1); ge["GOWORK"] != filepath.Join(parent, "go.work") {
		t.Errorf("GOWORK = %q, want the new go.work", ge["GOWORK"])
	}
}
