package instrument

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"sort"
	"strconv"
	"strings"
)

// stripSource removes in-place instrumentation from src: the import of the
// runtime, every prologue with the result names and one-line layout it
// replaced, and the generated declarations at the end. It needs no type
// information: everything ddt adds has a shape that user code cannot have
// by accident (it uses the runtime's import alias) and the prologue's
// marker comment records the original text it replaced. It returns the
// edits it applied, in src's offsets, so positions can be mapped back.
func stripSource(src []byte) ([]byte, edits, error) {
	if !bytes.Contains(src, runtimeBytes) {
		return src, nil, nil
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, nil, err
	}
	st := &stripper{src: src, fset: fset, file: f}
	if !st.findImport() {
		return src, nil, nil
	}
	st.stripImport()
	for _, decl := range f.Decls {
		if fn, ok := decl.(*ast.FuncDecl); ok {
			st.stripFunc(fn)
		}
	}
	st.stripCalls()
	st.stripTail()
	out, err := st.es.apply(src)
	if err != nil {
		return nil, nil, err
	}
	return out, st.es.sorted(), nil
}

type stripper struct {
	src   []byte
	fset  *token.FileSet
	file  *ast.File
	alias string
	decl  *ast.GenDecl
	spec  *ast.ImportSpec
	es    edits
}

func (st *stripper) off(p token.Pos) int { return st.fset.Position(p).Offset }

func (st *stripper) findImport() bool {
	for _, decl := range st.file.Decls {
		g, ok := decl.(*ast.GenDecl)
		if !ok || g.Tok != token.IMPORT {
			continue
		}
		for _, spec := range g.Specs {
			is := spec.(*ast.ImportSpec)
			if path, _ := strconv.Unquote(is.Path.Value); path == runtimePath && is.Name != nil && strings.HasPrefix(is.Name.Name, "__ddt") {
				st.decl, st.spec, st.alias = g, is, is.Name.Name
				return true
			}
		}
	}
	return false
}

// removeDecl removes the text [start, end) of a declaration that ddt added
// with a blank line in front, or the whole lines it occupies.
func (st *stripper) removeDecl(start, end int) {
	if start >= 2 && string(st.src[start-2:start]) == "\n\n" {
		st.es.replace(start-2, end, "")
		return
	}
	st.removeLines(start, end)
}

// removeLines removes [start, end), extended to whole lines when nothing
// else is on them.
func (st *stripper) removeLines(start, end int) {
	ls, le := lineStart(st.src, start), lineEnd(st.src, end)
	if len(bytes.TrimSpace(st.src[ls:start])) == 0 && len(bytes.TrimSpace(st.src[end:le])) == 0 {
		st.es.replace(ls, min(le+1, len(st.src)), "")
		return
	}
	st.es.replace(start, end, "")
}

func (st *stripper) stripImport() {
	if len(st.decl.Specs) == 1 && !st.decl.Lparen.IsValid() {
		st.removeDecl(st.off(st.decl.Pos()), st.off(st.decl.End()))
		return
	}
	// Someone (goimports) moved the import into a group.
	end := st.off(st.spec.End())
	if st.spec.Comment != nil {
		end = st.off(st.spec.Comment.End())
	}
	st.removeLines(st.off(st.spec.Pos()), end)
}

// prologueOf returns fn's prologue, the if statement on the alias's
// Active(), or nil.
func (st *stripper) prologueOf(fn *ast.FuncDecl) *ast.IfStmt {
	if fn.Body == nil || len(fn.Body.List) == 0 {
		return nil
	}
	is, ok := fn.Body.List[0].(*ast.IfStmt)
	if !ok || is.Init != nil || is.Else != nil {
		return nil
	}
	call, ok := is.Cond.(*ast.CallExpr)
	if !ok || len(call.Args) != 0 {
		return nil
	}
	s, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || s.Sel.Name != "Active" {
		return nil
	}
	if x, ok := s.X.(*ast.Ident); !ok || x.Name != st.alias {
		return nil
	}
	return is
}

