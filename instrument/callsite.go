package instrument

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/token"
	"go/types"
	"sort"
	"strconv"
	"strings"

	"github.com/dave/dst"
	"github.com/dave/dst/decorator"
)

// Wrapping the call sites that call-site rules select.
//
// A call F(args) of a rule's target becomes
//
//	__ddt_call2_1(&__ddt_site_call_F, F)(args)
//
// on the same line: only the function expression is wrapped, so the
// arguments are the user's text, evaluated as before (a multi-value call
// g() still spreads into F(g()), args... still passes the slice). The
// helper, one per shape of signature and declared at the end of the file,
// returns F itself while nothing is recorded (one atomic load), else a
// function literal that records the call around F:
//
//	func __ddt_call2_1[A0, A1, R0 interface{}](s *__ddt.Site, f func(A0, A1) R0) func(A0, A1) R0 {
//		if !__ddt.Active() {
//			return f
//		}
//		return func(a0 A0, a1 A1) (r0 R0) {
//			c := __ddt.Enter(s, a0, a1)
//			defer func() {
//				if o, ok := c.Exit(recover(), r0).(R0); ok {
//					r0 = o
//				}
//			}()
//			return f(a0, a1)
//		}
//	}
//
// Exit returns a flag's override, which replaces the first result as in a
// marked function (see exitHelper).
//
// Enter skips the literal's frame, so the recorded stack starts at the
// user's call. A generic callee whose type arguments are inferred cannot be
// passed as a value without them, so the helper is instantiated explicitly
// with the call's parameter and result types (F's are then inferred); a
// call whose types cannot be written in its file (an unexported type of
// another package) is left alone, with a warning.

// callShape is the shape of a signature that one helper serves.
type callShape struct {
	Params, Results int
	Variadic        bool
}

// callGen is one call site to wrap.
type callGen struct {
	Call     *ast.CallExpr
	Gen      *funcGen // its site (Site, SiteVar, File, Line)
	Shape    callShape
	TypeArgs string // the helper's explicit instantiation, "[...]", or ""
}

// findCalls returns the calls in f of the rules' targets, in source order,
// and warns about those it cannot wrap. Calls in defer statements are not
// wrapped (the deferred function would no longer be called by the
// deferring one, so a recover() in it would stop seeing panics), nor calls
// in a function marked //ddt:ignore.
func (r *run) findCalls(s *source, fset *token.FileSet, f *ast.File, p *types.Package, info *types.Info) []*callGen {
	if len(r.rules) == 0 {
		return nil
	}
	deferred := map[*ast.CallExpr]bool{}
	var calls []*callGen
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncDecl:
			return !hasIgnoreDirective(n.Doc)
		case *ast.DeferStmt:
			deferred[n.Call] = true
		case *ast.CallExpr:
			if deferred[n] {
				return true
			}
			if c := r.callSite(s, fset, f, p, info, n); c != nil {
				calls = append(calls, c)
			}
		}
		return true
	})
	return calls
}

func hasIgnoreDirective(doc *ast.CommentGroup) bool {
	if doc == nil {
		return false
	}
	for _, c := range doc.List {
		if rest, ok := strings.CutPrefix(c.Text, directivePrefix+kindIgnore); ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t') {
			return true
		}
	}
	return false
}

// callee returns the function or method a call calls statically, and
// whether it is called through a method expression (T.M(recv, ...)).
func callee(info *types.Info, call *ast.CallExpr) (*types.Func, bool) {
	fun := ast.Unparen(call.Fun)
	switch x := fun.(type) {
	case *ast.IndexExpr:
		fun = ast.Unparen(x.X)
	case *ast.IndexListExpr:
		fun = ast.Unparen(x.X)
	}
	var obj types.Object
	methodExpr := false
	switch x := fun.(type) {
	case *ast.Ident:
		obj = info.Uses[x]
	case *ast.SelectorExpr:
		if sel := info.Selections[x]; sel != nil {
			obj = sel.Obj()
			methodExpr = sel.Kind() == types.MethodExpr
		} else {
			obj = info.Uses[x.Sel]
		}
	}
	fn, _ := obj.(*types.Func)
	return fn, methodExpr
}

