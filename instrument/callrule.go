package instrument

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"
)

// Call-site rules.
//
// A rule is a line comment anywhere in a .go file of the loaded packages:
//
//	//ddt:calls <kind> <function> [name=<param>]
//
// where <function> is written as types.Func.FullName writes it:
// path/to/pkg.Func, (path/to/pkg.T).Method or (*path/to/pkg.T).Method. It
// instruments every call of that function in the loaded packages, where the
// call is made, as if the function carried //ddt:<kind>.

// callRulePrefix starts a call-site rule. scanFile leaves such comments to
// the rule parser.
const callRulePrefix = directivePrefix + "calls"

var callRuleBytes = []byte(callRulePrefix)

// HasCallRules reports whether the file content src may declare a
// call-site rule (//ddt:calls): a change to such a file can change the
// instrumentation of every package, not only its own.
func HasCallRules(src []byte) bool { return bytes.Contains(src, callRuleBytes) }

// isCallRule reports whether c is a //ddt:calls rule rather than a
// directive on a declaration.
func isCallRule(c *ast.Comment) bool {
	rest, ok := strings.CutPrefix(c.Text, callRulePrefix)
	return ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t')
}

// CallRule is one parsed //ddt:calls comment.
type CallRule struct {
	Kind    string
	Target  string // as written
	PkgPath string
	Recv    string // receiver type name, "" for a function
	Ptr     bool   // (*T).M
	Name    string // function or method name
	NameOpt string // name= value, "" if none
	// Positions, for messages.
	Pos, TargetPos, NameOptPos token.Position

	// Set by resolve.
	Key     string // types.Func.FullName of the target's origin
	Display string // pkg.Func, pkg.(*T).Method, as events show it
	NameArg int    // index of the name= parameter, receiver excluded; -1 if none
	Params  []string
}

// parseCallRule parses the text of a comment that isCallRule. pos is the
// position of its "//"; errors are at positions inside it.
func parseCallRule(text string, pos token.Position) (*CallRule, []Diagnostic) {
	at := func(i int) token.Position {
		p := pos
		p.Offset += i
		p.Column += i
		return p
	}
	rule := &CallRule{Pos: pos, NameArg: -1}
	type field struct {
		text string
		at   int
	}
	var fields []field
	for i := len(callRulePrefix); i < len(text); {
		if text[i] == ' ' || text[i] == '\t' {
			i++
			continue
		}
		end := i
		for end < len(text) && text[end] != ' ' && text[end] != '\t' {
			end++
		}
		fields = append(fields, field{text[i:end], i})
		i = end
	}
	const usage = "want //ddt:calls <kind> <function> [name=<param>], the function written as path/to/pkg.Func or (*path/to/pkg.T).Method"
	if len(fields) < 2 {
		return nil, []Diagnostic{{Pos: pos, Message: "malformed call-site rule: " + usage}}
	}
	var diags []Diagnostic
	rule.Kind = fields[0].text
	switch {
	case badIdentChar(rule.Kind) >= 0:
		diags = append(diags, Diagnostic{Pos: at(fields[0].at), Message: fmt.Sprintf("malformed call-site rule kind %q: a kind is a letter followed by letters, digits, '_' or '-'", rule.Kind)})
	case rule.Kind == kindIgnore || rule.Kind == "calls":
		diags = append(diags, Diagnostic{Pos: at(fields[0].at), Message: fmt.Sprintf("call-site rule kind %q: a rule records calls (flag, trace or a custom kind)", rule.Kind)})
	}
	rule.Target = fields[1].text
	rule.TargetPos = at(fields[1].at)
	if !parseTarget(rule) {
		diags = append(diags, Diagnostic{Pos: rule.TargetPos, Message: fmt.Sprintf("malformed function %q in call-site rule: %s", rule.Target, usage)})
	}
	for _, f := range fields[2:] {
		key, value, ok := strings.Cut(f.text, "=")
		switch {
		case !ok || key == "" || value == "":
			diags = append(diags, Diagnostic{Pos: at(f.at), Message: fmt.Sprintf("malformed option %q: want key=value", f.text)})
		case key != "name":
			diags = append(diags, Diagnostic{Pos: at(f.at), Message: fmt.Sprintf("unknown option %q (known: name)", key)})
		case rule.NameOpt != "":
			diags = append(diags, Diagnostic{Pos: at(f.at), Message: fmt.Sprintf("duplicate option %q", key)})
		default:
			rule.NameOpt, rule.NameOptPos = value, at(f.at)
		}
	}
	if len(diags) > 0 {
		return nil, diags
	}
	return rule, nil
}

