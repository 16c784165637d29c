package corpus

// Module is one open-source module of the corpus, at a pinned version.
type Module struct {
	Name    string // short, for test names
	Path    string
	Version string
	// Shapes says what the module brings that other modules do not, which
	// is why it is in the corpus.
	Shapes string
}

// Modules are the corpus: pure Go modules whose own tests take seconds and
// need no network, chosen so that together they hold most shapes of Go
// code ddt must instrument without changing behaviour.
var Modules = []Module{
	{"go-cmp", "github.com/google/go-cmp", "v0.7.0",
		"reflection-heavy recursion, closures, methods on unexported types, panics caught with recover, build tags (purego)"},
	{"btree", "github.com/google/btree", "v1.1.3",
		"generic types and methods of generic types (BTreeG[T], node[T]), function-typed parameters, go1.18 build tag"},
	{"xxhash", "github.com/cespare/xxhash/v2", "v2.3.0",
		"assembly-backed functions without bodies, unsafe, build tags (purego, appengine), a test that builds a plugin"},
	{"toml", "github.com/BurntSushi/toml", "v1.6.0",
		"named results set by deferred recover, reflection, variadics, init, commands (package main)"},
	{"x-sync", "golang.org/x/sync", "v0.24.0",
		"goroutines, panics and runtime.Goexit carried across goroutines (singleflight, errgroup), generics, channels"},
	{"uuid", "github.com/google/uuid", "v1.6.0",
		"init functions, value and pointer receivers, sync.Once, a go.mod without a go line"},
	{"go-humanize", "github.com/dustin/go-humanize", "v1.1.0",
		"math/big, variadics, package-level tables, a subpackage"},
	{"yaml.v3", "gopkg.in/yaml.v3", "v3.0.1",
		"a large C-to-Go port: long functions, goto, defer handleErr(&err) with named results, a quoted module path"},
}
