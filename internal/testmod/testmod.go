// Package testmod writes small Go modules for the tests of the packages
// that run the go command on them (cli, gobuild, gomod), and gives the
// environment those tests run it in.
package testmod

import (
	"os"
	"path/filepath"
	"testing"
)

// Write writes a module with one flag function in a.go, one plain file
// b.go and a main that prints the flag, with files added or replacing
// those, into a new temporary directory, and returns it.
func Write(t testing.TB, files map[string]string) string {
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

// OfflineEnv is the environment for go commands in tests: the machine's
// module and build caches, and no network.
func OfflineEnv() []string {
	return append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOSUMDB=off", "GOTOOLCHAIN=local")
}

// ToolbarModule is a module without the requirement on ddt whose main
// package imports ddt's toolbar and has a marked function, and whose sub
// package has one too.
var ToolbarModule = map[string]string{
	"a.go": `package main

import (
	"context"
	"fmt"

	"example.com/m/sub"
	"github.com/go-ddt/ddt/runtime/toolbar"
)

var _ = toolbar.NewMemoryStore

//ddt:flag
func enabled(ctx context.Context, name string) bool {
	return name == "beta"
}

func main() { fmt.Println(enabled(context.Background(), "beta") && sub.Work(context.Background()) == 1) }
`,
	"b.go": "package main\n",
	"sub/sub.go": `package sub

import "context"

//ddt:trace
func Work(ctx context.Context) int { return 1 }
`,
}
