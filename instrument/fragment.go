package instrument

import (
	"bytes"
	"fmt"
	"go/token"
	"strconv"
	"strings"

	"github.com/dave/dst"
	"github.com/dave/dst/decorator"
)

// The generated fragments are built as dst trees and printed by dst's
// restorer, which formats them exactly as gofmt would at the top level of a
// file. Splicing the printed text then keeps an in-place file gofmt-clean.

// genNames are the identifiers the generated code of one package uses.
type genNames struct {
	Alias string // import alias of ddtrt
	Call  string // the variable holding the *Call
}

// funcGen is what is needed to generate the code of one marked function.
type funcGen struct {
	Site        *siteInfo
	SiteVar     string
	ResultNames []string // one per result: the name the deferred call reads
	ParamNames  []string // one per parameter: the name ddt gives it, or ""; nil if none
	File        string   // Site.File
	Line        int      // Site.Line
}

func ident(name string) *dst.Ident { return dst.NewIdent(name) }

func sel(x, name string) *dst.SelectorExpr {
	return &dst.SelectorExpr{X: ident(x), Sel: ident(name)}
}

func str(s string) *dst.BasicLit { return &dst.BasicLit{Kind: token.STRING, Value: strconv.Quote(s)} }

func num(n int) dst.Expr {
	if n < 0 {
		return &dst.UnaryExpr{Op: token.SUB, X: &dst.BasicLit{Kind: token.INT, Value: strconv.Itoa(-n)}}
	}
	return &dst.BasicLit{Kind: token.INT, Value: strconv.Itoa(n)}
}

func strings_(ss []string) dst.Expr {
	lit := &dst.CompositeLit{Type: &dst.ArrayType{Elt: ident("string")}}
	for _, s := range ss {
		lit.Elts = append(lit.Elts, str(s))
	}
	return lit
}

// siteLit builds the ddtrt.Site literal of g.
func (n genNames) siteLit(g *funcGen) *dst.CompositeLit {
	s := g.Site
	kv := func(k string, v dst.Expr) dst.Expr { return &dst.KeyValueExpr{Key: ident(k), Value: v} }
	lit := &dst.CompositeLit{Type: sel(n.Alias, "Site")}
	lit.Elts = append(lit.Elts, kv("Kind", str(s.Kind)), kv("Func", str(s.Func)), kv("File", str(g.File)), kv("Line", num(g.Line)))
	if len(s.Params) > 0 {
		lit.Elts = append(lit.Elts, kv("Params", strings_(s.Params)))
	}
	if len(s.Results) > 0 {
		lit.Elts = append(lit.Elts, kv("Results", strings_(s.Results)))
	}
	lit.Elts = append(lit.Elts, kv("Ctx", num(s.Ctx)), kv("Req", num(s.Req)), kv("NameArg", num(s.NameArg)))
	if len(s.Options) > 0 {
		m := &dst.CompositeLit{Type: &dst.MapType{Key: ident("string"), Value: ident("string")}}
		for _, k := range sortedKeys(s.Options) {
			m.Elts = append(m.Elts, &dst.KeyValueExpr{Key: str(k), Value: str(s.Options[k])})
		}
		lit.Elts = append(lit.Elts, kv("Options", m))
	}
	return lit
}

// prologue builds
//
//	if __ddt.Active() {
//		__ddt_c := __ddt.Enter(&__ddt_site_F, args...)
//		defer __ddt_exit2(__ddt_c, &__ddt_r0, &__ddt_r1)
//	}
//
// The deferred call is a package-level helper, not a function literal: a
// literal would be F.func1 and renumber the user's own literals (F.func1
// becomes F.func2 in stack traces and runtime.FuncForPC).
func (fg *fileGen) prologue(g *funcGen, marker string) *dst.IfStmt {
	n := fg.Names
	enter := &dst.CallExpr{Fun: sel(n.Alias, "Enter"), Args: []dst.Expr{&dst.UnaryExpr{Op: token.AND, X: ident(g.SiteVar)}}}
	for _, a := range g.Site.Args {
		if a == "" {
			enter.Args = append(enter.Args, nilExpr(g.Site.NilShadowed))
		} else {
			enter.Args = append(enter.Args, ident(a))
		}
	}
	exit := &dst.CallExpr{Fun: ident(fg.Helpers[len(g.ResultNames)]), Args: []dst.Expr{ident(n.Call)}}
	for _, r := range g.ResultNames {
		exit.Args = append(exit.Args, &dst.UnaryExpr{Op: token.AND, X: ident(r)})
	}
	body := &dst.BlockStmt{List: []dst.Stmt{
		&dst.AssignStmt{Lhs: []dst.Expr{ident(n.Call)}, Tok: token.DEFINE, Rhs: []dst.Expr{enter}},
		&dst.DeferStmt{Call: exit},
	}}
	body.List[0].Decorations().Before = dst.NewLine
	body.List[1].Decorations().Before = dst.NewLine
	body.List[1].Decorations().After = dst.NewLine
	if marker != "" {
		body.Decs.Lbrace.Append(marker)
	}
	return &dst.IfStmt{Cond: &dst.CallExpr{Fun: sel(n.Alias, "Active")}, Body: body}
}

