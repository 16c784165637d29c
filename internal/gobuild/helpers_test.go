package gobuild

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/go-ddt/ddt/instrument"
)

// testModule writes a module with one flag function in a.go, one plain
// file b.go, and a main that prints the flag.
func testModule(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	base := map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.26.0\n",
		"a.go": `package main

import "context"

//ddt:flag
func enabled(ctx context.Context, name string) bool {
	return name == "beta"
}
`,
		"b.go": `package main

import (
	"context"
	"fmt"
)

func main() { fmt.Println(enabled(context.Background(), "beta")) }
`,
	}
	for name, content := range files {
		base[name] = content
	}
	for name, content := range base {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// offlineEnv is the environment for go commands in tests: the machine's
// module and build caches, and no network.
func offlineEnv() []string {
	return append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOSUMDB=off", "GOTOOLCHAIN=local")
}

// changedFiles returns the files whose output differs from what is on disk.
func changedFiles(files []*instrument.File) []*instrument.File {
	var changed []*instrument.File
	for _, f := range files {
		if f.Changed() {
			changed = append(changed, f)
		}
	}
	return changed
}
