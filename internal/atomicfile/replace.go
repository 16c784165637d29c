package atomicfile

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
)

// A Replacement is new content for an existing file.
type Replacement struct {
	Path     string // the file; a symlink is followed
	Original []byte // its content when it was read
	New      []byte
}

// stagedFile is a new version of a file, written beside it and waiting to
// be renamed over it.
type stagedFile struct {
	path string // the file to replace (symlinks resolved)
	tmp  string
	file Replacement
}

// Replace replaces each file's content with its New, keeping its
// permissions. Every new version is written to a temporary file beside the
// original first; only when all of them are written, and no original has
// changed since it was read, are they renamed over the originals. So a full
// disk, a permission problem or a concurrent edit leaves every file as it
// was.
func Replace(files []Replacement) error {
	var staged []stagedFile
	discard := func() {
		for _, s := range staged {
			os.Remove(s.tmp)
		}
	}
	for _, f := range files {
		s, err := stage(f)
		if err != nil {
			discard()
			return err
		}
		staged = append(staged, s)
	}
	for _, s := range staged {
		now, err := os.ReadFile(s.path)
		if err != nil || !bytes.Equal(now, s.file.Original) {
			discard()
			return fmt.Errorf("%s changed while ddt was working on it; nothing was written, run ddt again", s.file.Path)
		}
	}
	for i, s := range staged {
		if err := os.Rename(s.tmp, s.path); err != nil {
			// Renames within one directory practically never fail after
			// the file was created there; say exactly what state remains.
			done := make([]string, 0, i)
			for _, d := range staged[:i] {
				done = append(done, d.file.Path)
			}
			discard()
			return fmt.Errorf("replacing %s: %v (already rewritten: %q)", s.file.Path, err, done)
		}
	}
	return nil
}

// stage writes f.New to a temporary file in the directory of the file
// it replaces, with the original's permissions.
func stage(f Replacement) (stagedFile, error) {
	path, err := filepath.EvalSymlinks(f.Path)
	if err != nil {
		return stagedFile{}, err
	}
	info, err := os.Stat(path)
	if err != nil {
		return stagedFile{}, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".ddt-")
	if err != nil {
		return stagedFile{}, err
	}
	_, err = tmp.Write(f.New)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), info.Mode().Perm())
	}
	if err != nil {
		os.Remove(tmp.Name())
		return stagedFile{}, fmt.Errorf("writing %s: %w", f.Path, err)
	}
	return stagedFile{path: path, tmp: tmp.Name(), file: f}, nil
}
