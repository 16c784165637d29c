package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

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
are instrumented, then runs "go %[2]s" with -overlay added. Instrumenting
first every time means a stale copy never hides an edit.

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
	root, err := moduleRoot(goDir, opts.Env)
	if err != nil {
		return err
	}
	res, err := instrument.Run(instrument.Config{
		Dir:        root,
		Patterns:   []string{"./..."},
		BuildFlags: args.loadFlags,
		Env:        opts.Env,
		Tests:      opts.Verb == "test",
		Mode:       instrument.Overlay,
	})
	if err != nil {
		return err
	}
	printWarnings(opts.IO.Err, res.Warnings)
	if len(res.Diagnostics) > 0 {
		printDiagnostics(opts.IO.Err, res.Diagnostics)
		return &ExitError{Code: 1}
	}
	if len(changedFiles(res.Files)) > 0 {
		if err := ensureRequirement(root, opts.Env, currentDDT(), opts.IO.Err); err != nil {
			return err
		}
	}
	overlay, err := writeOverlay(root, res.Files)
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

// moduleRoot returns the root directory of the module containing dir.
func moduleRoot(dir string, env []string) (string, error) {
	out, err := goOutput(dir, env, "env", "GOMOD")
	if err != nil {
		return "", err
	}
	gomod := strings.TrimSpace(string(out))
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