// callSite returns the site of call if a rule selects it.
func (r *run) callSite(s *source, fset *token.FileSet, f *ast.File, p *types.Package, info *types.Info, call *ast.CallExpr) *callGen {
	fn, methodExpr := callee(info, call)
	if fn == nil {
		return nil
	}
	rule := r.rules[fn.Origin().FullName()]
	if rule == nil {
		return nil
	}
	sig, ok := info.TypeOf(call.Fun).(*types.Signature)
	if !ok {
		return nil
	}
	site := &siteInfo{Kind: rule.Kind, Func: rule.Display, Ctx: -1, Req: -1, NameArg: rule.NameArg}
	if methodExpr && site.NameArg >= 0 {
		site.NameArg++
	}
	params := sig.Params()
	for i := range params.Len() {
		v := params.At(i)
		site.Params = append(site.Params, v.Name())
		t := v.Type()
		if sig.Variadic() && i == params.Len()-1 {
			t = types.NewSlice(t.(*types.Slice).Elem())
		}
		if site.Ctx < 0 && isContext(t) {
			site.Ctx = i
		}
		if site.Req < 0 && hasContextMethod(t) {
			site.Req = i
		}
	}
	for i := range sig.Results().Len() {
		site.Results = append(site.Results, sig.Results().At(i).Name())
	}
	c := &callGen{Call: call, Gen: &funcGen{Site: site}, Shape: callShape{Params: params.Len(), Results: sig.Results().Len(), Variadic: sig.Variadic()}}
	if origin := fn.Origin().Type().(*types.Signature); origin.TypeParams().Len() > 0 {
		args, bad := typeArgsText(f, p, info, sig)
		if bad != "" {
			r.warn(s, fset, call.Pos(), fmt.Sprintf("call of %s not instrumented: %s cannot be written in this file", rule.Display, bad))
			return nil
		}
		c.TypeArgs = args
	}
	return c
}

// typeArgsText writes the parameter and result types of sig as the type
// arguments of its helper, as the file f of package p can write them, or
// returns the first type it cannot write.
func typeArgsText(f *ast.File, p *types.Package, info *types.Info, sig *types.Signature) (string, string) {
	names := map[string]string{} // package path -> name in f ("" for a dot import)
	for _, spec := range f.Imports {
		var pn *types.PkgName
		if spec.Name != nil {
			pn, _ = info.Defs[spec.Name].(*types.PkgName)
		} else {
			pn, _ = info.Implicits[spec].(*types.PkgName)
		}
		if pn == nil || spec.Name != nil && spec.Name.Name == "_" {
			continue
		}
		name := pn.Name()
		if spec.Name != nil && spec.Name.Name == "." {
			name = ""
		}
		names[pn.Imported().Path()] = name
	}
	bad := ""
	qualifier := func(q *types.Package) string {
		if q == p {
			return ""
		}
		name, ok := names[q.Path()]
		if !ok && bad == "" {
			bad = "a type of package " + q.Path() + ", which it does not import,"
		}
		return name
	}
	var parts []string
	add := func(t types.Type) {
		if bad == "" {
			if u := unwritable(t, p); u != "" {
				bad = u
			}
		}
		parts = append(parts, types.TypeString(t, qualifier))
	}
	params := sig.Params()
	for i := range params.Len() {
		t := params.At(i).Type()
		if sig.Variadic() && i == params.Len()-1 {
			t = t.(*types.Slice).Elem()
		}
		add(t)
	}
	for i := range sig.Results().Len() {
		add(sig.Results().At(i).Type())
	}
	return "[" + strings.Join(parts, ", ") + "]", bad
}

