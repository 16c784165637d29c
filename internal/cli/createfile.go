package cli

import (
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Creating files and directories with the permissions the user's umask
// allows.
//
// os.CreateTemp and os.MkdirTemp create with 0600 and 0700, and a chmod
// afterwards would ignore the umask: a file ddt creates (.ddt/.gitignore,
// state.json, the overlay's copies, generated panels) gets perm less the
// umask, as os.WriteFile gives it, and a directory 0777 less the umask.

// createTemp creates a new file in dir for writing, named by pattern with
// a random string in place of its last "*" (or at its end), with the
// permissions perm less the umask.
func createTemp(dir, pattern string, perm fs.FileMode) (*os.File, error) {
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

// mkdirTemp creates a new directory in dir, named as createTemp names
// files, with the permissions 0777 less the umask, and returns its path.
func mkdirTemp(dir, pattern string) (string, error) {
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
