package panelgen

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the want files of testdata/*.txtar")

// TestGolden generates the panel of each testdata/*.txtar spec and compares
// the files with the archive's want/ files, or the errors with its stderr
// file. Then every generated panel is built, vetted and its generated test
// run, in one temporary module that requires this checkout of ddt.
func TestGolden(t *testing.T) {
	archives, _ := filepath.Glob("testdata/*.txtar")
	if len(archives) == 0 {
		t.Fatal("no testdata/*.txtar")
	}
	mod := t.TempDir()
	var built []string
	for _, path := range archives {
		name := strings.TrimSuffix(filepath.Base(path), ".txtar")
		ar, err := txtar.ParseFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var spec []byte
		for _, f := range ar.Files {
			if f.Name == "spec.yaml" {
				spec = f.Data
			}
		}
		pkg := strings.ReplaceAll(name, "-", "")
		got := map[string][]byte{}
		s, err := ParseSpec("spec.yaml", spec)
		if err == nil {
			s.Package = pkg
			var files []File
			files, err = Generate(s, Target{ImportPath: "example.com/golden/" + pkg, SpecName: "spec.yaml"})
			for _, f := range files {
				got["want/"+f.Name] = f.Content
				os.MkdirAll(filepath.Join(mod, pkg), 0o755)
				if werr := os.WriteFile(filepath.Join(mod, pkg, f.Name), f.Content, 0o644); werr != nil {
					t.Fatal(werr)
				}
			}
			built = append(built, "./"+pkg)
		}
		if err != nil {
			got["stderr"] = []byte(err.Error() + "\n")
		}
		compareArchive(t, path, ar, got)
	}
	if testing.Short() || len(built) == 0 {
		return
	}
	_, file, _, _ := runtime.Caller(0)
	repo := filepath.Dir(filepath.Dir(file))
	gomod := fmt.Sprintf("module example.com/golden\n\ngo 1.26\n\nrequire github.com/go-ddt/ddt v0.0.0\n\nreplace github.com/go-ddt/ddt => %s\n", repo)
	os.WriteFile(filepath.Join(mod, "go.mod"), []byte(gomod), 0o644)
	sum, _ := os.ReadFile(filepath.Join(repo, "go.sum"))
	os.WriteFile(filepath.Join(mod, "go.sum"), sum, 0o644)
	for _, args := range [][]string{append([]string{"vet"}, built...), append([]string{"test", "-count=1"}, built...)} {
		cmd := exec.Command("go", args...)
		cmd.Dir = mod
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("go %s in the generated module: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

// compareArchive checks got against the archive's want/ and stderr files,
// or rewrites them with -update.
func compareArchive(t *testing.T, path string, ar *txtar.Archive, got map[string][]byte) {
	t.Helper()
	if *update {
		var files []txtar.File
		for _, f := range ar.Files {
			if f.Name == "spec.yaml" {
				files = append(files, f)
			}
		}
		for _, name := range []string{"want/panel_gen.go", "want/panel_gen.html", "want/panel.go", "want/panel_test.go", "stderr"} {
			if data, ok := got[name]; ok {
				files = append(files, txtar.File{Name: name, Data: data})
			}
		}
		ar.Files = files
		if err := os.WriteFile(path, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want := map[string][]byte{}
	for _, f := range ar.Files {
		if f.Name != "spec.yaml" {
			want[f.Name] = f.Data
		}
	}
	for name, data := range got {
		if w, ok := want[name]; !ok {
			t.Errorf("%s: %s produced but not in the archive (run go test -update ./panelgen)", path, name)
		} else if !bytes.Equal(w, data) {
			t.Errorf("%s: %s differs (run go test -update ./panelgen and review the diff):\n--- got\n%s", path, name, data)
		}
	}
	for name := range want {
		if _, ok := got[name]; !ok {
			t.Errorf("%s: %s in the archive but not produced", path, name)
		}
	}
}
