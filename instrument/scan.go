package instrument

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
)

// marked is a function declaration with its directive.
type marked struct {
	Decl *ast.FuncDecl
	Dir  *directive
}

// fileDirectives is what the directives of one file ask for.
type fileDirectives struct {
	Ignored bool      // //ddt:ignore before the package clause
	Funcs   []*marked // functions to instrument, in source order
}

// scanFile finds the directives of f, attaches them to the function
// declarations whose doc comments hold them, and reports every misplaced
// or malformed one.
func scanFile(f *ast.File) (*fileDirectives, []diagErr) {
	var errs []diagErr
	out := &fileDirectives{}

	// Comment groups that are doc comments of a declaration, and what kind
	// of declaration, so a misplaced directive can be explained.
	docOf := map[*ast.CommentGroup]ast.Node{}
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			if d.Doc != nil {
				docOf[d.Doc] = d
			}
		case *ast.GenDecl:
			if d.Doc != nil {
				docOf[d.Doc] = d
			}
			for _, spec := range d.Specs {
				switch s := spec.(type) {
				case *ast.TypeSpec:
					if s.Doc != nil {
						docOf[s.Doc] = d
					}
				case *ast.ValueSpec:
					if s.Doc != nil {
						docOf[s.Doc] = d
					}
				}
			}
		}
	}

	for _, group := range f.Comments {
		var dirs []*directive
		for _, c := range group.List {
			if !isDirective(c) || isCallRule(c) {
				continue
			}
			d, derrs := parseDirective(c)
			errs = append(errs, derrs...)
			if d != nil {
				dirs = append(dirs, d)
			}
		}
		if len(dirs) == 0 {
			continue
		}
		if group.End() < f.Package {
			for _, d := range dirs {
				if d.Kind == kindIgnore {
					out.Ignored = true
				} else {
					errs = append(errs, diagErr{d.Pos, fmt.Sprintf("//ddt:%s before the package clause: only //ddt:ignore applies to a whole file", d.Kind)})
				}
			}
			continue
		}
		owner := docOf[group]
		fn, isFunc := owner.(*ast.FuncDecl)
		if !isFunc {
			for _, d := range dirs {
				errs = append(errs, diagErr{d.Pos, misplacedMessage(d, owner)})
			}
			continue
		}
		if len(dirs) > 1 {
			for _, d := range dirs[1:] {
				errs = append(errs, diagErr{d.Pos, fmt.Sprintf("second ddt directive //ddt:%s on %s: a function takes one directive", d.Kind, fn.Name.Name)})
			}
			continue
		}
		d := dirs[0]
		if fn.Body == nil {
			errs = append(errs, diagErr{d.Pos, fmt.Sprintf("//ddt:%s on %s, a function without a body", d.Kind, fn.Name.Name)})
			continue
		}
		if d.Kind == kindIgnore {
			continue
		}
		if pragma := stackPragma(group); pragma != "" {
			errs = append(errs, diagErr{d.Pos, fmt.Sprintf("//ddt:%s on %s, which is %s: instrumentation calls the runtime and may grow the stack, which such a function must not", d.Kind, fn.Name.Name, pragma)})
			continue
		}
		out.Funcs = append(out.Funcs, &marked{Decl: fn, Dir: d})
	}
	return out, errs
}

func misplacedMessage(d *directive, owner ast.Node) string {
	if g, ok := owner.(*ast.GenDecl); ok {
		what := map[token.Token]string{token.TYPE: "a type", token.VAR: "a variable", token.CONST: "a constant", token.IMPORT: "an import"}[g.Tok]
		return fmt.Sprintf("//ddt:%s on %s declaration: directives apply to functions with a body", d.Kind, what)
	}
	return fmt.Sprintf("//ddt:%s is not in the doc comment of a function declaration (it must be on the lines directly above func)", d.Kind)
}

// stackPragmas are the compiler directives that promise a function does
// not grow the stack or run on the goroutine's stack (runtime-level code).
var stackPragmas = []string{"//go:nosplit", "//go:systemstack", "//go:nowritebarrier", "//go:nowritebarrierrec", "//go:yeswritebarrierrec"}

func stackPragma(doc *ast.CommentGroup) string {
	for _, c := range doc.List {
		for _, p := range stackPragmas {
			if strings.TrimSpace(c.Text) == p {
				return p
			}
		}
	}
	return ""
}

// MarkedFunc is a function declaration that a //ddt: directive marks.
type MarkedFunc struct {
	Decl    *ast.FuncDecl     // as parsed from the file with ddt's in-place instrumentation stripped
	Pos     token.Position    // of the func keyword, in the file as it is
	Kind    string            // flag, trace or a custom kind
	Options map[string]string // name=<param>
}

// Directives reads the //ddt: directives of the Go file at path, whose
// content is src, by the rules [Run] applies: in-place instrumentation is
// stripped first, and it returns the functions the directives mark, in
// source order (none when //ddt:ignore leaves the file alone), and every
// misplaced or malformed directive, at positions in src (Filename is
// path). A file that does not parse has neither; the go command reports
// it. Checks that take type information (a flag's results, the type of
// the name= parameter) are Run's alone.
func Directives(path string, src []byte) ([]MarkedFunc, []Diagnostic) {
	s := &source{path: path, original: src, src: src}
	if out, es, err := stripSource(src); err == nil {
		s.src, s.stripped = out, es
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, s.src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, nil
	}
	position := func(pos token.Pos) token.Position {
		off := s.stripped.mapBack(fset.Position(pos).Offset)
		return token.Position{Filename: path, Offset: off, Line: 1 + bytes.Count(src[:off], []byte("\n")), Column: off - lineStart(src, off) + 1}
	}
	dirs, errs := scanFile(f)
	var diags []Diagnostic
	for _, e := range errs {
		diags = append(diags, Diagnostic{Pos: position(e.Pos), Message: e.Msg})
	}
	if dirs.Ignored {
		return nil, diags
	}
	var marked []MarkedFunc
	for _, m := range dirs.Funcs {
		marked = append(marked, MarkedFunc{Decl: m.Decl, Pos: position(m.Decl.Pos()), Kind: m.Dir.Kind, Options: m.Dir.Options})
	}
	return marked, diags
}
