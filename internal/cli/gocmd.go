package cli

import (
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/go-ddt/ddt/instrument"
	"github.com/spf13/cobra"
)

// GoOptions is what "ddt build", "ddt run" or "ddt test" was asked to do.
type GoOptions struct {
	IO   IO
	Verb string   // build, run or test
	Args []string // the go command's arguments, as the user wrote them
	Dir  string   // directory to run in; "" means the current one
	Env  []string // environment for the go command; nil means os.Environ()
}

// goVerbs describes the go commands that ddt wraps.
var goVerbs = map[string]struct {
	use, short, example string
	completion          cobra.ShellCompDirective
}{
	"build": {
		use:   "build [go build flags] [packages]",
		short: "Instrument the module, then go build with the overlay",
		example: `  ddt build ./cmd/server
  ddt build -o server -tags prod ./cmd/server
  ddt build -overlay=mine.json ./...     # your overlay is merged with ddt's`,
		completion: cobra.ShellCompDirectiveFilterDirs,
	},
	"run": {
		use:   "run [go run flags] package [arguments...]",
		short: "Instrument the module, then go run with the overlay",
		example: `  ddt run ./cmd/server -addr :8000
  ddt run -race . --verbose               # flags after the package go to the program`,
		completion: cobra.ShellCompDirectiveDefault,
	},
	"test": {
		use:   "test [go test flags] [packages] [test binary flags]",
		short: "Instrument the module, then go test with the overlay",
		example: `  ddt test ./...
  ddt test -run TestCheckout -v ./shop
  ddt test -count=1 ./... -args -update`,
		completion: cobra.ShellCompDirectiveFilterDirs,
	},
}

// NewCmdGo returns "ddt build", "ddt run" or "ddt test", by verb. runF,
// when non-nil, replaces the command's action.
func NewCmdGo(streams IO, verb string, runF func(*GoOptions) error) *cobra.Command {
	desc, ok := goVerbs[verb]
	if !ok {
		panic("ddt: no go command " + verb)
	}
	opts := &GoOptions{IO: streams, Verb: verb}
	cmd := &cobra.Command{
		Use:   desc.use,
		Short: desc.short,
		Long: fmt.Sprintf(`%[1]s instruments every package of the main module into .ddt/ (as
"ddt instrument" does), so marked functions in any package the build uses
are instrumented, then runs "go %[2]s" with -overlay added. It instruments
again whenever a file it read (the module's .go files, go.mod, go.sum, and
those of local replacements and workspace modules) changed in size, time or
mode, or the flags, the Go toolchain or ddt changed; otherwise it reuses the
overlay of the last run (.ddt/state.json says what that run read). When
only files of marked packages changed (and no marked package imports
them), it instruments just those packages again.

All arguments go to "go %[2]s" untouched. If you pass your own -overlay
(or set one in GOFLAGS), it is merged with ddt's; a file that both
replace is an error. The exit status is the go command's.

The module gets a requirement on github.com/go-ddt/ddt if it lacks one.`, "ddt "+verb, verb),
		Example: desc.example,
		// The go command's flags are not ddt's: they pass through as written.
		DisableFlagParsing:    true,
		DisableFlagsInUseLine: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 && isHelpFlag(args[0]) {
				return cmd.Help()
			}
			opts.Args = args
			if runF != nil {
				return runF(opts)
			}
			return runGo(opts)
		},
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return nil, desc.completion
		},
	}
	return cmd
}

func isHelpFlag(arg string) bool {
	return arg == "-h" || arg == "--help" || arg == "-help"
}

func runGo(opts *GoOptions) error {
	dir, err := absDir(opts.Dir)
	if err != nil {
		return err
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
	root, err := rootOf(goDir, ge["GOMOD"])
	if err != nil {
		return err
	}
	overlay, err := instrumentForGo(opts, args, root, ge)
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
	return runGoCommand(opts, goArgs)
}

// instrumentForGo instruments the module at root into its overlay, or
// finds that the last run's overlay still holds (see gocmd_reuse.go), and
// returns the overlay JSON's path.
func instrumentForGo(opts *GoOptions, args goArgs, root string, ge goEnvironment) (string, error) {
	key := reuseKey(ge, opts.Verb, args.loadFlags)
	scanned := time.Now()
	dirs := inputDirs(root, ge)
	stamps := stampInputs(dirs)
	if overlay, warnings, ok := reusableOverlay(root, key, stamps); ok {
		for _, w := range warnings {
			fmt.Fprintln(opts.IO.Err, w)
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
	if needsRuntime(res) {
		added, err := ensureRequirement(root, opts.Env, currentDDT(), opts.IO.Err)
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
	printWarnings(&warnings, res.Warnings)
	io.WriteString(opts.IO.Err, warnings.String())
	if len(res.Diagnostics) > 0 {
		printDiagnostics(opts.IO.Err, res.Diagnostics)
		return "", &ExitError{Code: 1}
	}
	overlay, err := writeOverlay(root, withBuildMark(res.Files, root, opts.Env, args.loadFlags))
	if err != nil {
		return "", err
	}
	// A run that left a marked package as it is is not the whole
	// instrumentation: the next one must not reuse it, whatever changed.
	if len(res.Uninstrumented) == 0 {
		saveState(root, runState{Key: key, Files: stamps, Overlay: overlay, Warnings: splitLines(warnings.String()), Packages: markedPackages(res)})
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

// moduleRoot returns the root directory of the module containing dir.
func moduleRoot(dir string, env []string) (string, error) {
	out, err := goOutput(dir, env, "env", "GOMOD")
	if err != nil {
		return "", err
	}
	return rootOf(dir, strings.TrimSpace(string(out)))
}

// rootOf returns the directory of gomod, go env GOMOD's answer in dir.
func rootOf(dir, gomod string) (string, error) {
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("%s is not inside a Go module (no go.mod found); ddt instruments the packages of a module", dir)
	}
	return filepath.Dir(gomod), nil
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
