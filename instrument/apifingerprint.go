package instrument

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/types"
)

// apiFingerprint hashes what other packages can see of pkg when they are
// type-checked against it: every package-level object with its type (a
// named type with its underlying type and its methods, a constant with its
// value), unexported ones too, since they can show through exported
// signatures. Function bodies are not in it. When an edit leaves it
// unchanged, the packages that import pkg type-check, and so instrument,
// exactly as before, and a build tool may keep their instrumented copies
// (see LoadedPackage.API). "" when pkg is nil.
func apiFingerprint(pkg *types.Package) string {
	if pkg == nil {
		return ""
	}
	h := sha256.New()
	fmt.Fprintln(h, pkg.Path(), pkg.Name())
	scope := pkg.Scope()
	for _, name := range scope.Names() { // sorted
		obj := scope.Lookup(name)
		fmt.Fprintln(h, types.ObjectString(obj, nil))
		switch obj := obj.(type) {
		case *types.Const:
			fmt.Fprintln(h, "=", obj.Val().ExactString())
		case *types.TypeName:
			if named, ok := obj.Type().(*types.Named); ok && !obj.IsAlias() {
				for m := range named.Methods() {
					fmt.Fprintln(h, " ", types.ObjectString(m, nil))
				}
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}