// exitHelper builds the helper that a function with n results defers:
//
//	func __ddt_exit2[R0, R1 interface{}](c *__ddt.Call, r0 *R0, r1 *R1) {
//		if o, ok := c.Exit(recover(), *r0, *r1).(R0); ok {
//			*r0 = o
//		}
//	}
//
// It is the deferred function itself, so its recover() sees the marked
// function's panic. Exit returns the value that replaces the first result
// when the toolbar's user overrode a flag (nil otherwise, which no type
// assertion accepts): the real results are recorded, the override
// returned. It reads the results through pointers when the marked
// function returns; as the pointers do not escape, the results stay on the
// stack. Its type parameters are inferred at the call, so it serves
// generic functions too, and its constraint is interface{}, which no
// declaration of the user's can redefine.
func (fg *fileGen) exitHelper(name string, n int) *dst.FuncDecl {
	typ := &dst.FuncType{Func: true, Params: &dst.FieldList{List: []*dst.Field{
		{Names: []*dst.Ident{ident("c")}, Type: &dst.StarExpr{X: sel(fg.Names.Alias, "Call")}},
	}}}
	var recovered dst.Expr = &dst.CallExpr{Fun: ident("recover")}
	if fg.RecoverShadowed {
		recovered = nilExpr(fg.NilShadowed)
	}
	exit := &dst.CallExpr{Fun: sel("c", "Exit"), Args: []dst.Expr{recovered}}
	if n > 0 {
		tparams := &dst.Field{Type: &dst.InterfaceType{Methods: &dst.FieldList{Opening: true, Closing: true}}}
		for i := range n {
			tparams.Names = append(tparams.Names, ident("R"+strconv.Itoa(i)))
			typ.Params.List = append(typ.Params.List, &dst.Field{
				Names: []*dst.Ident{ident("r" + strconv.Itoa(i))},
				Type:  &dst.StarExpr{X: ident("R" + strconv.Itoa(i))},
			})
			exit.Args = append(exit.Args, &dst.StarExpr{X: ident("r" + strconv.Itoa(i))})
		}
		typ.TypeParams = &dst.FieldList{List: []*dst.Field{tparams}}
		// if o, ok := c.Exit(...).(R0); ok { *r0 = o }
		assign := &dst.IfStmt{
			Init: &dst.AssignStmt{Lhs: []dst.Expr{ident("o"), ident("ok")}, Tok: token.DEFINE,
				Rhs: []dst.Expr{&dst.TypeAssertExpr{X: exit, Type: ident("R0")}}},
			Cond: ident("ok"),
			Body: &dst.BlockStmt{List: []dst.Stmt{&dst.AssignStmt{
				Lhs: []dst.Expr{&dst.StarExpr{X: ident("r0")}}, Tok: token.ASSIGN, Rhs: []dst.Expr{ident("o")}}}},
		}
		return &dst.FuncDecl{Name: ident(name), Type: typ, Body: &dst.BlockStmt{List: []dst.Stmt{assign}}}
	}
	return &dst.FuncDecl{Name: ident(name), Type: typ, Body: &dst.BlockStmt{List: []dst.Stmt{&dst.ExprStmt{X: exit}}}}
}

// printFile prints a dst file, formatted as gofmt does.
func printFile(f *dst.File) (string, error) {
	var buf bytes.Buffer
	if err := decorator.Fprint(&buf, f); err != nil {
		return "", fmt.Errorf("internal error: printing generated code: %v", err)
	}
	return buf.String(), nil
}

// printDecls prints top-level declarations, without the package clause.
func printDecls(decls ...dst.Decl) (string, error) {
	out, err := printFile(&dst.File{Name: ident("p"), Decls: decls})
	if err != nil {
		return "", err
	}
	_, rest, _ := strings.Cut(out, "\n")
	return strings.TrimLeft(rest, "\n"), nil
}

// printStmts prints statements as the body of a top-level function: each
// line indented by one tab, ending in a newline.
func printStmts(stmts ...dst.Stmt) (string, error) {
	fn := &dst.FuncDecl{Name: ident("_"), Type: &dst.FuncType{Func: true, Params: &dst.FieldList{}}, Body: &dst.BlockStmt{List: stmts}}
	out, err := printDecls(fn)
	if err != nil {
		return "", err
	}
	start := strings.Index(out, "{\n")
	end := strings.LastIndex(out, "}")
	if start < 0 || end < start {
		return "", fmt.Errorf("internal error: unexpected generated function %q", out)
	}
	return out[start+2 : end], nil
}

// nilExpr is a nil interface value: nil, or where the function sees a
// user's nil, [1]interface{}{}[0], which names nothing that can be
// redeclared.
func nilExpr(shadowed bool) dst.Expr {
	if !shadowed {
		return ident("nil")
	}
	return &dst.IndexExpr{
		X: &dst.CompositeLit{Type: &dst.ArrayType{
			Len: &dst.BasicLit{Kind: token.INT, Value: "1"},
			Elt: &dst.InterfaceType{Methods: &dst.FieldList{Opening: true, Closing: true}},
		}},
		Index: &dst.BasicLit{Kind: token.INT, Value: "0"},
	}
}

// nilText is nilExpr as source text.
func nilText(shadowed bool) string {
	if shadowed {
		return "[1]interface{}{}[0]"
	}
	return "nil"
}
