package instrument

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strings"
)

// siteInfo is everything the generated code of one marked function needs
// that the type checker knows: the ddtrt.Site fields and the arguments.
type siteInfo struct {
	Kind    string
	Func    string   // qualified name
	Params  []string // names recorded in Site.Params
	Args    []string // expression passed to Enter for each of Params ("" = nil)
	Results []string // original result names ("" unnamed, "_" blank)
	Ctx     int
	Req     int
	NameArg int
	Options map[string]string
	// NilShadowed is set when nil is not the builtin in the function: the
	// prologue then passes blank parameters as [1]interface{}{}[0].
	NilShadowed bool
	// Recv is 1 when Params starts with the receiver, else 0.
	Recv int
	// Unnamed lists the indexes in Params of the unnamed or blank
	// parameters that attribute the call (Ctx, Req): the generated code
	// names them so that it can pass them to Enter.
	Unnamed []int
}

// analyzeFunc computes the site of m, or reports why m cannot be
// instrumented.
func analyzeFunc(pkgName string, info *types.Info, m *marked) (*siteInfo, []diagErr) {
	fn := m.Decl
	s := &siteInfo{Kind: m.Dir.Kind, Ctx: -1, Req: -1, NameArg: -1}
	s.Func = qualifiedName(pkgName, fn)
	if len(m.Dir.Options) > 0 {
		s.Options = m.Dir.Options
	}

	type param struct {
		name string
		typ  types.Type
	}
	var params []param
	if fn.Recv != nil && len(fn.Recv.List) == 1 && len(fn.Recv.List[0].Names) == 1 && fn.Recv.List[0].Names[0].Name != "_" {
		id := fn.Recv.List[0].Names[0]
		params = append(params, param{id.Name, typeOfIdent(info, id)})
		s.Recv = 1
	}
	for _, field := range fn.Type.Params.List {
		t := info.TypeOf(field.Type)
		if e, ok := field.Type.(*ast.Ellipsis); ok {
			t = types.NewSlice(info.TypeOf(e.Elt)) // a variadic arrives as its slice
		}
		if len(field.Names) == 0 {
			params = append(params, param{"", t})
			continue
		}
		for _, id := range field.Names {
			params = append(params, param{id.Name, t})
		}
	}
	for i, p := range params {
		s.Params = append(s.Params, p.name)
		if p.name == "" || p.name == "_" {
			s.Args = append(s.Args, "")
		} else {
			s.Args = append(s.Args, p.name)
		}
		if p.typ == nil {
			continue
		}
		// An unnamed or blank parameter attributes the call too: the
		// generated code gives it a name (see Unnamed).
		attributes := false
		if s.Ctx < 0 && isContext(p.typ) {
			s.Ctx, attributes = i, true
		}
		if s.Req < 0 && hasContextMethod(p.typ) {
			s.Req, attributes = i, true
		}
		if attributes && (p.name == "" || p.name == "_") {
			s.Unnamed = append(s.Unnamed, i)
		}
	}

	if fn.Type.Results != nil {
		for _, field := range fn.Type.Results.List {
			if len(field.Names) == 0 {
				s.Results = append(s.Results, "")
				continue
			}
			for _, id := range field.Names {
				s.Results = append(s.Results, id.Name)
			}
		}
	}

	var errs []diagErr
	if opt, ok := m.Dir.Options["name"]; ok {
		s.NameArg = -1
		for i, p := range params {
			if p.name == opt && opt != "_" {
				s.NameArg = i
			}
		}
		switch {
		case s.NameArg < 0:
			errs = append(errs, diagErr{m.Dir.OptPos["name"], fmt.Sprintf("name=%s: %s has no parameter %s (parameters: %s)", opt, fn.Name.Name, opt, paramList(s.Params))})
		case params[s.NameArg].typ != nil && !isString(params[s.NameArg].typ):
			// The name is what the event is about (the flag's name): a
			// string, or a type whose underlying type is string.
			typ := typeText(info, fn, params[s.NameArg].typ)
			errs = append(errs, diagErr{m.Dir.OptPos["name"], fmt.Sprintf("name=%s: parameter %s of %s has type %s, not a string type", opt, opt, fn.Name.Name, typ)})
		}
	} else if s.Kind == kindFlag {
		for i, p := range params {
			if p.name != "" && p.name != "_" && p.typ != nil && isString(p.typ) {
				s.NameArg = i
				break
			}
		}
		if s.NameArg < 0 {
			errs = append(errs, diagErr{m.Dir.Pos, fmt.Sprintf("//ddt:flag on %s, which has no named string parameter to name the flag: add name=<param>", fn.Name.Name)})
		}
	}
	if s.Kind == kindFlag {
		if msg := checkFlagResults(info, fn); msg != "" {
			errs = append(errs, diagErr{m.Dir.Pos, msg})
		}
	}

	// nil must mean the builtin where the prologue uses it.
	if scope := info.Scopes[fn.Type]; scope != nil {
		s.NilShadowed = !isUniverse(scope, "nil")
	}
	return s, errs
}

