package instrument

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/packages"
)

// Run loads the packages cfg names, finds their directives and computes the
// instrumented (or stripped) files. It writes nothing.
func Run(cfg Config) (*Result, error) {
	listCfg := cfg
	if cfg.Mode == Strip {
		// Strip needs no build configuration: test files are stripped
		// too, whether or not tests were asked for.
		listCfg.Tests = true
	}
	l, err := list(&listCfg, cfg.Mode == Strip)
	if err != nil {
		return nil, err
	}
	r := &run{cfg: &cfg, res: &Result{ModuleRoot: l.moduleRoot}, listing: l}
	if cfg.Mode == Strip {
		r.stripAll()
	} else {
		if err := r.findCallRules(); err != nil {
			return nil, err
		}
		if err := r.instrumentAll(); err != nil {
			return nil, err
		}
		r.res.Rules = r.rules.sorted()
	}
	sort.Slice(r.res.Files, func(i, j int) bool { return r.res.Files[i].Path < r.res.Files[j].Path })
	sortDiagnostics(r.res.Diagnostics)
	sortDiagnostics(r.res.Warnings)
	sort.Strings(r.res.Uninstrumented)
	return r.res, nil
}

type run struct {
	cfg     *Config
	res     *Result
	listing *listing
	rules   callRules // the valid call-site rules, by target
}

// source is one file as Run sees it: the bytes on disk and the same bytes
// with any in-place instrumentation stripped, which is what gets analysed.
type source struct {
	path     string
	original []byte
	src      []byte
	stripped edits // the edits that turned original into src
}

func (r *run) relPath(path string) string {
	if rel, err := filepath.Rel(r.res.ModuleRoot, path); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return path
}

// position maps a position in s.src back to the original file.
func (r *run) position(s *source, fset *token.FileSet, pos token.Pos) token.Position {
	return r.offsetPosition(s, fset.Position(pos).Offset)
}

// offsetPosition maps an offset in s.src back to the original file.
func (r *run) offsetPosition(s *source, srcOff int) token.Position {
	off := s.stripped.mapBack(srcOff)
	line := 1 + bytes.Count(s.original[:off], []byte("\n"))
	col := off - lineStart(s.original, off) + 1
	return token.Position{Filename: r.relPath(s.path), Offset: off, Line: line, Column: col}
}

func (r *run) diag(s *source, fset *token.FileSet, e diagErr) {
	r.res.Diagnostics = append(r.res.Diagnostics, Diagnostic{Pos: r.position(s, fset, e.Pos), Message: e.Msg})
}

func (r *run) warn(s *source, fset *token.FileSet, pos token.Pos, msg string) {
	d := Diagnostic{Message: msg}
	if s != nil && fset != nil {
		d.Pos = r.position(s, fset, pos)
	}
	r.res.Warnings = append(r.res.Warnings, d)
}

func sortDiagnostics(ds []Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i].Pos, ds[j].Pos
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
}

