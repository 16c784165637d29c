package instrument

import (
	"path/filepath"
	"strings"
	"testing"
)

// callsLinesProgram records a call site while a request is bound (the
// wrapper is on its recording path), prints the file:line of the first
// frame of the recorded stack, and with an argument makes the wrapped
// callee panic.
const callsLinesProgram = `package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"

	"github.com/go-ddt/ddt/runtime/event"
)

//ddt:calls trace strings.Repeat

func main() {
	rec := event.NewRecorder(0)
	_, unbind := event.Bind(context.Background(), "req", rec)
	defer unbind()
	fmt.Println(strings.Repeat("ab",
		2))
	for _, e := range rec.Events() {
		f, _ := runtime.CallersFrames(e.Stack).Next()
		fmt.Printf("recorded %s at line %d\n", f.Function, f.Line)
	}
	if len(os.Args) > 1 {
		fmt.Println(strings.Repeat("x", -1))
	}
}
`

// TestOverlayCallSiteLines checks that a wrapped call site keeps the
// user's line: in the recorded stack, and in the trace of a panic raised
// by the callee, whose frames of the program's own functions are those of
// the plain build.
func TestOverlayCallSiteLines(t *testing.T) {
	dir := t.TempDir()
	mod := filepath.Join(dir, "m")
	writeModule(t, mod, map[string][]byte{"main.go": []byte(callsLinesProgram)})
	res, err := Run(Config{Dir: mod, Env: testEnv()})
	if err != nil || len(res.Diagnostics)+len(res.Warnings) > 0 || len(res.Files) != 1 || len(res.Files[0].Calls) != 2 {
		t.Fatalf("Run: %v %+v", err, res)
	}
	overlay := writeOverlay(t, dir, res.Files)
	plainBin, ddtBin := filepath.Join(dir, "plain"), filepath.Join(dir, "ddt")
	if out, err := goCmd(t, mod, "build", "-o", plainBin, "."); err != nil {
		t.Fatalf("plain build: %v\n%s", err, out)
	}
	if out, err := goCmd(t, mod, "build", "-overlay", overlay, "-o", ddtBin, "."); err != nil {
		t.Fatalf("overlay build: %v\n%s", err, out)
	}
	out, _ := runBinary(t, ddtBin)
	if want := "abab\nrecorded main.main at line 19\n"; out != want {
		t.Errorf("instrumented output:\n%s\nwant:\n%s", out, want)
	}
	_, plainPanic := runBinary(t, plainBin, "panic")
	_, ddtPanic := runBinary(t, ddtBin, "panic")
	plainFrames, ddtFrames := userFrames(plainPanic), userFrames(ddtPanic)
	if len(plainFrames) == 0 || strings.Join(plainFrames, "\n") != strings.Join(ddtFrames, "\n") {
		t.Errorf("panic frames differ:\n--- plain\n%s\n--- instrumented\n%s\n--- full instrumented trace\n%s",
			strings.Join(plainFrames, "\n"), strings.Join(ddtFrames, "\n"), ddtPanic)
	}
	if !strings.Contains(strings.Join(ddtFrames, "\n"), "main.main(...) "+filepath.Join(mod, "main.go")+":26") {
		t.Errorf("the panic is not reported at main.go:26:\n%s", ddtPanic)
	}
	if !strings.Contains(ddtPanic, "__ddt_call2_1") {
		t.Errorf("the panic did not go through the recording wrapper:\n%s", ddtPanic)
	}
}
