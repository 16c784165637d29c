package panelgen

import (
	"bytes"
	"fmt"
	"go/ast"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-ddt/ddt/instrument"
	"github.com/go-ddt/ddt/internal/pkgdir"
)

// MarkedFunc is a function marked with a //ddt:<kind> directive.
type MarkedFunc struct {
	Kind   string
	Name   string   // Func or Type.Method
	Pos    string   // file:line, relative to the scanned root
	Params []string // receiver and parameter names
}

// FindMarked returns the functions under root marked with one of kinds. It
// reads only the files that contain "//ddt:", without type-checking, and
// skips the directories that ./... leaves out. It reads directives with
// instrument.Directives, so it finds what ddt instruments; the directives
// that ddt would reject come back as [DirectiveErrors], with the marked
// functions found elsewhere.
func FindMarked(root string, kinds []string) ([]MarkedFunc, error) {
	var out []MarkedFunc
	var bad DirectiveErrors
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && pkgdir.Skip(d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil || !bytes.Contains(src, []byte("//ddt:")) {
			return err
		}
		// A file that does not parse has no directives here; the go
		// command reports its syntax errors.
		marked, diags := instrument.Directives(path, src)
		for _, d := range diags {
			d.Pos.Filename = relSlash(root, d.Pos.Filename)
			bad = append(bad, d)
		}
		for _, m := range marked {
			if !slices.Contains(kinds, m.Kind) {
				continue
			}
			pos := m.Pos
			out = append(out, MarkedFunc{
				Kind:   m.Kind,
				Name:   funcName(m.Decl),
				Pos:    fmt.Sprintf("%s:%d", relSlash(root, pos.Filename), pos.Line),
				Params: paramNames(m.Decl),
			})
		}
		return nil
	})
	if err == nil && len(bad) > 0 {
		err = bad
	}
	return out, err
}

// DirectiveErrors are the misplaced and malformed //ddt: directives that
// [FindMarked] met, as ddt instrument reports them (file:line:col: message,
// the path relative to the root).
type DirectiveErrors []instrument.Diagnostic

func (e DirectiveErrors) Error() string {
	lines := make([]string, len(e))
	for i, d := range e {
		lines[i] = d.String()
	}
	return strings.Join(lines, "\n")
}

func relSlash(root, path string) string {
	if rel, err := filepath.Rel(root, path); err == nil {
		return filepath.ToSlash(rel)
	}
	return path
}

func funcName(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return fn.Name.Name
	}
	t := fn.Recv.List[0].Type
	if star, ok := t.(*ast.StarExpr); ok {
		t = star.X
	}
	switch x := t.(type) {
	case *ast.IndexExpr:
		t = x.X
	case *ast.IndexListExpr:
		t = x.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name + "." + fn.Name.Name
	}
	return fn.Name.Name
}

func paramNames(fn *ast.FuncDecl) []string {
	var names []string
	for _, list := range []*ast.FieldList{fn.Recv, fn.Type.Params} {
		if list == nil {
			continue
		}
		for _, f := range list.List {
			for _, n := range f.Names {
				names = append(names, n.Name)
			}
		}
	}
	return names
}

// CheckParams reports every arg.<param> source of s that no marked function
// of s's kinds has as a parameter. With no marked function at all, nothing
// can be checked and nothing is reported (the caller may warn).
func CheckParams(s *Spec, marked []MarkedFunc) ErrorList {
	if len(marked) == 0 {
		return nil
	}
	var errs ErrorList
	check := func(src Source, field string, line, col int) {
		p := src.Param()
		if p == "" {
			return
		}
		for _, m := range marked {
			if slices.Contains(m.Params, p) {
				return
			}
		}
		var have []string
		for _, m := range marked {
			have = append(have, fmt.Sprintf("%s(%s) at %s", m.Name, strings.Join(m.Params, ", "), m.Pos))
		}
		errs = append(errs, &Error{File: s.File, Line: line, Col: col, Field: field,
			Msg: fmt.Sprintf("no function marked //ddt:%s has a parameter %q (marked: %s)", strings.Join(s.Kinds, " or //ddt:"), p, strings.Join(have, "; "))})
	}
	for i, c := range s.Columns {
		check(c.From, fmt.Sprintf("columns[%d].from", i), c.fromLine, c.fromCol)
	}
	return errs
}
