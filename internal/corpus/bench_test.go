package corpus

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// benchModule is the large tree of BenchmarkList: golang.org/x/tools at the
// version ddt itself requires, so it is in the module cache already.
const benchModule = "golang.org/x/tools"

var benchTree struct {
	once sync.Once
	root string // to remove at exit
	dir  string
	err  error
}

// listTree returns a copy of benchModule without its testdata directories
// (they hold deliberately malformed files, which gofmt reports and the
// go command never builds), with the module's dependencies in the module
// cache. It lives for the whole test binary.
func listTree(b *testing.B) string {
	b.Helper()
	benchTree.once.Do(func() {
		version := strings.TrimSpace(mustRun(b, repoRoot(b), onlineEnv(), "go", "list", "-m", "-f", "{{.Version}}", benchModule).String())
		src := downloadDir(b, benchModule, version)
		dir, err := os.MkdirTemp("", "ddt-bench-tree-")
		if err != nil {
			benchTree.err = err
			return
		}
		benchTree.root = dir
		benchTree.dir = filepath.Join(dir, "tools")
		if err := CopyTree(src, benchTree.dir); err != nil {
			benchTree.err = err
			return
		}
		benchTree.err = removeTestdata(benchTree.dir)
		if benchTree.err == nil {
			mustRun(b, benchTree.dir, onlineEnv(), "go", "list", "-deps", "./...")
		}
	})
	if benchTree.err != nil {
		b.Fatal(benchTree.err)
	}
	return benchTree.dir
}

func removeTestdata(root string) error {
	var dirs []string
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "testdata" {
			dirs = append(dirs, path)
			return filepath.SkipDir
		}
		return nil
	})
	for _, d := range dirs {
		if err == nil {
			err = os.RemoveAll(d)
		}
	}
	return err
}

// String returns the command's standard output.
func (r result) String() string { return string(r.stdout) }

// BenchmarkList compares "ddt instrument -l ./..." with "gofmt -l ." on
// the same large tree without directives: both read every file of the
// tree and list none. The goal is ddt within 1.5x of gofmt.
func BenchmarkList(b *testing.B) {
	tree := listTree(b)
	ddt := ddtBinary(b)
	gofmt := gofmtBinary(b)
	env := offlineEnv()
	files := 0
	filepath.WalkDir(tree, func(path string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(path, ".go") {
			files++
		}
		return nil
	})

	perOp := map[string]time.Duration{}
	bench := func(name string, dir, cmd string, args ...string) {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				r := run(dir, env, cmd, args...)
				if r.failed() || len(r.stdout) > 0 {
					b.Fatalf("%s: %v\nstdout:\n%s\nstderr:\n%s", r.cmd, r.err, tail(r.stdout, 20), tail(r.stderr, 20))
				}
			}
			b.ReportMetric(float64(files), "files")
			perOp[name] = b.Elapsed() / time.Duration(b.N)
		})
	}
	bench("ddt-instrument-l", tree, ddt, "instrument", "-l", "./...")
	bench("gofmt-l", tree, gofmt, "-l", ".")
	if d, g := perOp["ddt-instrument-l"], perOp["gofmt-l"]; d > 0 && g > 0 {
		b.Logf("%s (%d .go files): ddt instrument -l %v, gofmt -l %v: ddt/gofmt = %.2f (goal: at most 1.5)",
			benchModule, files, d.Round(time.Millisecond), g.Round(time.Millisecond), float64(d)/float64(g))
	}
}

// gofmtBinary returns the gofmt of the go command's toolchain.
func gofmtBinary(b *testing.B) string {
	goroot := strings.TrimSpace(mustRun(b, repoRoot(b), os.Environ(), "go", "env", "GOROOT").String())
	path := filepath.Join(goroot, "bin", "gofmt")
	if _, err := os.Stat(path); err != nil {
		if p, lerr := exec.LookPath("gofmt"); lerr == nil {
			return p
		}
		b.Fatalf("no gofmt: %v", err)
	}
	return path
}