// marker returns the options of the prologue's marker comment.
func (st *stripper) marker(is *ast.IfStmt) map[string]string {
	line := st.fset.Position(is.Body.Lbrace).Line
	for _, g := range st.file.Comments {
		for _, c := range g.List {
			if c.Slash < is.Body.Lbrace || st.fset.Position(c.Slash).Line != line || !strings.HasPrefix(c.Text, generatedMarker) {
				continue
			}
			return parseMarker(c.Text[len(generatedMarker):])
		}
	}
	return nil
}

// parseMarker parses ` key="quoted" ...`.
func parseMarker(s string) map[string]string {
	opts := map[string]string{}
	for {
		s = strings.TrimLeft(s, " \t")
		key, rest, ok := strings.Cut(s, "=")
		if !ok {
			return opts
		}
		q, err := strconv.QuotedPrefix(rest)
		if err != nil {
			return opts
		}
		opts[key], _ = strconv.Unquote(q)
		s = rest[len(q):]
	}
}

func (st *stripper) stripFunc(fn *ast.FuncDecl) {
	is := st.prologueOf(fn)
	if is == nil {
		return
	}
	opts := st.marker(is)
	st.stripParams(fn, opts["params"])
	st.stripResults(fn, is, opts["results"])

	ifStart, ifEnd := st.off(is.Pos()), st.off(is.End())
	if orig, ok := opts["body"]; ok {
		// The body was on one line. Put it back as it was when the code in
		// it is still what it was.
		lb, rb := st.off(fn.Body.Lbrace), st.off(fn.Body.Rbrace)
		ls, le := lineStart(st.src, ifStart), lineEnd(st.src, ifEnd)
		rest := string(st.src[lb:ls]) + string(st.src[min(le+1, rb):rb+1])
		if sameTokens(rest, orig) {
			st.es.replace(lb, rb+1, orig)
			return
		}
	}
	st.removeLines(ifStart, ifEnd)
}

// stripResults restores the result list that the marker records, when the
// list is still exactly what ddt made of it; otherwise it only turns ddt's
// result names back into blanks, which keeps the user's edits.
func (st *stripper) stripResults(fn *ast.FuncDecl, is *ast.IfStmt, orig string) {
	res := fn.Type.Results
	if orig == "" || res == nil {
		return
	}
	start, end := st.off(res.Pos()), st.off(res.End())
	cur := string(st.src[start:end])
	var names []string
	for _, field := range res.List {
		for _, id := range field.Names {
			names = append(names, id.Name)
		}
	}
	if named, ok := nameResultsText(orig, names); ok && named == cur {
		st.es.replace(start, end, orig)
		return
	}
	for _, field := range res.List {
		for _, id := range field.Names {
			if strings.HasPrefix(id.Name, "__ddt_r") {
				st.es.replace(st.off(id.Pos()), st.off(id.End()), "_")
			}
		}
	}
}

// stripParams restores the parameter list that the marker records, when
// the list is still exactly what ddt made of it; otherwise it only turns
// ddt's parameter names back into blanks, which keeps the user's edits.
func (st *stripper) stripParams(fn *ast.FuncDecl, orig string) {
	params := fn.Type.Params
	if orig == "" {
		return
	}
	var ddtNames []string
	for _, field := range params.List {
		for _, id := range field.Names {
			name := ""
			if strings.HasPrefix(id.Name, "__ddt_p") {
				name = id.Name
			}
			ddtNames = append(ddtNames, name)
		}
	}
	start, end := st.off(params.Pos()), st.off(params.End())
	if named, ok := nameParamsText(orig, ddtNames); ok && named == string(st.src[start:end]) {
		st.es.replace(start, end, orig)
		return
	}
	for _, field := range params.List {
		for _, id := range field.Names {
			if strings.HasPrefix(id.Name, "__ddt_p") {
				st.es.replace(st.off(id.Pos()), st.off(id.End()), "_")
			}
		}
	}
}