func isUniverse(scope *types.Scope, name string) bool {
	_, obj := scope.LookupParent(name, token.NoPos)
	return obj == nil || obj.Parent() == types.Universe
}

func paramList(names []string) string {
	var named []string
	for _, n := range names {
		if n != "" && n != "_" {
			named = append(named, n)
		}
	}
	if len(named) == 0 {
		return "none"
	}
	return strings.Join(named, ", ")
}

// typeText writes t as the source of fn's package would: its own types
// unqualified, others by package name.
func typeText(info *types.Info, fn *ast.FuncDecl, t types.Type) string {
	var own *types.Package
	if obj := info.Defs[fn.Name]; obj != nil {
		own = obj.Pkg()
	}
	return types.TypeString(t, func(p *types.Package) string {
		if p == own {
			return ""
		}
		return p.Name()
	})
}

func typeOfIdent(info *types.Info, id *ast.Ident) types.Type {
	if obj := info.Defs[id]; obj != nil {
		return obj.Type()
	}
	return nil
}

// checkFlagResults returns why fn cannot be a flag, or "".
func checkFlagResults(info *types.Info, fn *ast.FuncDecl) string {
	var results []types.Type
	if fn.Type.Results != nil {
		for _, field := range fn.Type.Results.List {
			n := max(len(field.Names), 1)
			for range n {
				results = append(results, info.TypeOf(field.Type))
			}
		}
	}
	ok := len(results) >= 1 && len(results) <= 2 && (isBool(results[0]) || isString(results[0]))
	if ok && len(results) == 2 {
		ok = types.Identical(results[1], types.Universe.Lookup("error").Type())
	}
	if ok {
		return ""
	}
	var names []string
	for _, t := range results {
		names = append(names, types.TypeString(t, func(p *types.Package) string { return p.Name() }))
	}
	got := "nothing"
	if len(names) > 0 {
		got = "(" + strings.Join(names, ", ") + ")"
	}
	return fmt.Sprintf("//ddt:flag on %s, which returns %s: a flag returns bool or string, alone or with an error", fn.Name.Name, got)
}

// qualifiedName is the name an event shows for fn: pkg.Func, pkg.Func[T],
// pkg.T.Method, pkg.(*T).Method, pkg.(*List[T]).Push.
func qualifiedName(pkgName string, fn *ast.FuncDecl) string {
	name := fn.Name.Name
	if fn.Type.TypeParams != nil {
		name += "[" + strings.Join(fieldNames(fn.Type.TypeParams), ", ") + "]"
	}
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return pkgName + "." + name
	}
	recv := fn.Recv.List[0].Type
	star := false
	if p, ok := recv.(*ast.ParenExpr); ok {
		recv = p.X
	}
	if s, ok := recv.(*ast.StarExpr); ok {
		star, recv = true, s.X
	}
	typ := types.ExprString(recv)
	if star {
		return pkgName + ".(*" + typ + ")." + name
	}
	return pkgName + "." + typ + "." + name
}

func fieldNames(fl *ast.FieldList) []string {
	var names []string
	for _, f := range fl.List {
		for _, id := range f.Names {
			names = append(names, id.Name)
		}
	}
	return names
}

// sortedKeys returns the keys of m in order.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
