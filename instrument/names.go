package instrument

import (
	"go/ast"
	"strconv"
)

// namer hands out the identifiers ddt adds to one package, none of which
// appears anywhere in the package's files. Checking every identifier of every
// file, not just the declared ones, is conservative and needs no type
// information, so a user's __ddt, __ddt_c or __ddt_site_F (a parameter, a
// local, a package-level name) never collides with or shadows ddt's.
type namer struct {
	used map[string]bool
}

func newNamer(files ...*ast.File) *namer {
	n := &namer{used: map[string]bool{}}
	for _, f := range files {
		n.addFile(f)
	}
	return n
}

func (n *namer) addFile(f *ast.File) {
	ast.Inspect(f, func(node ast.Node) bool {
		if id, ok := node.(*ast.Ident); ok {
			n.used[id.Name] = true
		}
		return true
	})
}

// addTopLevel marks the names that f declares at the package level.
func (n *namer) addTopLevel(f *ast.File) {
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				n.used[d.Name.Name] = true
			}
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch s := spec.(type) {
				case *ast.ValueSpec:
					for _, id := range s.Names {
						n.used[id.Name] = true
					}
				case *ast.TypeSpec:
					n.used[s.Name.Name] = true
				}
			}
		}
	}
}

// fresh returns base, or base followed by a number, whichever is unused
// first, and marks it used.
func (n *namer) fresh(base string) string {
	name := base
	for i := 2; n.used[name]; i++ {
		name = base + "_" + strconv.Itoa(i)
	}
	n.used[name] = true
	return name
}

// unused returns base, or base followed by a number, whichever is unused
// first, without reserving it: result names are local to one function, so
// every function may use the same ones.
func (n *namer) unused(base string) string {
	name := base
	for i := 2; n.used[name]; i++ {
		name = base + "_" + strconv.Itoa(i)
	}
	return name
}
