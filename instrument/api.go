package instrument

import (
	"fmt"
	"go/token"
)

// Mode says which form of the instrumented files Run produces.
type Mode int

const (
	// Overlay produces copies for go build -overlay. Every original line
	// keeps its line number, so panics, runtime.Caller and compiler errors
	// name the user's file:line.
	Overlay Mode = iota
	// InPlace produces gofmt-clean files to replace the originals. Applying
	// it to its own output changes nothing.
	InPlace
	// Strip removes everything InPlace added, and nothing else. It needs
	// no type information and covers test files and files that build
	// constraints exclude, whatever Config says.
	Strip
)

// Config says what to load and how to rewrite it.
type Config struct {
	Dir        string   // directory to run the build system in; "" means the current one
	Patterns   []string // package patterns; none means "./..."
	BuildFlags []string // such as "-tags=foo"; GOFLAGS from Env is honoured too
	Env        []string // environment for the build system; nil means os.Environ()
	Tests      bool     // include the packages' test files
	Mode       Mode
	// CallRules are, for RunPackages, the call-site rules that the Run it
	// follows resolved (Result.Rules); Run finds the rules itself.
	CallRules []CallRule
}

// File is one file that Run examined: one holding a directive or ddt's
// in-place instrumentation. Output may equal Original (nothing to do, or
// in-place instrumentation that is up to date); see [File.Changed].
type File struct {
	Path     string // absolute path of the original file
	Original []byte
	Output   []byte // the file's content in the requested Mode
	Sites    int    // marked functions in the file
	// Functions describes the marked functions, in source order (for
	// machine-readable reports). Lines are those of Output.
	Functions []Function
	// Calls describes the call sites that call-site rules wrap, in source
	// order; Line is that of the call in Output.
	Calls []Function
}

// Function is one instrumented function.
type Function struct {
	Func string // qualified name, as events show it: pkg.(*T).Method
	Kind string // directive kind: flag, trace or a custom kind
	Line int    // line of the func keyword in the output
}

// Changed reports whether Output differs from Original.
func (f *File) Changed() bool { return string(f.Original) != string(f.Output) }

// Diagnostic is a problem found in the user's source.
type Diagnostic struct {
	Pos     token.Position // Filename is relative to the module root when inside it
	Message string
}

func (d Diagnostic) String() string {
	return fmt.Sprintf("%s: %s", d.Pos, d.Message)
}

// Result is what Run computed. It writes nothing: callers decide where the
// files go (an overlay directory, in place, a diff).
type Result struct {
	ModuleRoot  string       // root of the main module of Dir
	Files       []*File      // sorted by Path
	Diagnostics []Diagnostic // when non-empty, callers must write nothing
	// Warnings are problems that do not stop the run: a package with
	// syntax or type errors is reported here and left as it is (the go
	// command reports its errors the usual way).
	Warnings []Diagnostic
	// Uninstrumented are the paths of the packages with directives that
	// were left as they are (not found when loading types, or with type
	// errors), sorted: the result is then not the whole instrumentation
	// (an import that resolves later, such as ddt's own packages once the
	// module requires ddt, changes it).
	Uninstrumented []string
	// Rules are the valid //ddt:calls rules found, for [RunPackages]
	// (Config.CallRules).
	Rules []CallRule
	// Packages describes the packages with candidate files as they were
	// loaded, for [RunPackages]; nil when they were loaded with tests.
	// With call-site rules, they include the packages of every file that
	// names a rule's function, where a call may be.
	Packages []LoadedPackage
}
