package gobuild

import (
	"strings"
)

// goValueFlags are the go build, run and test flags that take a value,
// so that "-o out" is read as one flag and "out" is not taken for a
// package. Flags not listed are read as booleans; a value given with "="
// works for any flag.
var goValueFlags = map[string]bool{
	"C": true, "o": true, "p": true, "asmflags": true, "buildmode": true,
	"compiler": true, "gccgoflags": true, "gcflags": true, "installsuffix": true,
	"ldflags": true, "mod": true, "modfile": true, "overlay": true, "pgo": true,
	"pkgdir": true, "tags": true, "toolexec": true, "exec": true, "coverpkg": true,
	"covermode": true, "coverprofile": true, "vet": true,
	// go test's own and the test binary's flags
	"run": true, "skip": true, "bench": true, "benchtime": true, "count": true,
	"cpu": true, "parallel": true, "timeout": true, "shuffle": true, "list": true,
	"fuzz": true, "fuzztime": true, "fuzzminimizetime": true, "outputdir": true,
	"blockprofile": true, "blockprofilerate": true, "cpuprofile": true,
	"memprofile": true, "memprofilerate": true, "mutexprofile": true,
	"mutexprofilefraction": true, "trace": true,
}

// goLoadFlags are the flags that change which files make up a package;
// ddt passes them on when it loads the packages to instrument.
var goLoadFlags = map[string]bool{
	"tags": true, "mod": true, "modfile": true, "race": true, "msan": true, "asan": true,
}

// goArgs is what ddt needs to know about a go command line it passes on.
type goArgs struct {
	chdir       string   // -C dir, which go requires to come first
	overlay     string   // the last -overlay value (go uses the last)
	loadFlags   []string // flags to load packages with, in "-name=value" form
	passThrough []string // the arguments without -C and -overlay
}

// parseGoArgs reads the flags of "go <verb> args...". Flags end at "--";
// for go run also at the first non-flag (the program's own arguments
// follow it), and for go test at -args. go test's packages may be mixed
// with flags, so its scan goes on past them.
func parseGoArgs(verb string, args []string) goArgs {
	var g goArgs
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" || (verb == "test" && (arg == "-args" || arg == "--args")) {
			g.passThrough = append(g.passThrough, args[i:]...)
			break
		}
		if !strings.HasPrefix(arg, "-") || arg == "-" {
			if verb == "run" {
				g.passThrough = append(g.passThrough, args[i:]...)
				break
			}
			g.passThrough = append(g.passThrough, arg)
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		name = strings.TrimPrefix(name, "test.") // -test.run is -run
		raw := []string{arg}
		if !hasValue && goValueFlags[name] && i+1 < len(args) {
			i++
			value, hasValue = args[i], true
			raw = append(raw, value)
		}
		switch {
		case name == "C":
			g.chdir = value
		case name == "overlay":
			g.overlay = value
		default:
			if goLoadFlags[name] {
				if hasValue {
					g.loadFlags = append(g.loadFlags, "-"+name+"="+value)
				} else {
					g.loadFlags = append(g.loadFlags, "-"+name)
				}
			}
			g.passThrough = append(g.passThrough, raw...)
		}
	}
	return g
}

// goflagsOverlay returns the -overlay value set in a GOFLAGS value, or "".
// GOFLAGS holds space-separated flags, each with its value after "=".
func goflagsOverlay(goflags string) string {
	overlay := ""
	for _, f := range strings.Fields(goflags) {
		name, value, ok := strings.Cut(strings.TrimLeft(f, "-"), "=")
		if ok && name == "overlay" {
			overlay = value
		}
	}
	return overlay
}
