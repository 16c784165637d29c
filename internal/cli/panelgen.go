package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/go-ddt/ddt/internal/atomicfile"
	"github.com/go-ddt/ddt/internal/gomod"
	"github.com/go-ddt/ddt/internal/pkgdir"
	"github.com/go-ddt/ddt/panelgen"
	"github.com/rogpeppe/go-internal/diff"
	"github.com/spf13/cobra"
	"golang.org/x/mod/modfile"
)

// PanelgenOptions are the flags and arguments of "ddt panelgen".
type PanelgenOptions struct {
	IO    IO
	Dir   string // working directory; "" means the current one
	Name  string // built-in spec
	Spec  string // --spec FILE
	List  bool
	Init  string // --init NAME
	Out   string // -o DIR
	Diff  bool   // -d
	Force bool
}

// NewCmdPanelgen returns "ddt panelgen".
func NewCmdPanelgen(streams IO, runF func(*PanelgenOptions) error) *cobra.Command {
	opts := &PanelgenOptions{IO: streams}
	cmd := &cobra.Command{
		Use:   "panelgen [NAME | --spec FILE | --init NAME | --list]",
		Short: "Generate a toolbar panel from a spec",
		Long: `Generate a toolbar panel (Go code, its html/template and a test) from a
spec that names the panel, the //ddt:<kind> events it shows and its columns.

NAME is a built-in spec (see --list); featureflags is the Feature Flags
panel of the article ddt grew from. --spec FILE uses your own spec, and
--init NAME writes a commented starter spec to begin with.

panel_gen.go and panel_gen.html say DO NOT EDIT and are rewritten on every
run; panel.go and panel_test.go are yours: written once, never overwritten
without --force.`,
		Example: `  ddt panelgen --list
  ddt panelgen featureflags
  ddt panelgen --init search          # writes search.yaml
  ddt panelgen --spec search.yaml -o internal/panels/search
  ddt panelgen --spec search.yaml -d  # show what would be written`,
		Args: cobra.MaximumNArgs(1),
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return panelgen.Builtins(), cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Name = args[0]
			}
			modes := 0
			for _, set := range []bool{opts.Name != "", opts.Spec != "", opts.List, opts.Init != ""} {
				if set {
					modes++
				}
			}
			if modes != 1 {
				return errors.New("give exactly one of NAME, --spec FILE, --init NAME or --list")
			}
			if runF != nil {
				return runF(opts)
			}
			return runPanelgen(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Spec, "spec", "", "generate from this spec `file`")
	f.BoolVar(&opts.List, "list", false, "list the built-in specs")
	f.StringVar(&opts.Init, "init", "", "write a commented starter spec `name`.yaml in the current directory")
	f.StringVarP(&opts.Out, "out", "o", "", "output `dir` (default internal/panels/<package> in the current module)")
	f.BoolVarP(&opts.Diff, "diff", "d", false, "print what would be written, write nothing")
	f.BoolVar(&opts.Force, "force", false, "overwrite panel.go and panel_test.go, which are yours to edit")
	return cmd
}

func runPanelgen(opts *PanelgenOptions) error {
	dir, err := absDir(opts.Dir)
	if err != nil {
		return err
	}
	switch {
	case opts.List:
		for _, name := range panelgen.Builtins() {
			s, err := panelgen.Builtin(name)
			if err != nil {
				return err
			}
			fmt.Fprintf(opts.IO.Out, "%-16s %s (//ddt:%s)\n", name, s.Title, strings.Join(s.Kinds, ", //ddt:"))
		}
		return nil
	case opts.Init != "":
		return initSpec(opts, dir)
	}
	spec, err := loadSpec(opts, dir)
	if err != nil {
		return err
	}
	root, err := gomod.Root(dir, nil)
	if err != nil {
		return err
	}
	gomodData, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return err
	}
	out := opts.Out
	if out == "" {
		out = filepath.Join(root, "internal", "panels", spec.Package)
	} else if !filepath.IsAbs(out) {
		out = filepath.Join(dir, out)
	}
	rel, err := filepath.Rel(root, out)
	if err != nil || strings.HasPrefix(rel, "..") {
		return fmt.Errorf("-o %s is outside the module at %s; the panel must be a package of your module", opts.Out, root)
	}
	importPath := strings.TrimSuffix(modfile.ModulePath(gomodData)+"/"+filepath.ToSlash(rel), "/.")

	if err := checkSpecAgainstModule(spec, root, out, opts.IO.Err); err != nil {
		return err
	}
	files, err := panelgen.Generate(spec, panelgen.Target{ImportPath: importPath, SpecName: filepath.Base(spec.File)})
	if err != nil {
		return err
	}
	plan := planPanelFiles(files, out, opts.Force)
	if opts.Diff {
		return printPanelPlan(opts.IO.Out, plan, root)
	}
	if err := writePanelFiles(out, plan); err != nil {
		return err
	}
	for _, p := range plan {
		fmt.Fprintf(opts.IO.Err, "%-9s %s\n", p.action, relTo(root, p.path))
	}
	fmt.Fprintf(opts.IO.Out, `Panel %q is in %s. Register it with the toolbar (one line):

	toolbar.Options{Panels: []func() panel.Panel{%s.New}}

importing %q
and "github.com/go-ddt/ddt/runtime/panel".
`, spec.ID, relTo(root, out), spec.Package, importPath)
	return nil
}