// instrumentAll handles Overlay and InPlace: it assigns each candidate file
// to one package (the test variant when it has more files), type-checks
// those packages and generates their files.
func (r *run) instrumentAll() error {
	owner := map[string]*packages.Package{}
	for _, p := range r.listing.pkgs {
		for _, f := range p.GoFiles {
			if _, ok := r.listing.candidates[f]; !ok {
				continue
			}
			if cur := owner[f]; cur == nil || len(p.GoFiles) > len(cur.GoFiles) {
				owner[f] = p
			}
		}
	}
	filesOf := map[string][]string{} // package ID -> its candidate files
	var paths []string
	seenPath := map[string]bool{}
	for f, p := range owner {
		filesOf[p.ID] = append(filesOf[p.ID], f)
		// An external test package (p_test) is loaded through the
		// package it tests: "p_test" is not a path the go command knows.
		path := p.PkgPath
		if p.ID != p.PkgPath && strings.HasSuffix(path, "_test") {
			path = strings.TrimSuffix(path, "_test")
		}
		if !seenPath[path] {
			seenPath[path] = true
			paths = append(paths, path)
		}
	}
	if len(filesOf) == 0 {
		return nil
	}
	sort.Strings(paths)
	tl, err := loadTypes(r.cfg, paths)
	if err != nil {
		return err
	}
	typed := tl.byID
	ids := make([]string, 0, len(filesOf))
	for id := range filesOf {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	imp := newExportImporter()
	for _, id := range ids {
		p := typed[id]
		if p == nil {
			r.warn(nil, nil, token.NoPos, fmt.Sprintf("package %s: not found when loading types; left uninstrumented", id))
			r.res.Uninstrumented = append(r.res.Uninstrumented, id)
			continue
		}
		pimp := imp
		if p.ID != p.PkgPath {
			// A test variant has its own export data for paths that
			// other packages see in their plain form.
			pimp = newExportImporter()
		}
		if err := r.instrumentPackage(p, filesOf[id], pimp); err != nil {
			return err
		}
		if tl.deps != nil {
			r.res.Packages = append(r.res.Packages, loadedPackage(p, tl.deps[id]))
		}
	}
	return nil
}

// instrumentPackage parses and type-checks p from source (candidate files
// stripped) and generates the candidate files.
func (r *run) instrumentPackage(p *packages.Package, candidates []string, imp *exportImporter) error {
	fset := token.NewFileSet()
	isCand := map[string]bool{}
	for _, f := range candidates {
		isCand[f] = true
	}
	var syntax []*ast.File
	sources := map[*ast.File]*source{}
	broken := false
	for _, path := range p.GoFiles {
		s := &source{path: path}
		if isCand[path] {
			s.original = r.listing.candidates[path]
		} else {
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			s.original = src
		}
		s.src, s.stripped = s.original, nil
		if isCand[path] {
			if out, es, err := stripSource(s.original); err == nil {
				s.src, s.stripped = out, es
			}
		}
		f, err := parser.ParseFile(fset, path, s.src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			broken = true
			r.parseErrors(s, err, "package "+p.PkgPath+" cannot be instrumented")
			continue
		}
		syntax = append(syntax, f)
		sources[f] = s
	}
	if broken {
		return nil
	}

	info := &types.Info{
		Types:      map[ast.Expr]types.TypeAndValue{},
		Defs:       map[*ast.Ident]types.Object{},
		Uses:       map[*ast.Ident]types.Object{},
		Implicits:  map[ast.Node]types.Object{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
		Scopes:     map[ast.Node]*types.Scope{},
	}
	var typeErrs []types.Error
	conf := types.Config{
		Importer:    imp.importerFor(p),
		FakeImportC: true,
		Sizes:       p.TypesSizes,
		Error:       func(err error) { typeErrs = append(typeErrs, err.(types.Error)) },
	}
	if p.Module != nil && p.Module.GoVersion != "" {
		conf.GoVersion = "go" + p.Module.GoVersion
	}
	p.Types, _ = conf.Check(p.PkgPath, fset, syntax, info)
	if len(typeErrs) > 0 {
		r.res.Uninstrumented = append(r.res.Uninstrumented, p.PkgPath)
		for i, e := range typeErrs {
			if i == 10 {
				r.warn(nil, nil, token.NoPos, fmt.Sprintf("package %s: %d more type errors", p.PkgPath, len(typeErrs)-i))
				break
			}
			s := sources[fileOf(syntax, e.Pos)]
			r.warn(s, fset, e.Pos, fmt.Sprintf("%s (package %s left uninstrumented)", e.Msg, p.PkgPath))
		}
		return nil
	}

	nm := newNamer(syntax...)
	r.addSiblingNames(nm, p)
	names := genNames{Alias: nm.fresh("__ddt"), Call: nm.fresh("__ddt_c")}

	// Non-test files first, so their site names never depend on whether
	// test files are loaded.
	var files []*ast.File
	for _, f := range syntax {
		if isCand[sources[f].path] {
			files = append(files, f)
		}
	}
	sort.SliceStable(files, func(i, j int) bool {
		a, b := sources[files[i]].path, sources[files[j]].path
		ta, tb := strings.HasSuffix(a, "_test.go"), strings.HasSuffix(b, "_test.go")
		if ta != tb {
			return tb
		}
		return a < b
	})
	for _, f := range files {
		if err := r.instrumentFile(sources[f], fset, f, p, info, nm, names); err != nil {
			return err
		}
	}
	return nil
}

// parseErrors reports a file of a package with directives that does not
// parse (binary garbage, a truncated file) as errors: the package cannot be
// instrumented, nor built.
func (r *run) parseErrors(s *source, err error, consequence string) {
	if list, ok := err.(scanner.ErrorList); ok {
		for i, e := range list {
			if i == 10 {
				r.res.Diagnostics = append(r.res.Diagnostics, Diagnostic{Pos: token.Position{Filename: r.relPath(s.path)}, Message: fmt.Sprintf("%d more syntax errors", len(list)-i)})
				break
			}
			r.res.Diagnostics = append(r.res.Diagnostics, Diagnostic{Pos: r.offsetPosition(s, e.Pos.Offset), Message: e.Msg + " (" + consequence + ")"})
		}
		return
	}
	r.res.Diagnostics = append(r.res.Diagnostics, Diagnostic{Pos: token.Position{Filename: r.relPath(s.path)}, Message: err.Error()})
}

func fileOf(files []*ast.File, pos token.Pos) *ast.File {
	for _, f := range files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			return f
		}
	}
	return nil
}
