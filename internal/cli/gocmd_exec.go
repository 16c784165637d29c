package cli

import (
	"errors"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

// runGoCommand runs "go args..." with the invocation's streams and returns
// an [ExitError] with the go command's status when it fails.
//
// "ddt run" replaces ddt with the go command when it can (Unix, and the
// streams are the process's own), so the program's signals, terminal and
// exit status are exactly those of "go run". Otherwise ddt waits for the go
// command and relays the signals it receives to it, so a SIGINT or SIGTERM
// sent to ddt alone (by a supervisor, not the terminal) still reaches it.
func runGoCommand(opts *GoOptions, args []string) error {
	if opts.Verb == "run" && opts.Dir == "" && ownsProcessStdio(opts.IO) {
		if err := execGo(args, opts.Env); err != nil {
			return err
		}
		// execGo returns only when exec is not available here.
	}
	cmd := exec.Command("go", args...)
	cmd.Dir = opts.Dir
	cmd.Env = opts.Env
	cmd.Stdin = opts.IO.In
	cmd.Stdout = opts.IO.Out
	cmd.Stderr = opts.IO.Err
	return runRelayingSignals(cmd)
}

// ownsProcessStdio reports whether streams are the process's own standard
// files, so that a replacement process would inherit them.
func ownsProcessStdio(streams IO) bool {
	in, _ := streams.In.(*os.File)
	out, _ := streams.Out.(*os.File)
	errOut, _ := streams.Err.(*os.File)
	return in == os.Stdin && out == os.Stdout && errOut == os.Stderr
}

// runRelayingSignals runs cmd, passing the signals ddt receives meanwhile
// on to it. Catching them also keeps ddt alive until the command exits,
// so its status is the one reported. A terminal's Ctrl-C reaches the whole
// process group, so the go command may see SIGINT twice; the go command
// treats a repeated interrupt like the first.
func runRelayingSignals(cmd *exec.Cmd) error {
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
