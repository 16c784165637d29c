package cli

import (
	"fmt"

	"github.com/go-ddt/ddt/internal/gobuild"
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

// runGo runs the go command with the module's instrumentation (see
// [gobuild.Run]).
func runGo(opts *GoOptions) error {
	return gobuild.Run(gobuild.Options{
		Verb: opts.Verb, Args: opts.Args, Dir: opts.Dir, Env: opts.Env,
		Stdin: opts.IO.In, Stdout: opts.IO.Out, Stderr: opts.IO.Err,
	})
}