// parseTarget splits rule.Target into package path, receiver and name.
func parseTarget(rule *CallRule) bool {
	t := rule.Target
	if rest, ok := strings.CutPrefix(t, "("); ok {
		recv, name, ok := strings.Cut(rest, ").")
		if !ok {
			return false
		}
		recv, rule.Ptr = strings.CutPrefix(recv, "*")
		dot := strings.LastIndex(recv, ".")
		if dot <= 0 {
			return false
		}
		rule.PkgPath, rule.Recv, rule.Name = recv[:dot], recv[dot+1:], name
		return token.IsIdentifier(rule.Recv) && token.IsIdentifier(rule.Name) && validPath(rule.PkgPath)
	}
	dot := strings.LastIndex(t, ".")
	if dot <= 0 || dot < strings.LastIndex(t, "/") {
		return false
	}
	rule.PkgPath, rule.Name = t[:dot], t[dot+1:]
	return token.IsIdentifier(rule.Name) && validPath(rule.PkgPath)
}

func validPath(p string) bool {
	return p != "" && !strings.ContainsAny(p, " \t()*\"`") && !strings.HasPrefix(p, "/") && !strings.HasSuffix(p, "/")
}

// callRules are the valid rules of a run, by the key of their target.
type callRules map[string]*CallRule

// callRulesOf returns rules by target, as RunPackages gets them.
func callRulesOf(rules []CallRule) callRules {
	if len(rules) == 0 {
		return nil
	}
	rs := callRules{}
	for i := range rules {
		rs[rules[i].Key] = &rules[i]
	}
	return rs
}

