package corpus

// Module is one open-source module of the corpus, at a pinned version.
type Module struct {
	Name    string // short, for test names
	Path    string
	Version string
	// Shapes says what the module brings that other modules do not, which
	// is why it is in the corpus.
	Shapes string
	// ByDesign are the module's tests ("package TestName") whose outcome
	// instrumentation changes on purpose, with the reason; the corpus test
	// leaves them out of its comparisons and logs what they did.
	ByDesign map[string]string
}

// Modules are the corpus: pure Go modules whose own tests take seconds and
// need no network, chosen so that together they hold most shapes of Go
// code ddt must instrument without changing behaviour.
//
// Requiring ddt raises a module's go line to ddt's (1.26), which changes
// the language version its tests are vetted and compiled with. A module
// whose tests fail under go 1.26 without any instrumentation cannot judge
// ddt, so it is not in the corpus. github.com/BurntSushi/toml v1.6.0 was,
// and is left out for that reason: under a go 1.26 line, go vet's printf
// check rejects a non-constant format string in its internal/toml-test
// package, so go test fails there before ddt changes anything.
var Modules = []Module{
	{
		Name: "go-cmp", Path: "github.com/google/go-cmp", Version: "v0.7.0",
		Shapes: "reflection-heavy recursion, closures, methods on unexported types, panics caught with recover, build tags (purego)",
	},
	{
		Name: "btree", Path: "github.com/google/btree", Version: "v1.1.3",
		Shapes: "generic types and methods of generic types (BTreeG[T], node[T]), function-typed parameters, go1.18 build tag",
	},
	{
		Name: "xxhash", Path: "github.com/cespare/xxhash/v2", Version: "v2.3.0",
		Shapes: "assembly-backed functions without bodies, unsafe, build tags (purego, appengine), a test that builds a plugin",
		ByDesign: map[string]string{
			"github.com/cespare/xxhash/v2 TestInlining":                        "it asserts that Sum64String and (*Digest).WriteString are inlined; an instrumented function has a deferred call and is never inlined",
			"github.com/cespare/xxhash/v2 TestAllocs/Digest":                   newDigestAllocates,
			"github.com/cespare/xxhash/v2 TestStringAllocs/Digest.WriteString": newDigestAllocates,
		},
	},
	{
		Name: "go-set", Path: "github.com/hashicorp/go-set/v3", Version: "v3.0.1",
		Shapes: "iterators (functions returning iter.Seq, range-over-func loops in marked functions), generic types with constrained type parameters (HashSet[T Hasher[H], H Hash]), a red-black tree, examples with checked output",
	},
	{
		Name: "x-sync", Path: "golang.org/x/sync", Version: "v0.24.0",
		Shapes: "goroutines, panics and runtime.Goexit carried across goroutines (singleflight, errgroup), generics, channels",
	},
	{
		Name: "uuid", Path: "github.com/google/uuid", Version: "v1.6.0",
		Shapes: "init functions, value and pointer receivers, sync.Once, a go.mod without a go line",
	},
	{
		Name: "go-humanize", Path: "github.com/dustin/go-humanize", Version: "v1.1.0",
		Shapes: "math/big, variadics, package-level tables, a subpackage",
	},
	{
		Name: "yaml.v3", Path: "gopkg.in/yaml.v3", Version: "v3.0.1",
		Shapes: "a large C-to-Go port: long functions, goto, defer handleErr(&err) with named results, a quoted module path",
	},
}

// newDigestAllocates is why xxhash's allocation tests of a Digest fail
// with ddt (its Sum64 and Sum64String allocation tests still run, and
// pass). NewWithSeed returns a pointer to a local Digest, which stays on
// the caller's stack only when New and NewWithSeed are inlined into the
// caller; instrumented functions are never inlined, so the Digest moves to
// the heap. Without ddt, marking New and NewWithSeed //go:noinline makes
// these tests fail the same way.
const newDigestAllocates = "it asserts that New().Write (or WriteString) and Sum64 do not allocate, which holds only when New and NewWithSeed are inlined so that the *Digest they return stays on the caller's stack; an instrumented function is never inlined (with //go:noinline on both and no ddt, the test fails the same way)"
