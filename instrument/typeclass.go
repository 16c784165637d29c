package instrument

import "go/types"

// These classify parameter and result types for the generated code. They
// work on method sets and structure, not on the identity of a package's
// types, so they need no import of context or sync to be loaded.

func isBool(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Kind() == types.Bool
}

func isString(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Kind() == types.String
}

// isContext reports whether t implements context.Context. The check is by
// method set, so the package need not import context (a *gin.Context
// parameter counts even when only gin is imported).
func isContext(t types.Type) bool {
	ms := types.NewMethodSet(t)
	sig := func(name string) *types.Signature {
		sel := ms.Lookup(nil, name) // exported names need no package
		if sel == nil {
			return nil
		}
		s, _ := sel.Type().(*types.Signature)
		return s
	}
	deadline, done, errm, value := sig("Deadline"), sig("Done"), sig("Err"), sig("Value")
	if deadline == nil || done == nil || errm == nil || value == nil {
		return false
	}
	if deadline.Params().Len() != 0 || deadline.Results().Len() != 2 ||
		!isNamed(deadline.Results().At(0).Type(), "time", "Time") || !isBasic(deadline.Results().At(1).Type(), types.Bool) {
		return false
	}
	if done.Params().Len() != 0 || done.Results().Len() != 1 {
		return false
	}
	ch, ok := done.Results().At(0).Type().(*types.Chan)
	if !ok || ch.Dir() != types.RecvOnly || !types.Identical(ch.Elem(), types.NewStruct(nil, nil)) {
		return false
	}
	errType := types.Universe.Lookup("error").Type()
	if errm.Params().Len() != 0 || errm.Results().Len() != 1 || !types.Identical(errm.Results().At(0).Type(), errType) {
		return false
	}
	anyType := types.NewInterfaceType(nil, nil)
	return value.Params().Len() == 1 && value.Results().Len() == 1 &&
		types.Identical(value.Params().At(0).Type(), anyType) &&
		types.Identical(value.Results().At(0).Type(), anyType)
}

// hasContextMethod reports whether t has a method Context() returning a
// context.Context, as *http.Request does.
func hasContextMethod(t types.Type) bool {
	sel := types.NewMethodSet(t).Lookup(nil, "Context")
	if sel == nil {
		return false
	}
	sig, ok := sel.Type().(*types.Signature)
	return ok && sig.Params().Len() == 0 && sig.Results().Len() == 1 && isContext(sig.Results().At(0).Type())
}

func isNamed(t types.Type, pkgPath, name string) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == pkgPath && n.Obj().Name() == name
}

func isBasic(t types.Type, k types.BasicKind) bool {
	b, ok := types.Unalias(t).(*types.Basic)
	return ok && b.Kind() == k
}
