// Package process runs the programs ddt hands over to: the go command and
// the demo. [Exec] replaces ddt with one where the system allows it;
// [RunRelayingSignals] otherwise runs it as a child that receives the
// signals ddt gets; either way the exit status is the program's own
// ([ExitError]). [GoOutput] runs the go command for an answer.
package process

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
)

// ExitError is the exit status of a program that ran and failed. What went
// wrong is the program's to say, on its standard error: the error has no
// message of its own.
type ExitError struct {
	Code int
}

func (e *ExitError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// OwnsStdio reports whether in, out and errOut are the process's own
// standard files, so that a program that replaces it ([Exec]) inherits
// them.
func OwnsStdio(in io.Reader, out, errOut io.Writer) bool {
	i, _ := in.(*os.File)
	o, _ := out.(*os.File)
	e, _ := errOut.(*os.File)
	return i == os.Stdin && o == os.Stdout && e == os.Stderr
}

// RunRelayingSignals runs cmd, passing the signals ddt receives meanwhile
// on to it. Catching them also keeps ddt alive until the command exits,
// so its status is the one reported. A terminal's Ctrl-C reaches the whole
// process group, so the go command may see SIGINT twice; the go command
// treats a repeated interrupt like the first.
func RunRelayingSignals(cmd *exec.Cmd) error {
	signals := make(chan os.Signal, 8)
	signal.Notify(signals, relayedSignals...)
	defer signal.Stop(signals)
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	for {
		select {
		case sig := <-signals:
			_ = cmd.Process.Signal(sig) // fails only if it already exited
		case err := <-done:
			return exitStatus(err)
		}
	}
}

// exitStatus turns a finished command's error into an [ExitError] with its
// status; a command killed by a signal gets 128+signal, as in a shell.
// Other errors (the command could not start) are returned as they are.
func exitStatus(err error) error {
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) {
		return err
	}
	if ws, ok := exitErr.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return &ExitError{Code: 128 + int(ws.Signal())}
	}
	return &ExitError{Code: exitErr.ExitCode()}
}

// GoOutput runs the go command in dir with env (nil: this process's) and
// returns its standard output; its standard error becomes part of the
// error.
func GoOutput(dir string, env []string, args ...string) ([]byte, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return nil, fmt.Errorf("go %s: %s", strings.Join(args, " "), strings.TrimSpace(stderr.String()))
		}
		return nil, fmt.Errorf("go %s: %v", strings.Join(args, " "), err)
	}
	return out, nil
}
