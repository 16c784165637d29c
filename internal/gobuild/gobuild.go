package gobuild

import (
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/go-ddt/ddt/instrument"
	"github.com/go-ddt/ddt/internal/gomod"
	"github.com/go-ddt/ddt/internal/process"
)

// Options is a go command to run with the module's instrumentation.
type Options struct {
	Verb string   // build, run or test
	Args []string // the go command's arguments, as the user wrote them
	Dir  string   // directory to run in; "" means the current one
	Env  []string // environment for the go command; nil means os.Environ()

	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// Run instruments the module of opts.Dir into its overlay (or reuses the
// last one), then runs "go <verb>" with it and the user's arguments. A
// failing go command's status is a [process.ExitError]; so is status 1
// after diagnostics of the user's directives, printed on opts.Stderr.
func Run(opts Options) error {
	dir := opts.Dir
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return err
		}
		dir = wd
	} else if abs, err := filepath.Abs(dir); err != nil {
		return err
	} else {
		dir = abs
	}
	args := parseGoArgs(opts.Verb, opts.Args)
	goDir := dir
	if args.chdir != "" {
		goDir = absAgainst(dir, args.chdir)
	}
	ge, err := cachedGoEnv(goDir, opts.Env)
	if err != nil {
		return err
	}
	root, err := gomod.RootOf(goDir, ge["GOMOD"])
	if err != nil {
		return err
	}
	overlay, err := instrumentForGo(&opts, args, root, ge)
	if err != nil {
		return err
	}
	theirs := args.overlay
	if theirs == "" {
		theirs = goflagsOverlay(getenv(opts.Env, "GOFLAGS"))
	}
	if theirs != "" {
		merged := filepath.Join(root, ddtDirName, mergedJSONName)
		if err := mergeOverlays(overlay, theirs, goDir, merged); err != nil {
			return err
		}
		overlay = merged
	}

	goArgs := []string{opts.Verb}
	if args.chdir != "" {
		goArgs = append(goArgs, "-C", args.chdir) // go requires -C first
	}
	goArgs = append(goArgs, "-overlay="+overlay)
	goArgs = append(goArgs, args.passThrough...)
	return runGoCommand(&opts, goArgs)
}

// runGoCommand runs "go args..." with the invocation's streams and returns
// a [process.ExitError] with the go command's status when it fails.
//
// "ddt run" replaces ddt with the go command when it can (Unix, and the
// streams are the process's own), so the program's signals, terminal and
// exit status are exactly those of "go run". Otherwise ddt waits for the go
// command and relays the signals it receives to it, so a SIGINT or SIGTERM
// sent to ddt alone (by a supervisor, not the terminal) still reaches it.
func runGoCommand(opts *Options, args []string) error {
	if opts.Verb == "run" && opts.Dir == "" && process.OwnsStdio(opts.Stdin, opts.Stdout, opts.Stderr) {
		if err := process.ExecGo(args, opts.Env); err != nil {
			return err
		}
		// ExecGo returns only when exec is not available here.
	}
	cmd := exec.Command("go", args...)
	cmd.Dir = opts.Dir
	cmd.Env = opts.Env
	cmd.Stdin = opts.Stdin
	cmd.Stdout = opts.Stdout
	cmd.Stderr = opts.Stderr
	return process.RunRelayingSignals(cmd)
}

// instrumentForGo instruments the module at root into its overlay, or
// finds that the last run's overlay still holds (see reuse.go), and
// returns the overlay JSON's path.
func instrumentForGo(opts *Options, args goArgs, root string, ge goEnvironment) (string, error) {
	key := reuseKey(ge, opts.Verb, args.loadFlags)
	scanned := time.Now()
	dirs := inputDirs(root, ge)
	stamps := stampInputs(dirs)
	if overlay, warnings, ok := reusableOverlay(root, key, stamps); ok {
		for _, w := range warnings {
			fmt.Fprintln(opts.Stderr, w)
		}
		return overlay, nil
	}
	// Racy files are hashed now, before instrumentation reads them: a
	// change after this is then seen next time, whatever its stamp.
	hashRacy(stamps, scanned)
	if overlay, ok := instrumentChanged(opts, root, key, stamps, ge, args.loadFlags); ok {
		return overlay, nil
	}
	forgetState(root)
	instrumentRuns.Add(1)
	cfg := instrument.Config{
		Dir:        root,
		Patterns:   []string{"./..."},
		BuildFlags: args.loadFlags,
		Env:        opts.Env,
		Tests:      opts.Verb == "test",
		Mode:       instrument.Overlay,
	}
	res, err := instrument.Run(cfg)
	if err != nil {
		return "", err
	}
	if gomod.NeedsRequirement(res) {
		added, err := gomod.EnsureRequirement(root, opts.Env, gomod.Current(), opts.Stderr)
		if err != nil {
			return "", err
		}
		if added {
			// The requirement may have changed go.mod and go.sum, and
			// added a replacement by a directory, and only that: a
			// source file stamped again here could have changed after
			// instrumentation read it.
			restamp(stamps, filepath.Join(root, "go.mod"), filepath.Join(root, "go.sum"))
			maps.Copy(stamps, stampInputs(slices.DeleteFunc(inputDirs(root, ge), func(d string) bool { return slices.Contains(dirs, d) })))
			// Packages that import ddt's own (the toolbar) could not be
			// type-checked without it: instrument again.
			if res, err = instrument.Run(cfg); err != nil {
				return "", err
			}
		}
	}
	var warnings strings.Builder
	PrintWarnings(&warnings, res.Warnings)
	io.WriteString(opts.Stderr, warnings.String())
	if len(res.Diagnostics) > 0 {
		PrintDiagnostics(opts.Stderr, res.Diagnostics)
		return "", &process.ExitError{Code: 1}
	}
	overlay, err := WriteOverlay(root, WithBuildMark(res.Files, root, opts.Env, args.loadFlags))
	if err != nil {
		return "", err
	}
	// A run that left a marked package as it is is not the whole
	// instrumentation: the next one must not reuse it, whatever changed.
	if len(res.Uninstrumented) == 0 {
		saveState(root, runState{Key: key, Files: stamps, Overlay: overlay, Warnings: splitLines(warnings.String()), Packages: markedPackages(res), Rules: res.Rules})
	}
	return overlay, nil
}

// instrumentRuns counts the runs that did not reuse the last overlay as it
// was (those that instrumented only changed packages too), for tests.
var instrumentRuns atomic.Int64

func splitLines(s string) []string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// getenv looks key up in env, or in the process environment when env is nil.
func getenv(env []string, key string) string {
	if env == nil {
		return os.Getenv(key)
	}
	value := ""
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			value = v // the last one wins, as in os/exec
		}
	}
	return value
}

// PrintDiagnostics writes one file:line:col: message line per diagnostic.
func PrintDiagnostics(w io.Writer, diags []instrument.Diagnostic) {
	for _, d := range diags {
		fmt.Fprintln(w, d.String())
	}
}

// PrintWarnings reports the packages instrumentation left alone. The go
// command will report their errors too; these lines say why they are not
// instrumented.
func PrintWarnings(w io.Writer, warnings []instrument.Diagnostic) {
	for _, d := range warnings {
		if d.Pos.Filename == "" {
			fmt.Fprintf(w, "ddt: warning: %s\n", d.Message)
		} else {
			fmt.Fprintf(w, "ddt: warning: %s\n", d.String())
		}
	}
}
