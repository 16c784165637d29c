// Package atomicfile writes files so that a failure leaves the old ones as
// they were: [WriteFile] writes one beside its destination and renames it
// over; [WriteFiles] (new files, generated panels) and [Replace] (files
// rewritten in place, keeping their permissions, refusing if one changed
// meanwhile) do that for several files at once, all or none; and
// [CheckWritable] probes directories before anything is changed.
//
// Everything it creates gets the permissions the user's umask allows:
// os.CreateTemp and os.MkdirTemp create with 0600 and 0700, and a chmod
// afterwards would ignore the umask, so [CreateTemp] and [MkdirTemp] give
// a file perm less the umask, as os.WriteFile does, and a directory 0777
// less the umask.
package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// CreateTemp creates a new file in dir for writing, named by pattern with
// a random string in place of its last "*" (or at its end), with the
// permissions perm less the umask.
func CreateTemp(dir, pattern string, perm fs.FileMode) (*os.File, error) {
	prefix, suffix := splitPattern(pattern)
	for range 10000 {
		name := filepath.Join(dir, prefix+strconv.FormatUint(uint64(rand.Uint32()), 10)+suffix)
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, perm)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, err
	}
	return nil, &fs.PathError{Op: "createtemp", Path: filepath.Join(dir, pattern), Err: fs.ErrExist}
}

// MkdirTemp creates a new directory in dir, named as CreateTemp names
// files, with the permissions 0777 less the umask, and returns its path.
func MkdirTemp(dir, pattern string) (string, error) {
	prefix, suffix := splitPattern(pattern)
	for range 10000 {
		name := filepath.Join(dir, prefix+strconv.FormatUint(uint64(rand.Uint32()), 10)+suffix)
		err := os.Mkdir(name, 0o777)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return name, err
	}
	return "", &fs.PathError{Op: "mkdirtemp", Path: filepath.Join(dir, pattern), Err: fs.ErrExist}
}

func splitPattern(pattern string) (prefix, suffix string) {
	if i := strings.LastIndexByte(pattern, '*'); i >= 0 {
		return pattern[:i], pattern[i+1:]
	}
	return pattern, ""
}

// WriteFile writes data to a temporary file beside path, created with perm
// less the umask, and renames it over path.
func WriteFile(path string, data []byte, perm fs.FileMode) error {
	tmp, err := CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*", perm)
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// NewFile is the content of a file to create or overwrite.
type NewFile struct {
	Path string
	Data []byte
}

// WriteFiles writes every file to a temporary file beside it first, with
// perm less the umask, and renames them only when all were written, so a
// failure leaves nothing half-done. The directories must exist.
func WriteFiles(files []NewFile, perm fs.FileMode) error {
	tmps := make([]string, len(files))
	cleanup := func() {
		for _, t := range tmps {
			if t != "" {
				os.Remove(t)
			}
		}
	}
	for i, f := range files {
		tmp, err := CreateTemp(filepath.Dir(f.Path), "."+filepath.Base(f.Path)+".ddt-*", perm)
		if err != nil {
			cleanup()
			return err
		}
		tmps[i] = tmp.Name()
		_, err = tmp.Write(f.Data)
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			cleanup()
			return fmt.Errorf("writing %s: %w", f.Path, err)
		}
	}
	for i, f := range files {
		if err := os.Rename(tmps[i], f.Path); err != nil {
			cleanup()
			return fmt.Errorf("writing %s: %w", f.Path, err)
		}
		tmps[i] = ""
	}
	return nil
}
