package instrument

import (
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
)

// Strip restores recorded original text only when the code it covers is
// still what ddt made of it; these decide that.

// nameResultsText is what resultEdits makes of the result list orig when
// the results are given names.
func nameResultsText(orig string, names []string) (string, bool) {
	const prefix = "package p\nfunc _() "
	src := []byte(prefix + orig + " {}\n")
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.SkipObjectResolution)
	if err != nil || len(f.Decls) != 1 {
		return "", false
	}
	fn, ok := f.Decls[0].(*ast.FuncDecl)
	if !ok || fn.Type.Results == nil || fn.Type.Results.NumFields() != len(names) {
		return "", false
	}
	fg := &fileGen{Fset: fset, Src: src, File: f}
	es, _ := resultEdits(fg, fn.Type.Results, names)
	out, err := es.apply(src)
	if err != nil {
		return "", false
	}
	text := string(out[len(prefix):])
	return text[:len(text)-len(" {}\n")], true
}

// nameParamsText is what paramEdits makes of the parameter list orig when
// the parameters are given the names ddtNames (see paramEdits).
func nameParamsText(orig string, ddtNames []string) (string, bool) {
	const prefix = "package p\nfunc _"
	src := []byte(prefix + orig + " {}\n")
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.SkipObjectResolution)
	if err != nil || len(f.Decls) != 1 {
		return "", false
	}
	fn, ok := f.Decls[0].(*ast.FuncDecl)
	if !ok || fn.Type.Params.NumFields() != len(ddtNames) || fn.Type.Results != nil {
		return "", false
	}
	fg := &fileGen{Fset: fset, Src: src, File: f}
	out, err := paramEdits(fg, fn.Type.Params, ddtNames).apply(src)
	if err != nil {
		return "", false
	}
	text := string(out[len(prefix):])
	return text[:len(text)-len(" {}\n")], true
}

// sameTokens reports whether a and b hold the same Go tokens and comments,
// ignoring layout and semicolons.
func sameTokens(a, b string) bool {
	ta, tb := tokens(a), tokens(b)
	if len(ta) != len(tb) {
		return false
	}
	for i := range ta {
		if ta[i] != tb[i] {
			return false
		}
	}
	return true
}

func tokens(s string) []string {
	var sc scanner.Scanner
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(s))
	sc.Init(file, []byte(s), nil, scanner.ScanComments)
	var out []string
	for {
		_, tok, lit := sc.Scan()
		if tok == token.EOF {
			return out
		}
		if tok == token.SEMICOLON {
			continue
		}
		out = append(out, tok.String()+" "+lit)
	}
}
