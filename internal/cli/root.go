package cli

import (
	"errors"
	"fmt"
	"io"

	"github.com/go-ddt/ddt/internal/process"
	"github.com/spf13/cobra"
)

// ExitError carries a specific exit status out of a command. Commands return
// it when the status itself is the answer (--check finding stale files);
// its message, if any, is printed first. A program that ddt runs (the go
// command, the demo) reports its own failure, and its status comes back as
// a [process.ExitError].
type ExitError struct {
	Code int
	Err  error // may be nil: then nothing is printed
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit status %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// IO is the standard streams of one CLI invocation.
type IO struct {
	In       io.Reader
	Out, Err io.Writer
}

// NewRootCmd returns the ddt command tree.
func NewRootCmd(streams IO) *cobra.Command {
	root := &cobra.Command{
		Use:   "ddt",
		Short: "A debug toolbar for Go web apps, built by code generation",
		Long: `ddt brings the Django Debug Toolbar way of working to Go.

Mark a function with a directive such as //ddt:flag, build with "ddt build",
and every call of it shows up in the toolbar of the request that made it.`,
		Example: `  ddt demo                      # a demo app with the toolbar on 127.0.0.1:8000
  ddt instrument ./...          # instrument into .ddt/ and print the go command
  ddt build ./cmd/server        # instrument and go build in one step`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(streams.In)
	root.SetOut(streams.Out)
	root.SetErr(streams.Err)
	root.AddCommand(
		NewCmdVersion(streams),
		NewCmdInstrument(streams, nil),
		NewCmdGo(streams, "build", nil),
		NewCmdGo(streams, "run", nil),
		NewCmdGo(streams, "test", nil),
		NewCmdDemo(streams, nil),
		NewCmdPanelgen(streams, nil),
		NewCmdMCP(streams),
	)
	return root
}

// Main runs the CLI with args and returns the process exit status.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := NewRootCmd(IO{In: stdin, Out: stdout, Err: stderr})
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return 0
	}
	var exit *ExitError
	if errors.As(err, &exit) {
		if exit.Err != nil {
			fmt.Fprintln(stderr, "ddt:", exit.Err)
		}
		return exit.Code
	}
	// The go command or a program ddt ran failed; it said why.
	var status *process.ExitError
	if errors.As(err, &status) {
		return status.Code
	}
	fmt.Fprintln(stderr, "ddt:", err)
	return 1
}
