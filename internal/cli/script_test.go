package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"os/exec"
	"strconv"
	"testing"

	"github.com/go-ddt/ddt/internal/gomod"

	"github.com/rogpeppe/go-internal/testscript"
)

var updateScripts = flag.Bool("update", false, "rewrite the cmp files in testdata/script/*.txtar with the actual output")

// TestMain makes the test binary double as the ddt command for the
// scripts: testscript runs it as "ddt" in a directory on their PATH.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"ddt": func() { os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the end-to-end scripts in testdata/script: the real
// ddt command on a real module, then the go command on what it produced.
func TestScripts(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command many times")
	}
	goEnv := machineGoEnv(t)
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: *updateScripts,
		Setup: func(env *testscript.Env) error {
			// Share the machine's module and build caches, so nothing is
			// downloaded (GOPROXY=off) and builds stay fast; the ddt module
			// itself comes from this checkout through a replace directive.
			for _, key := range []string{"GOPATH", "GOMODCACHE", "GOCACHE"} {
				env.Setenv(key, goEnv[key])
			}
			env.Setenv("GOFLAGS", "-mod=mod")
			env.Setenv("GOPROXY", "off")
			env.Setenv("GOSUMDB", "off")
			env.Setenv("GOTOOLCHAIN", "local")
			env.Setenv("DDT_ROOT", gomod.CheckoutDir())
			// Under -race, ddt is a race-enabled binary, which sleeps a
			// second at exit unless told otherwise; scripts run it often.
			gorace := "atexit_sleep_ms=0"
			if v := os.Getenv("GORACE"); v != "" {
				gorace = v + " " + gorace
			}
			env.Setenv("GORACE", gorace)
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exitcode": cmdExitcode,
		},
	})
}

// cmdExitcode runs "exitcode N command args..." and fails unless the
// command exits with status N; its output is then checked as usual.
func cmdExitcode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exitcode status command [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exitcode: %v", err)
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			ts.Fatalf("exitcode: %v", err)
		}
		got = exitErr.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}

func machineGoEnv(t *testing.T) map[string]string {
	t.Helper()
	out, err := exec.Command("go", "env", "-json", "GOPATH", "GOMODCACHE", "GOCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{}
	if err := json.Unmarshal(out, &env); err != nil {
		t.Fatal(err)
	}
	return env
}