func loadSpec(opts *PanelgenOptions, dir string) (*panelgen.Spec, error) {
	if opts.Name != "" {
		s, err := panelgen.Builtin(opts.Name)
		if err != nil {
			return nil, specErrors(opts.IO.Err, err)
		}
		return s, nil
	}
	path := opts.Spec
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &ExitError{Code: 1, Err: err}
	}
	s, err := panelgen.ParseSpec(opts.Spec, data)
	if err != nil {
		return nil, specErrors(opts.IO.Err, err)
	}
	return s, nil
}

func initSpec(opts *PanelgenOptions, dir string) error {
	data, err := panelgen.Starter(opts.Init)
	if err != nil {
		return &ExitError{Code: 1, Err: err}
	}
	path := filepath.Join(dir, opts.Init+".yaml")
	if _, err := os.Stat(path); err == nil && !opts.Force {
		return &ExitError{Code: 1, Err: fmt.Errorf("%s exists; use --force to overwrite it", path)}
	}
	if err := atomicfile.WriteFile(path, data, 0o666); err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.Out, "Wrote %s. Edit it, then run:\n\n\tddt panelgen --spec %s.yaml\n", path, opts.Init)
	return nil
}

var panelIDLine = regexp.MustCompile(`func \(\*Panel\) ID\(\) string\s*\{\s*return "([^"]*)"`)

// checkSpecAgainstModule reports what the spec gets wrong about the module
// (columns naming parameters that no marked function has, an id that
// another generated panel of the module already uses) and the module's
// directives that ddt instrument would reject, on stderr, and returns exit
// status 1 if there is any.
func checkSpecAgainstModule(spec *panelgen.Spec, root, out string, stderr io.Writer) error {
	var errs panelgen.ErrorList
	marked, err := panelgen.FindMarked(root, spec.Kinds)
	var bad panelgen.DirectiveErrors
	if errors.As(err, &bad) {
		for _, d := range bad {
			fmt.Fprintln(stderr, d)
		}
		err = nil
	}
	if err != nil {
		errs = append(errs, spec.ErrorAt("kinds", "looking for marked functions: %v", err))
	}
	usesArgs := slices.ContainsFunc(spec.Columns, func(c panelgen.Column) bool { return c.From.Param() != "" })
	if len(marked) == 0 && err == nil && usesArgs {
		fmt.Fprintf(stderr, "ddt: note: no function in %s is marked //ddt:%s yet; arg.<param> columns are not checked\n", root, strings.Join(spec.Kinds, " or //ddt:"))
	}
	errs = append(errs, panelgen.CheckParams(spec, marked)...)
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && path != root && pkgdir.Skip(d.Name()) {
			return filepath.SkipDir
		}
		if d.Name() != "panel_gen.go" || filepath.Dir(path) == out {
			return nil
		}
		src, _ := os.ReadFile(path)
		if m := panelIDLine.FindSubmatch(src); m != nil && string(m[1]) == spec.ID {
			errs = append(errs, spec.ErrorAt("id", "%q is already the id of the panel in %s; panel ids must be unique", spec.ID, relTo(root, path)))
		}
		return nil
	})
	if len(errs) > 0 {
		return specErrors(stderr, errs)
	}
	if len(bad) > 0 {
		return &ExitError{Code: 1}
	}
	return nil
}

// panelFile is one file of the plan: what to write and why.
type panelFile struct {
	path    string
	content []byte
	old     []byte // nil when absent
	action  string // "create", "update", "unchanged", "kept"
}

func planPanelFiles(files []panelgen.File, out string, force bool) []panelFile {
	var plan []panelFile
	for _, f := range files {
		p := panelFile{path: filepath.Join(out, f.Name), content: f.Content}
		old, err := os.ReadFile(p.path)
		switch {
		case err != nil:
			p.action = "create"
		case bytes.Equal(old, f.Content):
			p.old, p.action = old, "unchanged"
		case !f.Generated && !force:
			p.old, p.action = old, "kept"
		default:
			p.old, p.action = old, "update"
		}
		plan = append(plan, p)
	}
	return plan
}

func printPanelPlan(w io.Writer, plan []panelFile, root string) error {
	for _, p := range plan {
		rel := relTo(root, p.path)
		switch p.action {
		case "create":
			fmt.Fprintf(w, "=== %s (new)\n%s", rel, p.content)
		case "update":
			w.Write(diff.Diff("a/"+rel, p.old, "b/"+rel, p.content))
		case "kept":
			fmt.Fprintf(w, "=== %s (yours: kept; --force would overwrite it)\n", rel)
		default:
			fmt.Fprintf(w, "=== %s (unchanged)\n", rel)
		}
	}
	return nil
}

// writePanelFiles writes the files the plan creates or updates, all or
// none.
func writePanelFiles(out string, plan []panelFile) error {
	if err := os.MkdirAll(out, 0o777); err != nil {
		return err
	}
	var files []atomicfile.NewFile
	for _, p := range plan {
		if p.action == "create" || p.action == "update" {
			files = append(files, atomicfile.NewFile{Path: p.path, Data: p.content})
		}
	}
	return atomicfile.WriteFiles(files, 0o666)
}

func relTo(root, path string) string {
	if rel, err := filepath.Rel(root, path); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return path
}

// specErrors prints the problems of a spec one per line, as
// file:line:col: field: message, and returns exit status 1.
func specErrors(stderr io.Writer, err error) error {
	var list panelgen.ErrorList
	if !errors.As(err, &list) {
		return &ExitError{Code: 1, Err: err}
	}
	for _, e := range list {
		fmt.Fprintln(stderr, e)
	}
	return &ExitError{Code: 1}
}
