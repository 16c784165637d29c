//go:build unix

package process

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"syscall"
	"testing"
)

// A SIGTERM sent to ddt alone reaches the command it runs, and ddt
// reports that command's own exit status.
func TestRunRelayingSignals(t *testing.T) {
	cmd := exec.Command("sh", "-c", `trap 'exit 7' TERM; echo ready; while :; do sleep 0.05; done`)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- RunRelayingSignals(cmd) }()
	if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || line != "ready\n" {
		t.Fatalf("child said %q, %v", line, err)
	}
	// The child is running, so the relay is in place: the signal goes to
	// this process, which must survive it and pass it on.
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err = <-done
	var exit *ExitError
	if !errors.As(err, &exit) || exit.Code != 7 {
		t.Fatalf("RunRelayingSignals = %v, want exit status 7 from the trap", err)
	}
}

func TestExitStatus(t *testing.T) {
	err := exitStatus(exec.Command("sh", "-c", "exit 3").Run())
	var exit *ExitError
	if !errors.As(err, &exit) || exit.Code != 3 {
		t.Errorf("exit 3 gave %#v", err)
	}
	err = exitStatus(exec.Command("sh", "-c", "kill -KILL $$").Run())
	if !errors.As(err, &exit) || exit.Code != 128+9 {
		t.Errorf("SIGKILL gave %#v, want status 137", err)
	}
	if err := exitStatus(nil); err != nil {
		t.Errorf("success gave %v", err)
	}
}
