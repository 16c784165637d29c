package corpus

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/go-ddt/ddt/internal/pkgdir"
)

// CopyTree copies the regular files under src to dst, writable by their
// owner (module cache trees are read-only).
func CopyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, info.Mode().Perm()|0o200)
	})
}

// TreeMarks sums up what MarkTree did.
type TreeMarks struct {
	Files   int            // files that got at least one directive
	Funcs   int            // functions and methods marked
	Skipped []string       // functions left unmarked, and why
	PerFile map[string]int // functions marked, by path relative to the root
}

// MarkTree marks every function with a body in every non-test .go file
// of the module rooted at root, as the go command sees the module: it
// skips testdata, vendor, directories starting with "." or "_", and nested
// modules.
func MarkTree(root string) (*TreeMarks, error) {
	files, err := sourceFiles(root)
	if err != nil {
		return nil, err
	}
	tm := &TreeMarks{PerFile: map[string]int{}}
	for _, rel := range files {
		path := filepath.Join(root, rel)
		src, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		m, err := Mark(rel, src)
		if err != nil {
			return nil, err
		}
		tm.Skipped = append(tm.Skipped, m.Skipped...)
		if m.Funcs == 0 {
			continue
		}
		if err := os.WriteFile(path, m.Src, 0o644); err != nil {
			return nil, err
		}
		tm.Files++
		tm.Funcs += m.Funcs
		tm.PerFile[rel] = m.Funcs
	}
	return tm, nil
}

// sourceFiles returns the non-test .go files of the module at root,
// relative to it.
func sourceFiles(root string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path == root {
				return nil
			}
			if pkgdir.Skip(name) {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") && d.Type().IsRegular() {
			rel, err := filepath.Rel(root, path)
			if err != nil {
				return err
			}
			files = append(files, rel)
		}
		return nil
	})
	return files, err
}

// Snapshot is the content of every regular file of a tree, by slash path
// relative to its root.
type Snapshot map[string][]byte

// TakeSnapshot reads the tree at root, leaving out the paths skip accepts
// (given slash paths relative to root; a directory's path skips all of
// it).
func TakeSnapshot(root string, skip func(rel string) bool) (Snapshot, error) {
	s := Snapshot{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if rel != "." && skip != nil && skip(rel) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		s[rel] = data
		return nil
	})
	return s, err
}

// Diff lists the differences from want to got: files missing, added, or
// with other bytes (with the first differing line).
func (got Snapshot) Diff(want Snapshot) []string {
	var diffs []string
	for rel, w := range want {
		g, ok := got[rel]
		switch {
		case !ok:
			diffs = append(diffs, rel+": missing")
		case !bytes.Equal(g, w):
			diffs = append(diffs, fmt.Sprintf("%s: differs: %s", rel, firstDifference(w, g)))
		}
	}
	for rel := range got {
		if _, ok := want[rel]; !ok {
			diffs = append(diffs, rel+": unexpected file")
		}
	}
	sort.Strings(diffs)
	return diffs
}

// firstDifference describes the first line where got differs from want.
func firstDifference(want, got []byte) string {
	wl, gl := bytes.SplitAfter(want, []byte("\n")), bytes.SplitAfter(got, []byte("\n"))
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g []byte
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if !bytes.Equal(w, g) {
			return fmt.Sprintf("line %d: want %q, got %q", i+1, w, g)
		}
	}
	return fmt.Sprintf("same lines, %d vs %d bytes", len(want), len(got))
}

// Unmarked returns s with Unmark applied to every .go file.
func (s Snapshot) Unmarked() Snapshot {
	out := Snapshot{}
	for rel, data := range s {
		if strings.HasSuffix(rel, ".go") {
			data = Unmark(data)
		}
		out[rel] = data
	}
	return out
}
