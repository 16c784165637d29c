package instrument

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The overlay output keeps every line of the original where it was, and
// the go command maps an overlay file back to the original's path, so
// runtime.Caller, panics and compiler errors name the user's file:line
// without //line directives. These tests build a program plain and with
// the overlay and compare what it reports.

const linesProgram = `package main

import (
	"fmt"
	"os"
	"runtime"
)

func where() string {
	_, file, line, _ := runtime.Caller(1)
	return fmt.Sprintf("%s:%d", file, line)
}

//ddt:trace
func Marked(n int) (int, error) { fmt.Println("brace line", where())
	fmt.Println("after prologue", where())
	if n > 5 {
		panic("boom")
	}
	return n, nil
}

//ddt:trace
func OneLine() string { return where() }

//ddt:trace
func Deferring() (s string) {
	defer func() { s = where() }()
	return ""
}

func Later() {
	fmt.Println("later", where())
}

func main() {
	Marked(1)
	fmt.Println("one line", OneLine())
	fmt.Println("deferred", Deferring())
	Later()
	if len(os.Args) > 1 {
		Marked(10)
	}
}
`

func TestOverlayLineNumbers(t *testing.T) {
	dir := t.TempDir()
	mod := filepath.Join(dir, "m")
	writeModule(t, mod, map[string][]byte{"main.go": []byte(linesProgram)})
	res, err := Run(Config{Dir: mod, Env: testEnv()})
	if err != nil || len(res.Diagnostics) > 0 || len(res.Files) != 1 || !res.Files[0].Changed() {
		t.Fatalf("Run: %v %v", err, res)
	}
	overlay := writeOverlay(t, dir, res.Files)

	for _, trimpath := range []bool{false, true} {
		t.Run(fmt.Sprintf("trimpath=%v", trimpath), func(t *testing.T) {
			checkLines(t, dir, mod, overlay, trimpath)
		})
	}
}

func checkLines(t *testing.T, dir, mod, overlay string, trimpath bool) {
	plainBin, ddtBin := filepath.Join(dir, "plain"), filepath.Join(dir, "ddt")
	build := []string{"build"}
	main := filepath.Join(mod, "main.go")
	if trimpath {
		build = append(build, "-trimpath")
		main = "example.com/m/main.go"
	}
	if out, err := goCmd(t, mod, append(build, "-o", plainBin, ".")...); err != nil {
		t.Fatalf("plain build: %v\n%s", err, out)
	}
	if out, err := goCmd(t, mod, append(build, "-overlay", overlay, "-o", ddtBin, ".")...); err != nil {
		t.Fatalf("overlay build: %v\n%s", err, out)
	}
	// Prove the binary is instrumented: its symbols include the runtime's.
	if data, err := os.ReadFile(ddtBin); err != nil || !strings.Contains(string(data), "ddtrt.Enter") {
		t.Fatalf("the overlay build is not instrumented (%v)", err)
	}

	plainOut, _ := runBinary(t, plainBin)
	ddtOut, _ := runBinary(t, ddtBin)
	if plainOut != ddtOut {
		t.Errorf("runtime.Caller lines differ:\n--- plain\n%s--- instrumented\n%s", plainOut, ddtOut)
	}
	for _, want := range []string{"brace line " + main + ":15", "after prologue " + main + ":16", "one line " + main + ":24", "deferred " + main + ":28", "later " + main + ":33"} {
		if !strings.Contains(plainOut, want+"\n") {
			t.Errorf("output lacks %q:\n%s", want, plainOut)
		}
	}

	_, plainPanic := runBinary(t, plainBin, "panic")
	_, ddtPanic := runBinary(t, ddtBin, "panic")
	plainFrames, ddtFrames := userFrames(plainPanic), userFrames(ddtPanic)
	if len(plainFrames) == 0 || strings.Join(plainFrames, "\n") != strings.Join(ddtFrames, "\n") {
		t.Errorf("panic frames differ:\n--- plain\n%s\n--- instrumented\n%s\n--- full instrumented trace\n%s",
			strings.Join(plainFrames, "\n"), strings.Join(ddtFrames, "\n"), ddtPanic)
	}
	if !strings.Contains(strings.Join(plainFrames, "\n"), "main.Marked(...) "+main+":18") {
		t.Errorf("the panic is not reported at main.go:18:\n%s", plainPanic)
	}
}

// userFrames returns "function file:line" for the frames of functions of
// the program itself (main.Marked, main.main), in order. The instrumented
// trace has more frames (the deferred call that records the panic and
// raises it again); those are ddt's, not the user's.
func userFrames(trace string) []string {
	lines := strings.Split(trace, "\n")
	fn := regexp.MustCompile(`^(main\.[A-Za-z]+)\(`)
	var frames []string
	for i := 0; i+1 < len(lines); i++ {
		m := fn.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		loc := strings.TrimSpace(lines[i+1])
		if j := strings.Index(loc, " +0x"); j >= 0 {
			loc = loc[:j]
		}
		frames = append(frames, m[1]+"(...) "+loc)
	}
	return frames
}

func runBinary(t *testing.T, bin string, args ...string) (stdout, stderr string) {
	t.Helper()
	o, e, _ := runCommand(t, filepath.Dir(bin), bin, args...)
	return o, e
}

// TestOverlayCompileErrorLines checks that the compiler names the original
// file:line:col of an error in a file with a marked function. The error
// (a function without a body and no assembly) is one that only the
// compiler reports, so ddt still instruments the file.
func TestOverlayCompileErrorLines(t *testing.T) {
	dir := t.TempDir()
	mod := filepath.Join(dir, "m")
	src := `package p

//ddt:trace
func F(n int) int { return n * 2 }

//ddt:trace
func G(s string) string {
	return s + "!"
}

func missing()

func H() { missing() }
`
	writeModule(t, mod, map[string][]byte{"p/p.go": []byte(src)})
	res, err := Run(Config{Dir: mod, Env: testEnv()})
	if err != nil || len(res.Diagnostics) > 0 || len(res.Warnings) > 0 || len(res.Files) != 1 || !res.Files[0].Changed() {
		t.Fatalf("Run: %v %+v", err, res)
	}
	overlay := writeOverlay(t, dir, res.Files)
	plain, err1 := goCmd(t, mod, "build", "./...")
	withDDT, err2 := goCmd(t, mod, "build", "-overlay", overlay, "./...")
	if err1 == nil || err2 == nil {
		t.Fatalf("builds succeeded, want a compile error:\n%s\n%s", plain, withDDT)
	}
	if plain != withDDT {
		t.Errorf("compiler output differs:\n--- plain\n%s--- instrumented\n%s", plain, withDDT)
	}
	if !strings.Contains(plain, "p/p.go:11:6: missing function body") {
		t.Errorf("unexpected compiler output:\n%s", plain)
	}
}
