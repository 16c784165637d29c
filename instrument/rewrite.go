package instrument

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/token"
	"slices"
	"strconv"
	"strings"

	"github.com/dave/dst"
	"github.com/dave/dst/decorator"
)

// runtimePath is the import path of the package generated code calls.
const runtimePath = "github.com/go-ddt/ddt/runtime/ddtrt"

// versionConst is the ddtrt constant each generated file references, so a
// file generated for another runtime protocol fails to compile.
const versionConst = "GeneratedCodeV2"

// generatedMarker starts the comment on the first line of an in-place
// prologue. Strip finds prologues by their shape; the marker's options
// record the original text that the prologue's insertion replaced.
const generatedMarker = "//ddt:generated"

// fileGen is one file to instrument: its (stripped) source and syntax, and
// its marked functions.
type fileGen struct {
	Fset  *token.FileSet
	Src   []byte
	File  *ast.File
	Funcs []*funcGen
	Decls []*ast.FuncDecl // Decls[i] is the declaration of Funcs[i]
	Names genNames
	// Helpers names the file's exit helper for each number of results.
	Helpers map[int]string
	// RecoverShadowed and NilShadowed say that the file's top level sees a
	// user's recover or nil; the helpers then pass nil (or a nil interface
	// that names nothing) instead of recover().
	RecoverShadowed, NilShadowed bool
	// Calls are the call sites that call-site rules wrap, in source
	// order, and CallHelpers names the helper of each shape.
	Calls       []*callGen
	CallHelpers map[callShape]string
}

func (fg *fileGen) off(p token.Pos) int { return fg.Fset.Position(p).Offset }

// resultEdits names unnamed and blank results so the deferred call can read
// them: T becomes (__ddt_r0 T), (A, B) becomes (__ddt_r0 A, __ddt_r1 B),
// (_ A, b B) becomes (__ddt_r0 A, b B). It returns the edits and the name
// of every result.
func resultEdits(fg *fileGen, results *ast.FieldList, ddtNames []string) (edits, []string) {
	var es edits
	var names []string
	if results == nil {
		return nil, nil
	}
	i := 0
	for _, field := range results.List {
		if len(field.Names) == 0 {
			name := ddtNames[i]
			i++
			names = append(names, name)
			if !results.Opening.IsValid() {
				es.insert(fg.off(field.Type.Pos()), "("+name+" ")
				es.insert(fg.off(field.Type.End()), ")")
			} else {
				es.insert(fg.off(field.Type.Pos()), name+" ")
			}
			continue
		}
		for _, id := range field.Names {
			name := id.Name
			if name == "_" {
				name = ddtNames[i]
				es.replace(fg.off(id.Pos()), fg.off(id.End()), name)
			}
			i++
			names = append(names, name)
		}
	}
	return es, names
}

// paramEdits names the unnamed and blank parameters that attribute a call
// (a context.Context, an *http.Request), so the prologue can pass them to
// Enter. ddtNames has one entry per parameter of the list, the name to give
// or "". In a list of unnamed parameters every parameter needs a name, so
// the others get "_": (context.Context, string) becomes
// (__ddt_p0 context.Context, _ string); a blank one is renamed:
// (_ context.Context) becomes (__ddt_p0 context.Context).
func paramEdits(fg *fileGen, params *ast.FieldList, ddtNames []string) edits {
	var es edits
	if params == nil || !slices.ContainsFunc(ddtNames, func(s string) bool { return s != "" }) {
		return nil
	}
	i := 0
	for _, field := range params.List {
		if len(field.Names) == 0 {
			name := ddtNames[i]
			if name == "" {
				name = "_"
			}
			i++
			es.insert(fg.off(field.Type.Pos()), name+" ")
			continue
		}
		for _, id := range field.Names {
			if ddtNames[i] != "" {
				es.replace(fg.off(id.Pos()), fg.off(id.End()), ddtNames[i])
			}
			i++
		}
	}
	return es
}

// ddtParamNames returns the names ddt gives to the parameters of s that
// attribute the call but have none (see paramEdits), one entry per
// parameter of the function's list, and sets the arguments of Enter.
func ddtParamNames(n *namer, s *siteInfo) []string {
	if len(s.Unnamed) == 0 {
		return nil
	}
	names := make([]string, len(s.Params)-s.Recv)
	for _, i := range s.Unnamed {
		names[i-s.Recv] = n.unused("__ddt_p" + strconv.Itoa(i-s.Recv))
		s.Args[i] = names[i-s.Recv]
	}
	return names
}

