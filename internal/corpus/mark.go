package corpus

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
)

// Directive is the line Mark adds above every function.
const Directive = "//ddt:trace"

// stackPragmas are the compiler directives that make ddt refuse a marked
// function by design: such a function must not grow its stack or call the
// runtime's recording functions. Mark leaves these functions unmarked.
var stackPragmas = []string{"//go:nosplit", "//go:systemstack", "//go:nowritebarrier", "//go:nowritebarrierrec", "//go:yeswritebarrierrec"}

// Marked is what Mark did to one file.
type Marked struct {
	Src     []byte   // the file with a directive above every function
	Funcs   int      // functions and methods marked
	Skipped []string // "file:line: name (reason)" for functions left unmarked
}

// Mark adds Directive above every function and method with a body in
// src. The directive becomes the last line of the function's doc comment,
// or a comment of its own directly above the function when it has none,
// so ddt sees it in the comment group attached to the declaration. src
// must not contain ddt directives already: Unmark could not tell them
// from the ones Mark added.
func Mark(filename string, src []byte) (*Marked, error) {
	if bytes.Contains(src, []byte("//ddt:")) {
		return nil, fmt.Errorf("%s: already contains a //ddt: comment", filename)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filename, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	m := &Marked{}
	var inserts []int // offsets of the starts of the lines of func keywords
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Body == nil {
			continue
		}
		pos := fset.Position(fn.Pos())
		if pragma := stackPragma(fn.Doc); pragma != "" {
			m.Skipped = append(m.Skipped, fmt.Sprintf("%s:%d: %s (%s)", filename, pos.Line, funcName(fn), pragma))
			continue
		}
		lineStart := pos.Offset - (pos.Column - 1)
		if strings.TrimSpace(string(src[lineStart:pos.Offset])) != "" {
			return nil, fmt.Errorf("%s: func %s does not start its line; Mark cannot put a directive above it alone", pos, funcName(fn))
		}
		inserts = append(inserts, lineStart)
		m.Funcs++
	}
	line := []byte(Directive + "\n")
	if bytes.Contains(src, []byte("\r\n")) {
		line = []byte(Directive + "\r\n")
	}
	out := make([]byte, 0, len(src)+len(inserts)*len(line))
	last := 0
	for _, off := range inserts {
		out = append(out, src[last:off]...)
		out = append(out, line...)
		last = off
	}
	m.Src = append(out, src[last:]...)
	return m, nil
}

// Unmark removes the lines Mark added: every line that is exactly
// Directive.
func Unmark(src []byte) []byte {
	var out []byte
	for rest := src; len(rest) > 0; {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line = rest[:i+1]
		}
		rest = rest[len(line):]
		if text := strings.TrimRight(string(line), "\r\n"); text == Directive && len(line) > len(text) {
			continue
		}
		out = append(out, line...)
	}
	return out
}

func stackPragma(doc *ast.CommentGroup) string {
	if doc == nil {
		return ""
	}
	for _, c := range doc.List {
		for _, p := range stackPragmas {
			if c.Text == p || strings.HasPrefix(c.Text, p+" ") {
				return p
			}
		}
	}
	return ""
}

// funcName returns F, T.M or (*T).M, for messages.
func funcName(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return fn.Name.Name
	}
	typ := fn.Recv.List[0].Type
	star := ""
	if s, ok := typ.(*ast.StarExpr); ok {
		typ, star = s.X, "*"
	}
	switch t := typ.(type) {
	case *ast.IndexExpr:
		typ = t.X
	case *ast.IndexListExpr:
		typ = t.X
	}
	name := "?"
	if id, ok := typ.(*ast.Ident); ok {
		name = id.Name
	}
	if star != "" {
		return "(*" + name + ")." + fn.Name.Name
	}
	return name + "." + fn.Name.Name
}
