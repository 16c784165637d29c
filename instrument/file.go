package instrument

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"
)

// instrumentFile checks the directives of one candidate file and records
// its output.
func (r *run) instrumentFile(s *source, fset *token.FileSet, f *ast.File, p *packages.Package, info *types.Info, nm *namer, names genNames) error {
	pkgName := p.Name
	dirs, errs := scanFile(f)
	for _, e := range errs {
		r.diag(s, fset, e)
	}
	out := &File{Path: s.path, Original: s.original, Output: s.src}
	r.res.Files = append(r.res.Files, out)
	defer r.warnStale(s, out)
	if dirs.Ignored {
		return nil
	}
	calls := r.findCalls(s, fset, f, p.Types, info)
	if len(dirs.Funcs) == 0 && len(calls) == 0 {
		return nil
	}
	fg := &fileGen{Fset: fset, Src: s.src, File: f, Names: names, Helpers: map[int]string{},
		// The exit helpers live at the top level of the file: what recover
		// and nil mean there is what counts for them.
		RecoverShadowed: !isUniverse(info.Scopes[f], "recover"),
		NilShadowed:     !isUniverse(info.Scopes[f], "nil"),
	}
	failed := len(errs) > 0
	for _, m := range dirs.Funcs {
		site, errs := analyzeFunc(pkgName, info, m)
		for _, e := range errs {
			r.diag(s, fset, e)
		}
		if len(errs) > 0 {
			failed = true
			continue
		}
		if !isUniverse(info.Scopes[f], "string") {
			r.diag(s, fset, diagErr{m.Dir.Pos, "cannot instrument " + m.Decl.Name.Name + ": the package redeclares string, which the generated site variables use"})
			failed = true
			continue
		}
		g := &funcGen{Site: site, SiteVar: nm.fresh("__ddt_site_" + siteBase(m.Decl)), File: siteFile(p, s.path, r.res.ModuleRoot)}
		g.ParamNames = ddtParamNames(nm, site)
		ddtNames := ddtResultNames(nm, len(site.Results))
		for i, name := range site.Results {
			if name == "" || name == "_" {
				name = ddtNames[i]
			}
			g.ResultNames = append(g.ResultNames, name)
		}
		fg.Funcs = append(fg.Funcs, g)
		fg.Decls = append(fg.Decls, m.Decl)
	}
	if failed {
		return nil
	}
	mode := r.cfg.Mode
	if mode == Overlay && len(s.stripped) > 0 {
		// The file on disk holds in-place instrumentation: keep that form,
		// so an up-to-date file needs no overlay at all.
		mode = InPlace
	}
	if mode == InPlace {
		calls = r.inPlaceCalls(s, fset, f, calls)
	}
	if len(fg.Funcs) == 0 && len(calls) == 0 {
		return nil
	}
	fg.addCalls(calls, nm, siteFile(p, s.path, r.res.ModuleRoot))
	for _, g := range fg.Funcs {
		n := len(g.ResultNames)
		if fg.Helpers[n] == "" {
			fg.Helpers[n] = nm.fresh("__ddt_exit" + strconv.Itoa(n))
		}
	}
	text, err := fg.generate(mode)
	if err != nil {
		return err
	}
	if mode == InPlace && len(fg.Calls) > 0 && !gofmtClean(text) && gofmtClean(s.src) {
		// gofmt would lay out the wrapped calls differently (a line of
		// aligned comments grew), which strip could not undo.
		for _, c := range fg.Calls {
			r.warn(s, fset, c.Call.Pos(), fmt.Sprintf("call of %s not instrumented in place: gofmt would re-align the code around it (overlay builds instrument it)", c.Gen.Site.Func))
		}
		fg.Calls, fg.CallHelpers = nil, nil
		if len(fg.Funcs) == 0 {
			return nil
		}
		if text, err = fg.generate(mode); err != nil {
			return err
		}
	}
	out.Output = text
	out.Sites = len(fg.Funcs)
	for _, g := range fg.Funcs {
		out.Functions = append(out.Functions, Function{Func: g.Site.Func, Kind: g.Site.Kind, Line: g.Line})
	}
	for _, c := range fg.Calls {
		out.Calls = append(out.Calls, Function{Func: c.Gen.Site.Func, Kind: c.Gen.Site.Kind, Line: c.Gen.Line})
	}
	return nil
}

// siteBase is the part of a site variable's name that comes from the
// function: F, or T_M for a method.
func siteBase(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return fn.Name.Name
	}
	t := fn.Recv.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.ParenExpr:
			t = x.X
			continue
		case *ast.StarExpr:
			t = x.X
			continue
		case *ast.IndexExpr:
			t = x.X
			continue
		case *ast.IndexListExpr:
			t = x.X
			continue
		}
		break
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name + "_" + fn.Name.Name
	}
	return fn.Name.Name
}

// addSiblingNames adds to nm the identifiers of the package's other files
// in its directory (test files when tests are not loaded, files of other
// build configurations), so a name ddt picks now still fits when they are
// compiled too. Their function-local ddt names do not count (they are read
// stripped), so the names picked do not depend on which files are loaded;
// their package-level ones (site variables, exit helpers) do, as those
// files may still declare them in place.
func (r *run) addSiblingNames(nm *namer, p *packages.Package) {
	if len(p.GoFiles) == 0 {
		return
	}
	known := map[string]bool{}
	for _, f := range p.GoFiles {
		known[f] = true
	}
	dir := filepath.Dir(p.GoFiles[0])
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") || known[path] {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, src, parser.SkipObjectResolution)
		if err != nil || f.Name.Name != p.Name {
			continue
		}
		nm.addTopLevel(f)
		if out, es, err := stripSource(src); err == nil && len(es) > 0 {
			if f, err = parser.ParseFile(token.NewFileSet(), path, out, parser.SkipObjectResolution); err != nil {
				continue
			}
		}
		nm.addFile(f)
	}
}

// siteFile is the file of a site, relative to the root of the module of
// its package (which is not the main module in a workspace).
func siteFile(p *packages.Package, path, mainRoot string) string {
	root := mainRoot
	if p.Module != nil && p.Module.Dir != "" {
		root = p.Module.Dir
	}
	if rel, err := filepath.Rel(root, path); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(path)
}

// warnStale reports, in Overlay mode, a file whose in-place instrumentation
// is not what ddt generates now: its overlay copy is the refreshed in-place
// form, whose lines no longer match the file's.
func (r *run) warnStale(s *source, out *File) {
	if r.cfg.Mode == Overlay && len(s.stripped) > 0 && out.Changed() {
		r.res.Warnings = append(r.res.Warnings, Diagnostic{
			Pos:     token.Position{Filename: r.relPath(s.path), Line: 1, Column: 1},
			Message: "in-place instrumentation is out of date (run ddt instrument -w); line numbers in the build may not match the file",
		})
	}
}