// sorted returns the rules in the order of their targets; nil if none.
func (rs callRules) sorted() []CallRule {
	if len(rs) == 0 {
		return nil
	}
	out := make([]CallRule, 0, len(rs))
	for _, r := range rs {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// MayCall reports whether src may hold a call that one of rules wraps: it
// names one of their functions, as every file Run takes as a call-site
// candidate does. A file that names none has no call to instrument.
func MayCall(rules []CallRule, src []byte) bool {
	for i := range rules {
		if bytes.Contains(src, []byte(rules[i].Name)) {
			return true
		}
	}
	return false
}

// names returns the distinct function and method names of the rules: a
// file that contains none of them has no call to instrument.
func (rs callRules) names() [][]byte {
	seen := map[string]bool{}
	var out [][]byte
	for _, r := range rs {
		if !seen[r.Name] {
			seen[r.Name] = true
			out = append(out, []byte(r.Name))
		}
	}
	return out
}

// findCallRules parses the rules of the candidate files, resolves their
// targets and adds the files that may call one to the candidates. Bad rules
// are diagnostics.
func (r *run) findCallRules() error {
	var parsed []*CallRule
	paths := make([]string, 0, len(r.listing.candidates))
	for path := range r.listing.candidates {
		paths = append(paths, path)
	}
	sort.Strings(paths)
	for _, path := range paths {
		src := r.listing.candidates[path]
		if !HasCallRules(src) {
			continue
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			continue // the package's instrumentation or build reports it
		}
		for _, g := range f.Comments {
			for _, c := range g.List {
				if !isCallRule(c) {
					continue
				}
				pos := fset.Position(c.Slash)
				pos.Filename = r.relPath(path)
				rule, diags := parseCallRule(c.Text, pos)
				r.res.Diagnostics = append(r.res.Diagnostics, diags...)
				if rule != nil {
					parsed = append(parsed, rule)
				}
			}
		}
	}
	if len(parsed) == 0 {
		return nil
	}
	rules, err := r.resolveCallRules(parsed)
	if err != nil || len(rules) == 0 {
		return err
	}
	r.rules = rules
	return r.addCallCandidates()
}

// resolveCallRules loads the packages of the rules' targets (from export
// data) and checks each target: it exists, it is a function or method, its
// name= parameter is a string, a flag returns bool or string, alone or with an error.
func (r *run) resolveCallRules(parsed []*CallRule) (callRules, error) {
	var pkgPaths []string
	seen := map[string]bool{}
	for _, rule := range parsed {
		if !seen[rule.PkgPath] {
			seen[rule.PkgPath] = true
			pkgPaths = append(pkgPaths, rule.PkgPath)
		}
	}
	sort.Strings(pkgPaths)
	cfg := *r.cfg
	cfg.Tests = false
	pkgs, err := packages.Load(cfg.packagesConfig(packages.NeedName|packages.NeedTypes|packages.NeedModule), pkgPaths...)
	if err != nil {
		return nil, fmt.Errorf("loading the packages of call-site rules: %v", err)
	}
	byPath := map[string]*packages.Package{}
	for _, p := range pkgs {
		byPath[p.PkgPath] = p
	}
	rules := callRules{}
	for _, rule := range parsed {
		p := byPath[rule.PkgPath]
		if p == nil || p.Types == nil || len(p.Errors) > 0 || p.Types.Scope().Len() == 0 && p.Name == "" {
			msg := "package not found"
			if p != nil && len(p.Errors) > 0 {
				msg = p.Errors[0].Msg
			}
			r.res.Diagnostics = append(r.res.Diagnostics, Diagnostic{Pos: rule.TargetPos, Message: fmt.Sprintf("call-site rule %s: package %s: %s", rule.Target, rule.PkgPath, msg)})
			continue
		}
		fn, msg := lookupTarget(p.Types, rule)
		at := rule.TargetPos
		if msg == "" {
			var atName bool
			if msg, atName = rule.check(fn); atName {
				at = rule.NameOptPos
			}
		}
		if msg != "" {
			r.res.Diagnostics = append(r.res.Diagnostics, Diagnostic{Pos: at, Message: fmt.Sprintf("call-site rule %s: %s", rule.Target, msg)})
			continue
		}
		rule.Key = fn.Origin().FullName()
		rule.Display = displayName(fn)
		if prev := rules[rule.Key]; prev != nil {
			r.res.Diagnostics = append(r.res.Diagnostics, Diagnostic{Pos: rule.Pos, Message: fmt.Sprintf("second call-site rule for %s (the first is at %s)", rule.Key, prev.Pos)})
			continue
		}
		rules[rule.Key] = rule
	}
	return rules, nil
}

// lookupTarget finds the function or method a rule names in pkg, or says
// why it cannot.
func lookupTarget(pkg *types.Package, rule *CallRule) (*types.Func, string) {
	if rule.Recv == "" {
		obj := pkg.Scope().Lookup(rule.Name)
		if obj == nil {
			return nil, fmt.Sprintf("package %s has no %s", rule.PkgPath, rule.Name)
		}
		fn, ok := obj.(*types.Func)
		if !ok {
			return nil, fmt.Sprintf("%s is %s, not a function", rule.Name, objectKind(obj))
		}
		return fn, ""
	}
	obj := pkg.Scope().Lookup(rule.Recv)
	if obj == nil {
		return nil, fmt.Sprintf("package %s has no type %s", rule.PkgPath, rule.Recv)
	}
	tn, ok := obj.(*types.TypeName)
	if !ok {
		return nil, fmt.Sprintf("%s is %s, not a type", rule.Recv, objectKind(obj))
	}
	var recv types.Type = tn.Type()
	if rule.Ptr {
		if types.IsInterface(recv) {
			return nil, fmt.Sprintf("%s is an interface: write (%s.%s).%s", rule.Recv, rule.PkgPath, rule.Recv, rule.Name)
		}
		recv = types.NewPointer(recv)
	}
	found, _, _ := types.LookupFieldOrMethod(recv, false, pkg, rule.Name)
	switch f := found.(type) {
	case *types.Func:
		return f, ""
	case nil:
		if !rule.Ptr {
			if m, _, _ := types.LookupFieldOrMethod(types.NewPointer(recv), false, pkg, rule.Name); m != nil {
				if _, ok := m.(*types.Func); ok {
					return nil, fmt.Sprintf("%s has a pointer receiver: write (*%s.%s).%s", rule.Name, rule.PkgPath, rule.Recv, rule.Name)
				}
			}
		}
		return nil, fmt.Sprintf("type %s has no method %s", rule.Recv, rule.Name)
	default:
		return nil, fmt.Sprintf("%s is a field of %s, not a method", rule.Name, rule.Recv)
	}
}

func objectKind(obj types.Object) string {
	switch obj.(type) {
	case *types.Var:
		return "a variable"
	case *types.Const:
		return "a constant"
	case *types.TypeName:
		return "a type"
	}
	return "not a function"
}

// check validates the rule's options and kind against the target's
// signature, and sets NameArg and Params. atName says the problem is the
// name= option's.
func (rule *CallRule) check(fn *types.Func) (msg string, atName bool) {
	sig := fn.Type().(*types.Signature)
	params := sig.Params()
	for i := range params.Len() {
		rule.Params = append(rule.Params, params.At(i).Name())
	}
	if rule.NameOpt != "" {
		idx := -1
		if n, err := strconv.Atoi(rule.NameOpt); err == nil {
			if n < 0 || n >= params.Len() {
				return fmt.Sprintf("name=%s: %s has %d parameters (counted from 0, receiver excluded)", rule.NameOpt, fn.Name(), params.Len()), true
			}
			idx = n
		} else {
			for i := range params.Len() {
				if params.At(i).Name() == rule.NameOpt && rule.NameOpt != "_" {
					idx = i
				}
			}
			if idx < 0 {
				return fmt.Sprintf("name=%s: %s has no parameter %s (parameters: %s)", rule.NameOpt, fn.Name(), rule.NameOpt, paramList(rule.Params)), true
			}
		}
		t := params.At(idx).Type()
		if sig.Variadic() && idx == params.Len()-1 || !isString(t) {
			return fmt.Sprintf("name=%s: parameter %s of %s has type %s, not a string type", rule.NameOpt, params.At(idx).Name(), fn.Name(), types.TypeString(t, packageName)), true
		}
		rule.NameArg = idx
	} else if rule.Kind == kindFlag {
		for i := range params.Len() {
			if isString(params.At(i).Type()) && !(sig.Variadic() && i == params.Len()-1) {
				rule.NameArg = i
				break
			}
		}
		if rule.NameArg < 0 {
			return fmt.Sprintf("kind flag, but %s has no string parameter to name the flag: add name=<param>", fn.Name()), false
		}
	}
	if rule.Kind == kindFlag {
		res := sig.Results()
		ok := res.Len() >= 1 && res.Len() <= 2 && (isBool(res.At(0).Type()) || isString(res.At(0).Type()))
		if ok && res.Len() == 2 {
			ok = types.Identical(res.At(1).Type(), types.Universe.Lookup("error").Type())
		}
		if !ok {
			return fmt.Sprintf("kind flag, but %s returns %s: a flag returns bool or string, alone or with an error", fn.Name(), types.TypeString(res, packageName)), false
		}
	}
	return "", false
}

func packageName(p *types.Package) string { return p.Name() }

// displayName is the name events show for fn: pkg.Func, pkg.T.Method,
// pkg.(*T).Method.
func displayName(fn *types.Func) string {
	fn = fn.Origin()
	sig := fn.Type().(*types.Signature)
	pkg := ""
	if fn.Pkg() != nil {
		pkg = fn.Pkg().Name() + "."
	}
	recv := sig.Recv()
	if recv == nil {
		return pkg + fn.Name()
	}
	t := recv.Type()
	star := ""
	if p, ok := t.(*types.Pointer); ok {
		star, t = "*", p.Elem()
	}
	name := types.TypeString(t, func(*types.Package) string { return "" })
	if n, ok := t.(*types.Named); ok {
		name = n.Obj().Name()
	}
	if star != "" {
		return pkg + "(*" + name + ")." + fn.Name()
	}
	return pkg + name + "." + fn.Name()
}

// addCallCandidates adds to the candidates every file of the listed
// packages that contains the name of a rule's target: any call of it must.
func (r *run) addCallCandidates() error {
	names := r.rules.names()
	for _, path := range r.listing.files {
		if _, ok := r.listing.candidates[path]; ok {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, n := range names {
			if bytes.Contains(src, n) {
				r.listing.candidates[path] = src
				break
			}
		}
	}
	return nil
}
