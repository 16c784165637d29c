// Package pkgdir holds the go command's rule for the directories that a
// pattern such as ./... leaves out, so that every walk of a module's tree
// in ddt (finding marked functions, stamping the inputs of a build,
// looking for generated panels) skips the same ones.
package pkgdir

import "strings"

// Skip reports whether the go command leaves a directory named name out
// of the packages that ./... matches: its name begins with "." or "_", or
// it is testdata or vendor. (A directory holding another module's go.mod
// is left out too; that takes a look inside, which Skip does not do.)
//
// The rule applies to the directories under the one walked, not to the
// walk's root itself: "go list ./..." in a directory named _x still lists
// its packages.
func Skip(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") ||
		name == "testdata" || name == "vendor"
}
