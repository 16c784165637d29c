// Package instrument turns //ddt: directives into instrumented Go source.
//
// [Run] loads packages, finds the functions marked with a directive such as
// //ddt:flag or //ddt:trace, and returns every file rewritten in the
// requested [Mode], or the diagnostics that explain why it cannot. It writes
// nothing: the ddt command decides where the files go (an overlay
// directory, the files themselves, a diff).
//
// # Directives
//
// A directive is a line comment in the doc comment directly above a
// function declaration:
//
//	//ddt:<kind> [key=value ...]
//
// The kind is flag (a feature flag: the function returns bool or string,
// the variant, alone or with an error, and its first named string
// parameter names the flag),
// trace (a call in the generic Calls panel), ignore (leave the function
// alone), or any other identifier-like word, which becomes the event kind
// of a custom panel. The only option is name=<param>, the parameter that
// names what the event is about. //ddt:ignore before the package clause
// leaves the whole file alone. Everything else (a directive on a type, a
// function without a body or with //go:nosplit, a malformed one, an unknown
// option, a flag that returns something else, two directives on one
// function) is an error [Diagnostic]; Run reports all of them, not only the
// first.
//
// # Call-site rules
//
// A //ddt:calls <kind> <function> [name=<param>] comment anywhere in a
// loaded file instruments every call of a function or method of another
// module where it is made (see callrule.go and callsite.go): the target
// is resolved with go/types from the export data of its package, calls
// match by the callee's types.Func (origin), and only the function
// expression is wrapped, F(args) becoming __ddt_callN_M(&site, F)(args)
// on the same line. Files that contain a rule's function name become
// candidates too; [Result.Rules] holds the resolved rules, which
// [RunPackages] applies again (Config.CallRules) after an edit that adds no
// such file elsewhere and changes no rule.
//
// # Loading
//
// A large module with a few directives must be cheap. The first pass lists
// the packages' files (go list, no parsing) and reads them, keeping only
// the files whose bytes contain "//ddt:" or the runtime's import path. The
// second pass asks the go command for the export data of the packages
// holding those files and their dependencies; the candidate packages
// themselves are then parsed and type-checked from source with go/types
// (with FakeImportC, so cgo files are read as the user wrote them), and
// only their direct imports are read from export data. A package with
// syntax or type errors is a warning in [Result.Warnings] and is left as
// it is.
//
// # Generated code
//
// A marked function gets a prologue that costs one atomic load and a
// branch while no toolbar is recording:
//
//	func Enabled(ctx context.Context, name string) (__ddt_r0 bool) {
//		if __ddt.Active() {
//			__ddt_c := __ddt.Enter(&__ddt_site_Enabled, ctx, name)
//			defer __ddt_exit1(__ddt_c, &__ddt_r0)
//		}
//		...
//
// plus, at the end of the file, the version check (const _ =
// __ddt.GeneratedCodeV2, so code generated for another runtime protocol
// does not compile), one ddtrt.Site variable per function, and one exit
// helper per number of results:
//
//	func __ddt_exit1[R0 interface{}](c *__ddt.Call, r0 *R0) { c.Exit(recover(), *r0) }
//
// The helper is the deferred function, so its recover() sees the marked
// function's panic, which Exit records and raises again with the same
// value; runtime.Goexit passes through. A deferred function literal would
// do the same but would be the function's func1 and renumber the user's
// own literals in stack traces and runtime.FuncForPC. The helper reads the
// results through pointers that do not escape, and its type parameters are
// inferred, so it serves generic functions and methods of generic types,
// and go vet sees no lock copied when a result holds a sync.Mutex.
//
// Unnamed and blank results are named __ddt_rN so they can be read. A
// blank or unnamed parameter that attributes the call (a context.Context,
// an *http.Request) is named __ddt_pN so it can be passed to Enter, the
// other parameters of an unnamed list becoming _; other blank and unnamed
// parameters are passed as nil. The import alias and every name
// ddt adds are chosen so that they appear nowhere in the package (a user's
// __ddt or __ddt_c is never shadowed or redeclared). Where a file's top
// level sees a user's recover, its helpers pass nil instead: panics still
// propagate, they are just not recorded.
//
// # Splicing, not reprinting
//
// The generated fragments are built as github.com/dave/dst trees and
// printed by dst, which formats them as gofmt would, at the indentation of
// the function body. They are then spliced into the original bytes at
// go/ast positions instead of reprinting the whole file with dst, for two
// reasons:
//
//   - Overlay output must keep every original line at its number, which a
//     reprint cannot promise: the prologue goes on the line of the body's
//     opening brace, the import on the package clause's line, the site
//     variables after the last line.
//   - Strip must give back the user's bytes exactly, including input that
//     is not gofmt-clean; a reprint normalizes what it touches.
//
// A one-line body (func f() int { return 1 }) is the exception in InPlace
// mode: gofmt puts the prologue on lines of its own, so dst re-prints the
// block, keeping its comments, and the marker records the original text.
//
// # Line numbers
//
// With go build -overlay the go command maps the overlay file back to the
// original path in the binary's position tables, so runtime.Caller and
// panics name the user's file:line. Compiler errors, however, name the
// overlay copy; so every injected run of text ends with a
// /*line file:line:col*/ comment giving the original position of the byte
// that follows it (the position the compiler would have used, so a file's
// own line directives stay in effect). Columns after the prologue are
// then right too. TestOverlayLineNumbers and TestOverlayCompileErrorLines
// compare a plain and an instrumented build.
//
// # In place and strip
//
// InPlace output is gofmt-clean for gofmt-clean input and go vet clean.
// Everything ddt adds is recognizable without type information: the import
// of the runtime under an alias starting with __ddt, a first statement
// "if <alias>.Active() {" whose line carries the marker comment
// //ddt:generated, and declarations whose values are <alias>.Site literals
// or <alias>.GeneratedCodeV2, and functions named __ddt_exit... whose first
// parameter is an *<alias>.Call. The marker records what the prologue's
// insertion replaced (params="(context.Context)", results="(int, error)",
// body="{ return 1 }"), which strip restores when the code it covers is unchanged. Run strips a file
// before analysing it, so InPlace is idempotent and regenerates correctly
// after the user edited an instrumented function, and Strip(InPlace(x)) is
// x byte for byte, with edits made in between kept.
package instrument
