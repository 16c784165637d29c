package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/go-ddt/ddt/instrument"
	"github.com/go-ddt/ddt/internal/atomicfile"
	"github.com/go-ddt/ddt/internal/gobuild"
	"github.com/go-ddt/ddt/internal/gomod"
	"github.com/spf13/cobra"
)

// InstrumentOptions is what "ddt instrument" was asked to do.
type InstrumentOptions struct {
	IO       IO
	Dir      string   // directory to work in; "" means the current one
	Env      []string // environment for the go command; nil means os.Environ()
	Patterns []string // package patterns; none means ./...
	Tags     string   // comma-separated build tags, as go build -tags
	Tests    bool     // include test files

	Write bool // -w: rewrite the files in place
	Strip bool // --strip: remove in-place instrumentation
	Check bool // --check: fail if in-place instrumentation is missing or stale
	Diff  bool // -d: print a unified diff, write nothing
	List  bool // -l: list the files that would change, write nothing
	JSON  bool // --json: machine-readable report on stdout
}

// NewCmdInstrument returns "ddt instrument". runF, when non-nil, replaces
// the command's action (tests use it to see the parsed options).
func NewCmdInstrument(streams IO, runF func(*InstrumentOptions) error) *cobra.Command {
	opts := &InstrumentOptions{IO: streams}
	cmd := &cobra.Command{
		Use:   "instrument [flags] [packages]",
		Short: "Turn //ddt: directives into toolbar events",
		Long: `Instrument rewrites every function marked with a //ddt: directive
(//ddt:flag, //ddt:trace, or any //ddt:<kind>) in the named packages
(default ./...) so that each call becomes an event of the request that made it.

By default the working tree is untouched: instrumented copies are written
under .ddt/ at the module root, with an overlay file for go build -overlay,
and the go command to use is printed. Every original line keeps its line
number, so panics and compiler errors point at your files.

With -w the files are rewritten in place (running it again changes nothing);
--strip removes exactly what -w added. -d, -l and --check only report and
write nothing: they compare the files with what -w would write (or --strip,
when given).

A module that does not yet require github.com/go-ddt/ddt gets the
requirement, and ddt says what it changed in go.mod.

Problems with directives are reported as file:line:col: message, and then
nothing is written.`,
		Example: `  ddt instrument                    # into .ddt/, prints: go build -overlay=... ./...
  ddt instrument ./cmd/server       # only these packages
  ddt instrument --tags integration # honour build tags
  ddt instrument -w ./...           # rewrite in place, to commit the result
  ddt instrument --strip            # remove in-place instrumentation
  ddt instrument --check            # in CI: exit 1 if -w would change anything
  ddt instrument -d                 # show what -w would change
  ddt instrument --json             # for editors and scripts`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Patterns = args
			if err := opts.validate(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runInstrument(opts)
		},
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return nil, cobra.ShellCompDirectiveFilterDirs
		},
	}
	f := cmd.Flags()
	f.BoolVarP(&opts.Write, "write", "w", false, "rewrite the files in place instead of writing .ddt/")
	f.BoolVar(&opts.Strip, "strip", false, "remove the instrumentation -w added")
	f.BoolVar(&opts.Check, "check", false, "exit 1 if in-place instrumentation is missing or stale; write nothing")
	f.BoolVarP(&opts.Diff, "diff", "d", false, "print a unified diff of what would change; write nothing")
	f.BoolVarP(&opts.List, "list", "l", false, "list the files that would change; write nothing")
	f.BoolVar(&opts.JSON, "json", false, "print a machine-readable report")
	f.StringVar(&opts.Tags, "tags", "", "comma-separated build tags, as for go build -tags")
	f.BoolVar(&opts.Tests, "tests", true, "include _test.go files")
	_ = cmd.RegisterFlagCompletionFunc("tags", cobra.NoFileCompletions)
	return cmd
}

func (o *InstrumentOptions) validate() error {
	switch {
	case o.Write && o.Strip:
		return errors.New("-w and --strip cannot be used together")
	case o.Write && (o.Check || o.Diff || o.List):
		return errors.New("-w writes, while -d, -l and --check only report: use one or the other")
	case o.JSON && (o.Diff || o.List):
		return errors.New("--json cannot be combined with -d or -l")
	}
	return nil
}

// reportOnly reports whether the options ask for a report without writes.
func (o *InstrumentOptions) reportOnly() bool { return o.Check || o.Diff || o.List }

// mode is the form of the files the options compare against or write.
func (o *InstrumentOptions) mode() instrument.Mode {
	switch {
	case o.Strip:
		return instrument.Strip
	case o.Write || o.reportOnly():
		return instrument.InPlace
	}
	return instrument.Overlay
}

func (o *InstrumentOptions) buildFlags() []string {
	if o.Tags == "" {
		return nil
	}
	return []string{"-tags=" + o.Tags}
}

