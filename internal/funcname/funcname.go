// Package funcname reads the qualified function names that the Go runtime
// reports (runtime.Frame.Function, runtime.FuncForPC(pc).Name()).
//
// It imports only the standard library, so that the toolbar's runtime,
// whose import graph must stay the standard library's, can use it.
package funcname

import "strings"

// Package returns the import path in a qualified function name such as
// "example.com/a/b.(*T).M.func1" or "example.com/a.F[...]".
//
// The runtime escapes the dots of a path's last element ("gopkg.in/yaml.v3"
// is "gopkg.in/yaml%2ev3" in a function name), so the package ends at the
// first dot after the last slash; the escape is kept. Type arguments in
// brackets may hold slashes and dots of their own and are ignored.
func Package(fn string) string {
	if i := strings.IndexByte(fn, '['); i >= 0 {
		fn = fn[:i]
	}
	slash := strings.LastIndexByte(fn, '/')
	if dot := strings.IndexByte(fn[slash+1:], '.'); dot >= 0 {
		return fn[:slash+1+dot]
	}
	return fn
}
