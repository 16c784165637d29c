//go:build unix

package process

import (
	"os"
	"os/exec"
	"syscall"
)

var relayedSignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT}

// ExecGo replaces the process with "go args...". It returns only on error
// (or, where processes cannot be replaced, at once with nil: then run the
// go command as a child).
func ExecGo(args []string, env []string) error {
	path, err := exec.LookPath("go")
	if err != nil {
		return err
	}
	return Exec(path, args, env)
}

// Exec replaces the process with the program at path. It returns
// only on error.
func Exec(path string, args []string, env []string) error {
	if env == nil {
		env = os.Environ()
	}
	return syscall.Exec(path, append([]string{path}, args...), env)
}