func runInstrument(opts *InstrumentOptions) error {
	dir, err := absDir(opts.Dir)
	if err != nil {
		return err
	}
	// Everything ddt writes goes under the module root; outside a module
	// there is none to write to.
	if _, err := gomod.Root(dir, opts.Env); err != nil {
		return err
	}
	mode := opts.mode()
	cfg := instrument.Config{
		Dir:        dir,
		Patterns:   opts.Patterns,
		BuildFlags: opts.buildFlags(),
		Env:        opts.Env,
		Tests:      opts.Tests,
		Mode:       mode,
	}
	res, err := instrument.Run(cfg)
	if err != nil {
		return err
	}
	// Instrumented code imports ddtrt, so the module must require ddt
	// before the result can build. Strip output needs nothing. The
	// requirement comes before the output is used: packages that import
	// ddt's own (the toolbar) are only instrumented once it is there.
	if mode != instrument.Strip && !opts.reportOnly() && gomod.NeedsRequirement(res) {
		if err := checkWritable(mode, res.ModuleRoot, changedFiles(res.Files)); err != nil {
			return err
		}
		added, err := gomod.EnsureRequirement(res.ModuleRoot, opts.Env, gomod.Current(), opts.IO.Err)
		if err != nil {
			return err
		}
		if added {
			if res, err = instrument.Run(cfg); err != nil {
				return err
			}
		}
	}
	report := newInstrumentReport(res, mode)
	if !opts.JSON {
		gobuild.PrintWarnings(opts.IO.Err, res.Warnings)
	}
	if len(res.Diagnostics) > 0 {
		if opts.JSON {
			return report.printJSON(opts.IO.Out, &ExitError{Code: 1})
		}
		gobuild.PrintDiagnostics(opts.IO.Err, res.Diagnostics)
		return &ExitError{Code: 1}
	}

	if opts.reportOnly() {
		return report.printChecks(opts)
	}

	changed := changedFiles(res.Files)
	if err := checkWritable(mode, res.ModuleRoot, changed); err != nil {
		return err
	}
	if mode == instrument.Overlay {
		overlay, err := gobuild.WriteOverlay(res.ModuleRoot, gobuild.WithBuildMark(res.Files, res.ModuleRoot, opts.Env, opts.buildFlags()))
		if err != nil {
			return err
		}
		report.Overlay = overlay
		report.Command = gobuild.CommandLine("build", overlay, opts.buildFlags(), opts.Patterns)
		if opts.JSON {
			return report.printJSON(opts.IO.Out, nil)
		}
		fmt.Fprintln(opts.IO.Err, overlaySummary(res, dir))
		fmt.Fprintln(opts.IO.Out, gobuild.ShellJoin(report.Command))
		return nil
	}
	if err := atomicfile.Replace(replacements(changed)); err != nil {
		return err
	}
	report.Written = true
	if opts.JSON {
		return report.printJSON(opts.IO.Out, nil)
	}
	return nil
}

// absDir returns dir as an absolute path, the current directory for "".
func absDir(dir string) (string, error) {
	if dir == "" {
		return os.Getwd()
	}
	return filepath.Abs(dir)
}

// changedFiles returns the files whose output differs from what is on disk.
func changedFiles(files []*instrument.File) []*instrument.File {
	var changed []*instrument.File
	for _, f := range files {
		if f.Changed() {
			changed = append(changed, f)
		}
	}
	return changed
}

// checkWritable makes sure ddt can write where it is about to, before it
// changes anything (go.mod included): the overlay's directory under root,
// or the directories of the files rewritten in place.
func checkWritable(mode instrument.Mode, root string, changed []*instrument.File) error {
	if mode == instrument.Overlay {
		return gobuild.CheckOverlayWritable(root)
	}
	dirs := make([]string, len(changed))
	for i, f := range changed {
		dirs[i] = filepath.Dir(f.Path)
	}
	return atomicfile.CheckWritable(dirs...)
}

// replacements are the new contents of changed files, to write in place.
func replacements(changed []*instrument.File) []atomicfile.Replacement {
	rs := make([]atomicfile.Replacement, len(changed))
	for i, f := range changed {
		rs[i] = atomicfile.Replacement{Path: f.Path, Original: f.Original, New: f.Output}
	}
	return rs
}

// overlaySummary is the one line on stderr after writing the overlay.
func overlaySummary(res *instrument.Result, dir string) string {
	sites, calls, files := 0, 0, 0
	for _, f := range res.Files {
		if f.Changed() {
			sites += f.Sites
			calls += len(f.Calls)
			files++
		}
	}
	where := gobuild.OverlayDir(res.ModuleRoot)
	if rel, err := filepath.Rel(dir, where); err == nil {
		where = rel
	}
	if files == 0 {
		return "ddt: no //ddt: directives found; nothing instrumented"
	}
	what := plural(sites, "function")
	switch {
	case calls > 0 && sites == 0:
		what = plural(calls, "call site")
	case calls > 0:
		what += " and " + plural(calls, "call site")
	}
	return fmt.Sprintf("ddt: instrumented %s in %s into %s", what, plural(files, "file"), where)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
