//go:build unix

package cli

import (
	"os"
	"os/exec"
	"syscall"
)

var relayedSignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT}

// execGo replaces the process with "go args...". It returns only on error.
func execGo(args []string, env []string) error {
	path, err := exec.LookPath("go")
	if err != nil {
		return err
	}
	return execProgram(path, args, env)
}

// execProgram replaces the process with the program at path. It returns
// only on error.
func execProgram(path string, args []string, env []string) error {
	if env == nil {
		env = os.Environ()
	}
	return syscall.Exec(path, append([]string{path}, args...), env)
}