// stripTail removes the version check and the site variables.
func (st *stripper) stripTail() {
	type span struct{ start, end int }
	var spans []span
	for _, decl := range st.file.Decls {
		var doc *ast.CommentGroup
		switch d := decl.(type) {
		case *ast.GenDecl:
			if !st.isGenerated(d) {
				continue
			}
			doc = d.Doc
		case *ast.FuncDecl:
			if !st.isExitHelper(d) && !st.isCallHelper(d) {
				continue
			}
			doc = d.Doc
		default:
			continue
		}
		start := st.off(decl.Pos())
		if doc != nil && len(doc.List) == 1 && doc.List[0].Text == tailComment {
			start = st.off(doc.Pos())
		}
		spans = append(spans, span{start, st.off(decl.End())})
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	// Merge declarations separated only by blank space: the generated tail
	// is one block, removed with the blank line in front of it.
	for i := 0; i < len(spans); {
		j := i
		for j+1 < len(spans) && len(bytes.TrimSpace(st.src[spans[j].end:spans[j+1].start])) == 0 {
			j++
		}
		st.removeDecl(spans[i].start, spans[j].end)
		i = j + 1
	}
}

// isGenerated reports whether g is const _ = alias.GeneratedCodeV2 or a
// declaration of site variables.
func (st *stripper) isGenerated(g *ast.GenDecl) bool {
	if g.Tok != token.CONST && g.Tok != token.VAR || len(g.Specs) == 0 {
		return false
	}
	for _, spec := range g.Specs {
		vs := spec.(*ast.ValueSpec)
		if len(vs.Names) != 1 || len(vs.Values) != 1 || vs.Type != nil {
			return false
		}
		if g.Tok == token.CONST {
			s, ok := vs.Values[0].(*ast.SelectorExpr)
			if !ok || vs.Names[0].Name != "_" || !st.isAlias(s.X) || !strings.HasPrefix(s.Sel.Name, "GeneratedCode") {
				return false
			}
			continue
		}
		lit, ok := vs.Values[0].(*ast.CompositeLit)
		if !ok || !strings.HasPrefix(vs.Names[0].Name, "__ddt_site") {
			return false
		}
		if s, ok := lit.Type.(*ast.SelectorExpr); !ok || !st.isAlias(s.X) || s.Sel.Name != "Site" {
			return false
		}
	}
	return true
}

// isExitHelper reports whether fn is a helper that deferred calls go
// through: func __ddt_exitN[...](c *alias.Call, ...).
func (st *stripper) isExitHelper(fn *ast.FuncDecl) bool {
	if fn.Recv != nil || !strings.HasPrefix(fn.Name.Name, "__ddt_exit") || fn.Type.Params.NumFields() == 0 {
		return false
	}
	star, ok := fn.Type.Params.List[0].Type.(*ast.StarExpr)
	if !ok {
		return false
	}
	s, ok := star.X.(*ast.SelectorExpr)
	return ok && st.isAlias(s.X) && s.Sel.Name == "Call"
}

func (st *stripper) isAlias(x ast.Expr) bool {
	id, ok := x.(*ast.Ident)
	return ok && id.Name == st.alias
}

// stripAll handles Strip mode: every candidate file, including those that
// build constraints exclude, loses its in-place instrumentation.
func (r *run) stripAll() {
	paths := make([]string, 0, len(r.listing.candidates))
	for p := range r.listing.candidates {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, path := range paths {
		orig := r.listing.candidates[path]
		out, _, err := stripSource(orig)
		if err != nil {
			r.parseErrors(&source{path: path, original: orig, src: orig}, err, "cannot be stripped")
			continue
		}
		r.res.Files = append(r.res.Files, &File{Path: path, Original: orig, Output: out})
	}
}