// unwritable returns a description of the first part of t that code of
// package p cannot name (an unexported type of another package), or "".
func unwritable(t types.Type, p *types.Package) string {
	seen := map[types.Type]bool{}
	var walk func(t types.Type) string
	walk = func(t types.Type) string {
		if seen[t] {
			return ""
		}
		seen[t] = true
		switch t := t.(type) {
		case *types.Named:
			obj := t.Obj()
			if obj.Pkg() != nil && obj.Pkg() != p && !obj.Exported() {
				return "the unexported type " + obj.Pkg().Name() + "." + obj.Name()
			}
			if obj.Pkg() == p && obj.Parent() != nil && obj.Parent() != p.Scope() {
				return "the local type " + obj.Name()
			}
			for i := range t.TypeArgs().Len() {
				if u := walk(t.TypeArgs().At(i)); u != "" {
					return u
				}
			}
		case *types.Alias:
			return walk(types.Unalias(t))
		case *types.Pointer:
			return walk(t.Elem())
		case *types.Slice:
			return walk(t.Elem())
		case *types.Array:
			return walk(t.Elem())
		case *types.Chan:
			return walk(t.Elem())
		case *types.Map:
			if u := walk(t.Key()); u != "" {
				return u
			}
			return walk(t.Elem())
		case *types.Signature:
			for _, tup := range []*types.Tuple{t.Params(), t.Results()} {
				for i := range tup.Len() {
					if u := walk(tup.At(i).Type()); u != "" {
						return u
					}
				}
			}
		case *types.Struct:
			for i := range t.NumFields() {
				if !t.Field(i).Exported() && t.Field(i).Pkg() != p {
					return "a struct with unexported fields of another package"
				}
				if u := walk(t.Field(i).Type()); u != "" {
					return u
				}
			}
		case *types.Interface:
			for i := range t.NumMethods() {
				if !t.Method(i).Exported() && t.Method(i).Pkg() != p {
					return "an interface with unexported methods of another package"
				}
			}
		case *types.TypeParam:
			return "the type parameter " + t.Obj().Name()
		}
		return ""
	}
	return walk(t)
}

// addCalls names the sites and helpers of the file's call sites.
func (fg *fileGen) addCalls(calls []*callGen, nm *namer, file string) {
	if fg.CallHelpers == nil {
		fg.CallHelpers = map[callShape]string{}
	}
	for _, c := range calls {
		c.Gen.SiteVar = nm.fresh("__ddt_site_call_" + callSiteBase(c.Gen.Site.Func))
		c.Gen.File = file
		if fg.CallHelpers[c.Shape] == "" {
			base := "__ddt_call"
			if c.Shape.Variadic {
				base += "v"
			}
			fg.CallHelpers[c.Shape] = nm.fresh(base + strconv.Itoa(c.Shape.Params) + "_" + strconv.Itoa(c.Shape.Results))
		}
		fg.Calls = append(fg.Calls, c)
	}
}

// callSiteBase makes an identifier part out of a display name:
// ffclient.BoolVariation -> ffclient_BoolVariation.
func callSiteBase(display string) string {
	var b strings.Builder
	for _, r := range display {
		switch {
		case r == '.' && b.Len() > 0 && !strings.HasSuffix(b.String(), "_"):
			b.WriteByte('_')
		case r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		}
	}
	return b.String()
}

// callEdits wraps the function expression of every call site.
func (fg *fileGen) callEdits() edits {
	var es edits
	for _, c := range fg.Calls {
		helper := fg.CallHelpers[c.Shape] + c.TypeArgs
		es.insert(fg.off(c.Call.Fun.Pos()), helper+"(&"+c.Gen.SiteVar+", ")
	}
	// The closing parentheses after every opening one: a call site nested
	// in another's function expression (F(x).M(y)) closes first.
	for i := len(fg.Calls) - 1; i >= 0; i-- {
		es.insert(fg.off(fg.Calls[i].Call.Fun.End()), ")")
	}
	return es
}

// setCallLines sets the line of every call site in the edited text.
func (fg *fileGen) setCallLines(es edits, lines []int) {
	for _, c := range fg.Calls {
		off := es.mapForward(fg.off(c.Call.Pos()))
		c.Gen.Line = 1 + sort.SearchInts(lines, off+1)
	}
}

// callHelperDecls builds the file's call helpers, in a fixed order.
func (fg *fileGen) callHelperDecls() ([]dst.Decl, error) {
	shapes := make([]callShape, 0, len(fg.CallHelpers))
	for k := range fg.CallHelpers {
		shapes = append(shapes, k)
	}
	sort.Slice(shapes, func(i, j int) bool { return fg.CallHelpers[shapes[i]] < fg.CallHelpers[shapes[j]] })
	var src strings.Builder
	src.WriteString("package p\n")
	for _, k := range shapes {
		src.WriteString(fg.callHelperText(fg.CallHelpers[k], k))
	}
	f, err := decorator.Parse(src.String())
	if err != nil {
		return nil, fmt.Errorf("internal error: generated call helper: %v", err)
	}
	for _, d := range f.Decls {
		d.Decorations().Before = dst.EmptyLine
	}
	return f.Decls, nil
}

