package atomicfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeTestFile(t *testing.T, path, content string, perm os.FileMode) Replacement {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), perm); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, perm); err != nil { // past the umask
		t.Fatal(err)
	}
	return Replacement{Path: path, Original: []byte(content), New: []byte(content + "// new\n")}
}

func TestReplaceKeepsModes(t *testing.T) {
	dir := t.TempDir()
	a := writeTestFile(t, filepath.Join(dir, "a.go"), "package a\n", 0o640)
	b := writeTestFile(t, filepath.Join(dir, "b.go"), "package a\n", 0o755)
	if err := Replace([]Replacement{a, b}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct {
		file Replacement
		perm os.FileMode
	}{{a, 0o640}, {b, 0o755}} {
		got, _ := os.ReadFile(f.file.Path)
		if string(got) != string(f.file.New) {
			t.Errorf("%s = %q, want %q", f.file.Path, got, f.file.New)
		}
		info, _ := os.Stat(f.file.Path)
		if info.Mode().Perm() != f.perm {
			t.Errorf("%s mode %v, want %v", f.file.Path, info.Mode().Perm(), f.perm)
		}
	}
	assertOnlyFiles(t, dir, "a.go", "b.go")
}

func TestReplaceAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	a := writeTestFile(t, filepath.Join(dir, "a.go"), "package a\n", 0o644)
	missing := Replacement{Path: filepath.Join(dir, "gone", "b.go"), Original: []byte("x"), New: []byte("y")}
	if err := Replace([]Replacement{a, missing}); err == nil {
		t.Fatal("Replace succeeded with a missing file")
	}
	if got, _ := os.ReadFile(a.Path); string(got) != string(a.Original) {
		t.Errorf("a.go = %q after a failed write, want it unchanged", got)
	}
	assertOnlyFiles(t, dir, "a.go")
}

func TestReplaceRefusesConcurrentEdit(t *testing.T) {
	dir := t.TempDir()
	a := writeTestFile(t, filepath.Join(dir, "a.go"), "package a\n", 0o644)
	b := writeTestFile(t, filepath.Join(dir, "b.go"), "package a\n", 0o644)
	const edited = "package a // saved by an editor meanwhile\n"
	if err := os.WriteFile(b.Path, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Replace([]Replacement{a, b})
	if err == nil || !strings.Contains(err.Error(), "changed while ddt was working on it") {
		t.Fatalf("error = %v, want one about b.go changing", err)
	}
	if got, _ := os.ReadFile(a.Path); string(got) != string(a.Original) {
		t.Errorf("a.go was written although b.go changed")
	}
	if got, _ := os.ReadFile(b.Path); string(got) != edited {
		t.Errorf("the editor's version of b.go was overwritten")
	}
	assertOnlyFiles(t, dir, "a.go", "b.go")
}

func TestReplaceFollowsSymlinks(t *testing.T) {
	dir := t.TempDir()
	target := writeTestFile(t, filepath.Join(dir, "real.go"), "package a\n", 0o644)
	link := filepath.Join(dir, "link.go")
	if err := os.Symlink("real.go", link); err != nil {
		t.Skip("symlinks unavailable:", err)
	}
	f := Replacement{Path: link, Original: target.Original, New: target.New}
	if err := Replace([]Replacement{f}); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Errorf("link.go is no longer a symlink")
	}
	if got, _ := os.ReadFile(target.Path); string(got) != string(target.New) {
		t.Errorf("real.go = %q, want the new content", got)
	}
}

// assertOnlyFiles fails unless dir holds exactly names: no temporary
// files are left behind.
func assertOnlyFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, " ") != strings.Join(names, " ") {
		t.Errorf("%s holds %v, want %v", dir, got, names)
	}
}

func TestWriteFiles(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.txt")
	if err := os.WriteFile(a, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := WriteFiles([]NewFile{{Path: a, Data: []byte("new")}, {Path: filepath.Join(dir, "b.txt"), Data: []byte("b")}}, 0o666)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(a); string(got) != "new" {
		t.Errorf("a.txt = %q", got)
	}
	assertOnlyFiles(t, dir, "a.txt", "b.txt")

	// One file that cannot be written: none is.
	err = WriteFiles([]NewFile{{Path: a, Data: []byte("newer")}, {Path: filepath.Join(dir, "gone", "c.txt")}}, 0o666)
	if err == nil {
		t.Fatal("WriteFiles succeeded into a missing directory")
	}
	if got, _ := os.ReadFile(a); string(got) != "new" {
		t.Errorf("a.txt = %q after a failed write, want it unchanged", got)
	}
	assertOnlyFiles(t, dir, "a.txt", "b.txt")
}