// ddtResultNames returns the names ddt gives to a function's results when
// they are unnamed or blank (only those entries are used).
func ddtResultNames(n *namer, count int) []string {
	names := make([]string, count)
	for i := range names {
		names[i] = n.unused("__ddt_r" + strconv.Itoa(i))
	}
	return names
}

// enterArgs renders the arguments of Enter after the site.
func enterArgs(s *siteInfo) string {
	var b strings.Builder
	for _, a := range s.Args {
		if a == "" {
			a = nilText(s.NilShadowed)
		}
		b.WriteString(", ")
		b.WriteString(a)
	}
	return b.String()
}

// overlayPrologue is the prologue on one line, for the line of the body's
// opening brace.
func (fg *fileGen) overlayPrologue(g *funcGen) string {
	n := fg.Names
	var results strings.Builder
	for _, r := range g.ResultNames {
		results.WriteString(", &" + r)
	}
	return fmt.Sprintf(" if %[1]s.Active() { %[2]s := %[1]s.Enter(&%[3]s%[4]s); defer %[5]s(%[2]s%[6]s) };",
		n.Alias, n.Call, g.SiteVar, enterArgs(g.Site), fg.Helpers[len(g.ResultNames)], results.String())
}

// bodyIsOneLine reports whether the body has code on the line of its
// opening brace (a one-line function such as func f() int { return 1 }).
func bodyIsOneLine(src []byte, lbrace int) bool {
	rest := src[lbrace+1:]
	if nl := bytes.IndexByte(rest, '\n'); nl >= 0 {
		rest = rest[:nl]
	} else {
		return true
	}
	rest = bytes.TrimSpace(rest)
	return len(rest) > 0 && !bytes.HasPrefix(rest, []byte("//"))
}

// lineEnd returns the offset of the newline ending the line of off, or
// len(src).
func lineEnd(src []byte, off int) int {
	if i := bytes.IndexByte(src[off:], '\n'); i >= 0 {
		return off + i
	}
	return len(src)
}

// lineStart returns the offset of the first byte of the line of off.
func lineStart(src []byte, off int) int {
	return bytes.LastIndexByte(src[:off], '\n') + 1
}

// importAnchor returns where the import of ddtrt goes in an in-place file:
// the end of the line that ends the last import declaration, or of the
// package clause.
func importAnchor(fg *fileGen) int {
	end := fg.off(fg.File.Name.End())
	for _, decl := range fg.File.Decls {
		if g, ok := decl.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			end = fg.off(g.End())
		}
	}
	le := lineEnd(fg.Src, end)
	// Only a line comment may follow on the line: code there (package p;
	// func f() {}) must stay after the import, and a block comment that
	// continues past the line would swallow it.
	rest := bytes.TrimSpace(fg.Src[end:le])
	if len(rest) > 0 && !bytes.HasPrefix(rest, []byte("//")) {
		return end
	}
	return le
}

// oneLineBody re-prints a one-line body with the prologue in front, in
// gofmt's multi-line form. dst keeps the comments of the original body,
// including those attached to its braces.
func oneLineBody(body string, prologue dst.Stmt) (string, error) {
	f, err := decorator.Parse("package p\n\nfunc _() " + body + "\n")
	if err != nil {
		return "", fmt.Errorf("internal error: reparsing body: %v", err)
	}
	fn := f.Decls[0].(*dst.FuncDecl)
	fn.Body.List = append([]dst.Stmt{prologue}, fn.Body.List...)
	for _, s := range fn.Body.List {
		s.Decorations().Before = dst.NewLine
		s.Decorations().After = dst.NewLine
	}
	out, err := printDecls(fn)
	if err != nil {
		return "", err
	}
	start := strings.Index(out, "{")
	end := strings.LastIndex(out, "}")
	if start < 0 || end < start {
		return "", fmt.Errorf("internal error: unexpected generated function %q", out)
	}
	return out[start : end+1], nil
}

// markerText is the comment of an in-place prologue, recording the original
// text of what the instrumentation replaced.
func markerText(origParams, origResults, origBody string) string {
	m := generatedMarker
	if origParams != "" {
		m += " params=" + strconv.Quote(origParams)
	}
	if origResults != "" {
		m += " results=" + strconv.Quote(origResults)
	}
	if origBody != "" {
		m += " body=" + strconv.Quote(origBody)
	}
	return m
}