// callHelperText is the source of one call helper (see the comment at the
// top of this file).
func (fg *fileGen) callHelperText(name string, k callShape) string {
	alias := fg.Names.Alias
	var tparams, ftParams, ftResults, params, args, enter, results, rets []string
	for i := range k.Params {
		a := "A" + strconv.Itoa(i)
		tparams = append(tparams, a)
		v := "a" + strconv.Itoa(i)
		enter = append(enter, v)
		if k.Variadic && i == k.Params-1 {
			ftParams = append(ftParams, "..."+a)
			params = append(params, v+" ..."+a)
			args = append(args, v+"...")
			continue
		}
		ftParams = append(ftParams, a)
		params = append(params, v+" "+a)
		args = append(args, v)
	}
	for i := range k.Results {
		r := "R" + strconv.Itoa(i)
		tparams = append(tparams, r)
		ftResults = append(ftResults, r)
		results = append(results, "r"+strconv.Itoa(i)+" "+r)
		rets = append(rets, "r"+strconv.Itoa(i))
	}
	typeParams := ""
	if len(tparams) > 0 {
		typeParams = "[" + strings.Join(tparams, ", ") + " interface{}]"
	}
	ftype := "func(" + strings.Join(ftParams, ", ") + ")"
	switch len(ftResults) {
	case 0:
	case 1:
		ftype += " " + ftResults[0]
	default:
		ftype += " (" + strings.Join(ftResults, ", ") + ")"
	}
	recovered := "recover()"
	if fg.RecoverShadowed {
		recovered = nilText(fg.NilShadowed)
	}
	exit := "c.Exit(" + strings.Join(append([]string{recovered}, rets...), ", ") + ")"
	// Exit returns the override of a flag the toolbar's user forced, which
	// replaces the first result as in a marked function (nil otherwise,
	// which the type assertion refuses).
	deferred := exit
	if len(rets) > 0 {
		deferred = "if o, ok := " + exit + ".(R0); ok { r0 = o }"
	}
	call := "f(" + strings.Join(args, ", ") + ")"
	body := "return " + call
	resultList := ""
	if len(results) > 0 {
		resultList = " (" + strings.Join(results, ", ") + ")"
	} else {
		body = call
	}
	enterArgs := strings.Join(append([]string{"s"}, enter...), ", ")
	return fmt.Sprintf(`
func %[1]s%[2]s(s *%[3]s.Site, f %[4]s) %[4]s {
	if !%[3]s.Active() {
		return f
	}
	return func(%[5]s)%[6]s {
		c := %[3]s.Enter(%[7]s)
		defer func() { %[8]s }()
		%[9]s
	}
}
`, name, typeParams, alias, ftype, strings.Join(params, ", "), resultList, enterArgs, deferred, body)
}

// inPlaceCalls returns the calls that in-place output can wrap and warns
// about the others: gofmt keeps a function body on one line only while it
// is short, so a wrapped call in a one-line body would be re-laid out on
// lines of its own, which strip could not undo. Overlay builds wrap them.
func (r *run) inPlaceCalls(s *source, fset *token.FileSet, f *ast.File, calls []*callGen) []*callGen {
	if len(calls) == 0 {
		return nil
	}
	var oneLine []*ast.BlockStmt
	ast.Inspect(f, func(n ast.Node) bool {
		var body *ast.BlockStmt
		switch n := n.(type) {
		case *ast.FuncDecl:
			body = n.Body
		case *ast.FuncLit:
			body = n.Body
		}
		if body != nil && fset.Position(body.Lbrace).Line == fset.Position(body.Rbrace).Line {
			oneLine = append(oneLine, body)
		}
		return true
	})
	var out []*callGen
	for _, c := range calls {
		inside := false
		for _, b := range oneLine {
			if b.Lbrace < c.Call.Pos() && c.Call.End() <= b.Rbrace {
				inside = true
				break
			}
		}
		if inside {
			r.warn(s, fset, c.Call.Pos(), fmt.Sprintf("call of %s not instrumented in place: it is in a one-line function body, which gofmt would split once the call is wrapped (overlay builds instrument it)", c.Gen.Site.Func))
			continue
		}
		out = append(out, c)
	}
	return out
}

// gofmtClean reports whether src is as gofmt prints it.
func gofmtClean(src []byte) bool {
	out, err := format.Source(src)
	return err == nil && bytes.Equal(out, src)
}
