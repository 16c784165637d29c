// Package gomod finds a module's root and makes its go.mod require ddt.
//
// Instrumented code imports ddt's runtime, so a module built by ddt must
// require github.com/go-ddt/ddt at the version of the ddt that generated
// the code: [Current] says which ddt is running (a release, or a source
// checkout), and [EnsureRequirement] adds the requirement when it is
// missing, through the go command, which keeps go.sum and the go line
// right.
package gomod

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/go-ddt/ddt/instrument"
	"github.com/go-ddt/ddt/internal/process"
	"golang.org/x/mod/modfile"
)

// Module is the module that instrumented code needs: it provides ddtrt.
const Module = "github.com/go-ddt/ddt"

// Source says where the ddt that is running came from, and so which
// version of ddtrt the code it generates must be built with.
type Source struct {
	Checkout string // root of the source checkout ddt was built from, or ""
	Version  string // module version from the build info, when not a checkout
}

// Current describes the running ddt. A binary built inside a checkout
// (go build, go install or go test there) has the version "(devel)", or
// version-control settings in its build info when VCS stamping is on; its
// source directory is found from this file's compiled-in path and verified
// by the go.mod there. A binary installed from the module proxy has a real
// version and no VCS settings.
func Current() Source {
	version := ""
	fromVCS := false
	if bi, ok := debug.ReadBuildInfo(); ok {
		version = bi.Main.Version
		for _, s := range bi.Settings {
			fromVCS = fromVCS || s.Key == "vcs"
		}
	}
	if version == "" || version == "(devel)" || fromVCS {
		if dir := CheckoutDir(); dir != "" {
			return Source{Checkout: dir}
		}
	}
	return Source{Version: version}
}

// CheckoutDir returns the root of the ddt source tree this file was
// compiled from, or "" when that tree is not on this machine (a -trimpath
// build, a binary copied elsewhere).
func CheckoutDir() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok || !filepath.IsAbs(file) {
		return ""
	}
	dir := filepath.Dir(filepath.Dir(filepath.Dir(file))) // strip internal/gomod/gomod.go
	data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil || modfile.ModulePath(data) != Module {
		return ""
	}
	return dir
}

// ReadFile parses the go.mod file at path. (Not with modfile.ParseLax,
// which is for dependencies' go.mod files and skips replace directives.)
func ReadFile(path string) (*modfile.File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return modfile.Parse(path, data, nil)
}

// requirementPlan returns the go commands that make a module require ddt
// as src describes it: a checkout is pointed at with a replace directive,
// a released ddt is fetched at its own version. The go command, not ddt,
// edits go.mod, so it also raises the go line and updates go.sum as needed.
func requirementPlan(src Source) ([][]string, string, error) {
	if src.Checkout != "" {
		return [][]string{
				{"go", "mod", "edit", "-replace=" + Module + "=" + src.Checkout},
				{"go", "get", Module + "@v0.0.0"},
			},
			fmt.Sprintf("require %s v0.0.0 and replace %s => %s (this ddt was built from that checkout)", Module, Module, src.Checkout),
			nil
	}
	if src.Version == "" || src.Version == "(devel)" {
		return nil, "", fmt.Errorf("cannot tell which version of %s this ddt belongs to (built without module information or with -trimpath); add the requirement yourself: go get %s@<version>", Module, Module)
	}
	return [][]string{{"go", "get", Module + "@" + src.Version}},
		fmt.Sprintf("require %s %s", Module, src.Version), nil
}

// EnsureRequirement makes the module at root require ddt, unless it
// already does or is ddt itself, and says on stderr what it changed.
// added reports whether it changed go.mod.
func EnsureRequirement(root string, env []string, src Source, stderr io.Writer) (added bool, err error) {
	// Read go.mod here rather than with go mod edit -json: this runs
	// before every build that instruments, and a go command costs ~0.1 s.
	mf, err := ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return false, err
	}
	if mf.Module != nil && mf.Module.Mod.Path == Module {
		return false, nil
	}
	for _, r := range mf.Require {
		if r.Mod.Path == Module {
			return false, nil
		}
	}
	plan, what, err := requirementPlan(src)
	if err != nil {
		return false, err
	}
	// The go command's own notes (such as "go: upgraded go 1.22 =>
	// 1.26.0") are changes too; they follow ddt's line.
	var notes bytes.Buffer
	for _, args := range plan {
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir = root
		cmd.Env = env
		var goErr bytes.Buffer
		cmd.Stderr = &goErr
		if err := cmd.Run(); err != nil {
			return false, fmt.Errorf("adding %s to go.mod: %s: %v\n%s", Module, strings.Join(args, " "), err, goErr.Bytes())
		}
		notes.Write(goErr.Bytes())
	}
	fmt.Fprintf(stderr, "ddt: go.mod: added %s\n", what)
	_, err = stderr.Write(notes.Bytes())
	return true, err
}

// NeedsRequirement reports whether the module must require ddt for res to
// build: files were instrumented, or marked packages were left as they
// are (their import of ddt's own packages, such as the toolbar, may only
// resolve once it requires ddt).
func NeedsRequirement(res *instrument.Result) bool {
	return len(res.Diagnostics) == 0 && (slices.ContainsFunc(res.Files, (*instrument.File).Changed) || len(res.Uninstrumented) > 0)
}

// Root returns the root directory of the module containing dir, as the go
// command run there with env finds it.
func Root(dir string, env []string) (string, error) {
	out, err := process.GoOutput(dir, env, "env", "GOMOD")
	if err != nil {
		return "", err
	}
	return RootOf(dir, strings.TrimSpace(string(out)))
}

// RootOf returns the directory of gomod, go env GOMOD's answer in dir.
func RootOf(dir, gomod string) (string, error) {
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("%s is not inside a Go module (no go.mod found); ddt instruments the packages of a module", dir)
	}
	return filepath.Dir(gomod), nil
}
