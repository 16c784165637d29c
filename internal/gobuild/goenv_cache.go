package gobuild

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
)

// Remembering go env.
//
// Every ddt build, run and test asks go env where the module is and what
// the toolchain and environment are. Starting the go command for that costs
// tens of milliseconds, a sixth of a go build that finds everything in its
// cache. The answer is a function of a few inputs that ddt can read in well
// under a millisecond: the directory, the environment variables the go
// command reads, the go binary, its go.env and the user's go env file, the
// C compiler found on PATH (the default of CGO_ENABLED), and the go.mod and
// go.work files of the directory and its parents. So ddt keeps the last
// answer for each directory, with a hash of those inputs, in the user's
// cache directory, and asks go env again only when they differ.

// goEnvCacheDir is where the answers are kept, one file per directory; ""
// when the user has no cache directory, and then go env always runs.
func goEnvCacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "ddt", "goenv")
}

// cachedGoEnv returns go env's answer for goEnvVars in dir, from the
// cache when its inputs are those of the cached answer.
func cachedGoEnv(dir string, env []string) (goEnvironment, error) {
	cacheDir := goEnvCacheDir()
	if cacheDir == "" {
		return readGoEnv(dir, env)
	}
	key := goEnvKey(dir, env)
	sum := sha256.Sum256([]byte(dir))
	path := filepath.Join(cacheDir, hex.EncodeToString(sum[:12])+".json")
	var cached struct {
		Key string        `json:"key"`
		Env goEnvironment `json:"env"`
	}
	if data, err := os.ReadFile(path); err == nil && json.Unmarshal(data, &cached) == nil && cached.Key == key && cached.Env != nil {
		return cached.Env, nil
	}
	ge, err := readGoEnv(dir, env)
	if err != nil {
		return nil, err
	}
	cached.Key, cached.Env = key, ge
	if data, err := json.Marshal(cached); err == nil && os.MkdirAll(cacheDir, 0o777) == nil {
		// Written whole to a temporary file and renamed, so that a
		// concurrent ddt never reads half an answer.
		if tmp, err := os.CreateTemp(cacheDir, ".tmp-*"); err == nil {
			_, werr := tmp.Write(data)
			if cerr := tmp.Close(); werr == nil && cerr == nil {
				os.Rename(tmp.Name(), path)
			}
			os.Remove(tmp.Name())
		}
	}
	return ge, nil
}

// goEnvKey hashes what go env's answer for goEnvVars depends on.
func goEnvKey(dir string, env []string) string {
	h := sha256.New()
	write := func(parts ...string) {
		for _, p := range parts {
			h.Write([]byte(p))
			h.Write([]byte{0})
		}
	}
	stat := func(path string) {
		if info, err := os.Stat(path); err == nil {
			write(path, strconv.FormatInt(info.Size(), 10), strconv.FormatInt(info.ModTime().UnixNano(), 10), info.Mode().String())
		} else {
			write(path, "-")
		}
	}
	write("v1", dir)
	if env == nil {
		env = os.Environ()
	}
	// In their order: of two values of one variable, the last one wins.
	write(slices.DeleteFunc(slices.Clone(env), func(kv string) bool { return !goEnvInput(strings.SplitN(kv, "=", 2)[0]) })...)
	// The go binary, its GOROOT's go.env, and the user's go env file.
	goBin, err := lookPathIn("go", getenv(env, "PATH"))
	write("go", goBin)
	if err == nil {
		stat(goBin)
		if real, err := filepath.EvalSymlinks(goBin); err == nil {
			write(real)
			stat(filepath.Join(filepath.Dir(filepath.Dir(real)), "go.env"))
		}
	}
	if file := getenv(env, "GOENV"); file != "" {
		stat(file)
	} else if config, err := os.UserConfigDir(); err == nil {
		stat(filepath.Join(config, "go", "env"))
	}
	// The C compilers the go command would find (CGO_ENABLED's default).
	for _, cc := range []string{"gcc", "clang"} {
		p, _ := lookPathIn(cc, getenv(env, "PATH"))
		write(cc, p)
	}
	// go.mod and go.work of dir and of every parent.
	for d := dir; ; d = filepath.Dir(d) {
		stat(filepath.Join(d, "go.mod"))
		stat(filepath.Join(d, "go.work"))
		if filepath.Dir(d) == d {
			break
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// goEnvInput reports whether the environment variable name is one that
// go env's answer can depend on.
func goEnvInput(name string) bool {
	if strings.HasPrefix(name, "GO") || strings.HasPrefix(name, "CGO_") {
		return true
	}
	switch name {
	case "PATH", "HOME", "XDG_CONFIG_HOME", "AppData", "home", "CC", "CXX":
		return true
	}
	return false
}

// lookPathIn is exec.LookPath with the PATH of the go command's
// environment, which is not always ddt's.
func lookPathIn(file, path string) (string, error) {
	if runtime.GOOS == "windows" {
		file += ".exe"
	}
	for _, dir := range filepath.SplitList(path) {
		if dir == "" {
			dir = "."
		}
		p := filepath.Join(dir, file)
		if info, err := os.Stat(p); err == nil && !info.IsDir() && info.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", exec.ErrNotFound
}
