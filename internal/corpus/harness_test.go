package corpus

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// repoRoot is the root of the ddt checkout: tests run in the package's
// directory, internal/corpus.
func repoRoot(tb testing.TB) string {
	tb.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		tb.Fatal(err)
	}
	return root
}

var ddtBuild struct {
	once sync.Once
	dir  string
	path string
	err  error
	out  []byte
}

// ddtBinary builds the ddt command from this checkout once per test
// binary. A binary built from a checkout points the modules it
// instruments at that checkout with a replace directive, which is what
// the corpus needs.
func ddtBinary(tb testing.TB) string {
	tb.Helper()
	ddtBuild.once.Do(func() {
		ddtBuild.dir, ddtBuild.err = os.MkdirTemp("", "ddt-corpus-bin-")
		if ddtBuild.err != nil {
			return
		}
		ddtBuild.path = filepath.Join(ddtBuild.dir, "ddt")
		cmd := exec.Command("go", "build", "-o", ddtBuild.path, "./cmd/ddt")
		cmd.Dir = repoRoot(tb)
		ddtBuild.out, ddtBuild.err = cmd.CombinedOutput()
	})
	if ddtBuild.err != nil {
		tb.Fatalf("building ddt: %v\n%s", ddtBuild.err, ddtBuild.out)
	}
	return ddtBuild.path
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, dir := range []string{ddtBuild.dir, benchTree.root} {
		if dir != "" {
			os.RemoveAll(dir)
		}
	}
	os.Exit(code)
}

// offlineEnv is the environment for everything that runs on a module
// copy once its dependencies are in the module cache: nothing is
// downloaded, go.mod may be updated (ddt adds its requirement), and a
// go.work around the test's directory cannot interfere.
func offlineEnv() []string {
	return append(os.Environ(),
		"GOFLAGS=-mod=mod",
		"GOPROXY=off",
		"GOSUMDB=off",
		"GOTOOLCHAIN=local",
		"GOWORK=off",
	)
}

// onlineEnv is the environment for fetching modules: the proxy the
// environment names (the go command's default when none).
func onlineEnv() []string {
	return append(os.Environ(), "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local", "GOWORK=off")
}

// result is the outcome of one command.
type result struct {
	cmd    string
	stdout []byte
	stderr []byte
	err    error
}

func (r result) failed() bool { return r.err != nil }

// run runs name with args in dir.
func run(dir string, env []string, name string, args ...string) result {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return result{
		cmd:    filepath.Base(name) + " " + strings.Join(args, " "),
		stdout: stdout.Bytes(),
		stderr: stderr.Bytes(),
		err:    err,
	}
}

// mustRun runs the command and fails the test when it fails.
func mustRun(tb testing.TB, dir string, env []string, name string, args ...string) result {
	tb.Helper()
	r := run(dir, env, name, args...)
	if r.failed() {
		tb.Fatalf("%s (in %s): %v\nstdout:\n%s\nstderr:\n%s", r.cmd, dir, r.err, tail(r.stdout, 60), tail(r.stderr, 60))
	}
	return r
}

// tail returns the last n lines of b.
func tail(b []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{"..."}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}

// downloadDir fetches module@version into the module cache and returns
// its directory there.
func downloadDir(tb testing.TB, path, version string) string {
	tb.Helper()
	r := mustRun(tb, os.TempDir(), onlineEnv(), "go", "mod", "download", "-json", path+"@"+version)
	var info struct{ Dir, Error string }
	if err := json.Unmarshal(r.stdout, &info); err != nil {
		tb.Fatalf("go mod download %s@%s: %v\n%s", path, version, err, r.stdout)
	}
	if info.Error != "" || info.Dir == "" {
		tb.Fatalf("go mod download %s@%s: %s", path, version, info.Error)
	}
	return info.Dir
}
