package cli

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/go-ddt/ddt/instrument"
	"golang.org/x/mod/modfile"
)

// ddtModule is the module that instrumented code needs: it provides ddtrt.
const ddtModule = "github.com/go-ddt/ddt"

// ddtSource says where the ddt that is running came from, and so which
// version of ddtrt the code it generates must be built with.
type ddtSource struct {
	Checkout string // root of the source checkout ddt was built from, or ""
	Version  string // module version from the build info, when not a checkout
}

// currentDDT describes the running ddt. A binary built inside a checkout
// (go build, go install or go test there) has the version "(devel)", or
// version-control settings in its build info when VCS stamping is on; its
// source directory is found from this file's compiled-in path and verified
// by the go.mod there. A binary installed from the module proxy has a real
// version and no VCS settings.
func currentDDT() ddtSource {
	version := ""
	fromVCS := false
	if bi, ok := debug.ReadBuildInfo(); ok {
		version = bi.Main.Version
		for _, s := range bi.Settings {
			fromVCS = fromVCS || s.Key == "vcs"
		}
	}
	if version == "" || version == "(devel)" || fromVCS {
		if dir := checkoutDir(); dir != "" {
			return ddtSource{Checkout: dir}
		}
	}
	return ddtSource{Version: version}
}

// checkoutDir returns the root of the ddt source tree this file was
// compiled from, or "" when that tree is not on this machine (a -trimpath
// build, a binary copied elsewhere).
func checkoutDir() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok || !filepath.IsAbs(file) {
		return ""
	}
	dir := filepath.Dir(filepath.Dir(filepath.Dir(file))) // strip internal/cli/gomod.go
	data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil || modulePathOf(data) != ddtModule {
		return ""
	}
	return dir
}

// modulePathOf returns the path in a go.mod's module line.
func modulePathOf(gomod []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(gomod))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		rest, ok := strings.CutPrefix(line, "module")
		if !ok || rest == "" || (rest[0] != ' ' && rest[0] != '\t') {
			continue
		}
		rest, _, _ = strings.Cut(rest, "//")
		path := strings.TrimSpace(rest)
		if unq, err := strconv.Unquote(path); err == nil {
			path = unq
		}
		return path
	}
	return ""
}

// readModFile parses the go.mod file at path. (Not with modfile.ParseLax,
// which is for dependencies' go.mod files and skips replace directives.)
func readModFile(path string) (*modfile.File, error) {
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
func requirementPlan(src ddtSource) ([][]string, string, error) {
	if src.Checkout != "" {
		return [][]string{
				{"go", "mod", "edit", "-replace=" + ddtModule + "=" + src.Checkout},
				{"go", "get", ddtModule + "@v0.0.0"},
			},
			fmt.Sprintf("require %s v0.0.0 and replace %s => %s (this ddt was built from that checkout)", ddtModule, ddtModule, src.Checkout),
			nil
	}
	if src.Version == "" || src.Version == "(devel)" {
		return nil, "", fmt.Errorf("cannot tell which version of %s this ddt belongs to (built without module information or with -trimpath); add the requirement yourself: go get %s@<version>", ddtModule, ddtModule)
	}
	return [][]string{{"go", "get", ddtModule + "@" + src.Version}},
		fmt.Sprintf("require %s %s", ddtModule, src.Version), nil
}

// ensureRequirement makes the module at root require ddt, unless it
// already does or is ddt itself, and says on stderr what it changed.
// added reports whether it changed go.mod.
func ensureRequirement(root string, env []string, src ddtSource, stderr io.Writer) (added bool, err error) {
	// Read go.mod here rather than with go mod edit -json: this runs
	// before every build that instruments, and a go command costs ~0.1 s.
	mf, err := readModFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return false, err
	}
	if mf.Module != nil && mf.Module.Mod.Path == ddtModule {
		return false, nil
	}
	for _, r := range mf.Require {
		if r.Mod.Path == ddtModule {
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
			return false, fmt.Errorf("adding %s to go.mod: %s: %v\n%s", ddtModule, strings.Join(args, " "), err, goErr.Bytes())
		}
		notes.Write(goErr.Bytes())
	}
	fmt.Fprintf(stderr, "ddt: go.mod: added %s\n", what)
	_, err = stderr.Write(notes.Bytes())
	return true, err
}

// needsRuntime reports whether the module must require ddt for res to
// build: files were instrumented, or marked packages were left as they
// are (their import of ddt's own packages, such as the toolbar, may only
// resolve once it requires ddt).
func needsRuntime(res *instrument.Result) bool {
	return len(res.Diagnostics) == 0 && (len(changedFiles(res.Files)) > 0 || len(res.Uninstrumented) > 0)
}

// goOutput runs the go command in dir and returns its standard output; its
// standard error becomes part of the error.
func goOutput(dir string, env []string, args ...string) ([]byte, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return nil, fmt.Errorf("go %s: %s", strings.Join(args, " "), strings.TrimSpace(stderr.String()))
		}
		return nil, fmt.Errorf("go %s: %v", strings.Join(args, " "), err)
	}
	return out, nil
}
