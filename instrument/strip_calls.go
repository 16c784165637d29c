package instrument

import (
	"go/ast"
	"strings"
)

// stripCalls removes the wrappers of call sites:
// __ddt_call2_1(&__ddt_site_call_F, F)(args) gives back F(args), the text
// of the second argument being the user's own.
func (st *stripper) stripCalls() {
	ast.Inspect(st.file, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || !st.isCallWrapper(call) {
			return true
		}
		inner := call.Args[1]
		st.es.replace(st.off(call.Pos()), st.off(inner.Pos()), "")
		st.es.replace(st.off(inner.End()), st.off(call.End()), "")
		return true
	})
}

// isCallWrapper reports whether call is __ddt_callN_M[...](&__ddt_site..., F).
func (st *stripper) isCallWrapper(call *ast.CallExpr) bool {
	if len(call.Args) != 2 || call.Ellipsis.IsValid() {
		return false
	}
	fun := call.Fun
	switch x := fun.(type) {
	case *ast.IndexExpr:
		fun = x.X
	case *ast.IndexListExpr:
		fun = x.X
	}
	id, ok := fun.(*ast.Ident)
	if !ok || !strings.HasPrefix(id.Name, "__ddt_call") {
		return false
	}
	u, ok := call.Args[0].(*ast.UnaryExpr)
	if !ok {
		return false
	}
	site, ok := u.X.(*ast.Ident)
	return ok && strings.HasPrefix(site.Name, "__ddt_site")
}

// isCallHelper reports whether fn is a call helper:
// func __ddt_callN_M[...](s *alias.Site, f func(...) ...) func(...) ....
func (st *stripper) isCallHelper(fn *ast.FuncDecl) bool {
	if fn.Recv != nil || !strings.HasPrefix(fn.Name.Name, "__ddt_call") || fn.Type.Params.NumFields() != 2 {
		return false
	}
	star, ok := fn.Type.Params.List[0].Type.(*ast.StarExpr)
	if !ok {
		return false
	}
	s, ok := star.X.(*ast.SelectorExpr)
	return ok && st.isAlias(s.X) && s.Sel.Name == "Site"
}
