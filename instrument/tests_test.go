package instrument

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestWithTestFiles instruments a package together with its in-package and
// external test files (Config.Tests) and runs the tests with the result.
// The non-test file comes out the same with and without Tests, so
// instrumenting for a build and for a test never disagree.
func TestWithTestFiles(t *testing.T) {
	dir := t.TempDir()
	mod := filepath.Join(dir, "m")
	input := map[string][]byte{
		"p/p.go": []byte(`package p

//ddt:trace
func init() {}

//ddt:trace
func F(n int) int { return n + 1 }
`),
		"p/p_test.go": []byte(`package p

import "testing"

//ddt:trace
func init() {}

//ddt:trace
func helper(n int) int { return F(n) * 2 }

func TestF(t *testing.T) {
	if helper(1) != 4 {
		t.Fatal("helper(1) != 4")
	}
}
`),
		"p/x_test.go": []byte(`package p_test

import (
	"testing"

	"example.com/m/p"
)

//ddt:trace
func xhelper(n int) int { return p.F(n) }

func TestX(t *testing.T) {
	if xhelper(1) != 2 {
		t.Fatal("xhelper(1) != 2")
	}
}
`),
	}
	writeModule(t, mod, input)

	plain, err := Run(Config{Dir: mod, Env: testEnv(), Mode: InPlace})
	if err != nil {
		t.Fatal(err)
	}
	withTests, err := Run(Config{Dir: mod, Env: testEnv(), Mode: InPlace, Tests: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(plain.Files) != 1 || len(withTests.Files) != 3 || len(withTests.Diagnostics)+len(withTests.Warnings) > 0 {
		t.Fatalf("files: %d without tests, %d with; diagnostics %v %v", len(plain.Files), len(withTests.Files), withTests.Diagnostics, withTests.Warnings)
	}
	for _, f := range withTests.Files {
		if !f.Changed() || f.Sites != 2 && filepath.Base(f.Path) != "x_test.go" {
			t.Errorf("%s: changed=%v sites=%d", f.Path, f.Changed(), f.Sites)
		}
		if filepath.Base(f.Path) == "p.go" && !bytes.Equal(f.Output, plain.Files[0].Output) {
			t.Errorf("p.go differs with Tests:\n%s\nwithout:\n%s", f.Output, plain.Files[0].Output)
		}
	}

	copyDir := filepath.Join(dir, "inplace")
	writeModule(t, copyDir, input)
	for _, f := range withTests.Files {
		if err := os.WriteFile(filepath.Join(copyDir, rel(t, mod, f.Path)), f.Output, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := goCmd(t, copyDir, "vet", "./..."); err != nil {
		t.Errorf("go vet: %v\n%s", err, out)
	}
	if out, err := goCmd(t, copyDir, "test", "-count=1", "./..."); err != nil {
		t.Errorf("go test of the in-place output: %v\n%s", err, out)
	}
	for _, tests := range []bool{false, true} {
		again, err := Run(Config{Dir: copyDir, Env: testEnv(), Mode: InPlace, Tests: tests})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range again.Files {
			if f.Changed() {
				t.Errorf("Tests=%v changed the in-place output of %s:\n%s", tests, f.Path, f.Output)
			}
		}
	}
	// A new file instrumented without tests must not take the names that
	// the in-place test file already declares.
	newFile := filepath.Join(copyDir, "p", "c.go")
	if err := os.WriteFile(newFile, []byte("package p\n\n//ddt:trace\nfunc init() {}\n\n//ddt:trace\nfunc G() int { return 2 }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	added, err := Run(Config{Dir: copyDir, Env: testEnv(), Mode: InPlace})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range added.Files {
		if err := os.WriteFile(f.Path, f.Output, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := goCmd(t, copyDir, "test", "-count=1", "./..."); err != nil {
		t.Errorf("go test after instrumenting a new file without tests: %v\n%s", err, out)
	}
	if err := os.Remove(newFile); err != nil {
		t.Fatal(err)
	}

	stripped, err := Run(Config{Dir: copyDir, Env: testEnv(), Mode: Strip})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range stripped.Files {
		if want := input[rel(t, copyDir, f.Path)]; !bytes.Equal(f.Output, want) {
			t.Errorf("strip of %s:\n%s", f.Path, f.Output)
		}
	}

	overlay, err := Run(Config{Dir: mod, Env: testEnv(), Tests: true})
	if err != nil {
		t.Fatal(err)
	}
	if out, err := goCmd(t, mod, "test", "-count=1", "-overlay", writeOverlay(t, dir, overlay.Files), "./..."); err != nil {
		t.Errorf("go test -overlay: %v\n%s", err, out)
	}
}

// TestBuildFlags checks that build tags reach the loader, from BuildFlags
// and from GOFLAGS in Env, and that patterns select packages.
func TestBuildFlags(t *testing.T) {
	mod := filepath.Join(t.TempDir(), "m")
	writeModule(t, mod, map[string][]byte{
		"p/special.go": []byte("//go:build special\n\npackage p\n\n//ddt:trace\nfunc Special() {}\n"),
		"q/q.go":       []byte("package q\n\n//ddt:trace\nfunc Q() {}\n"),
	})
	sites := func(cfg Config) map[string]int {
		t.Helper()
		res, err := Run(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Diagnostics)+len(res.Warnings) > 0 {
			t.Fatalf("diagnostics: %v %v", res.Diagnostics, res.Warnings)
		}
		out := map[string]int{}
		for _, f := range res.Files {
			out[rel(t, mod, f.Path)] = f.Sites
		}
		return out
	}
	if got := sites(Config{Dir: mod, Env: testEnv()}); len(got) != 1 || got["q/q.go"] != 1 {
		t.Errorf("no tags: %v", got)
	}
	res, err := Run(Config{Dir: mod, Env: testEnv(), Patterns: []string{"./q"}})
	if err != nil || len(res.Files) != 1 {
		t.Fatalf("Run ./q: %v %v", err, res)
	}
	if got, want := res.Files[0].Functions, []Function{{Func: "q.Q", Kind: "trace", Line: 4}}; len(got) != 1 || got[0] != want[0] {
		t.Errorf("Functions = %+v, want %+v", got, want)
	}
	if got := sites(Config{Dir: mod, Env: testEnv(), BuildFlags: []string{"-tags=special"}}); got["p/special.go"] != 1 || got["q/q.go"] != 1 {
		t.Errorf("-tags=special: %v", got)
	}
	env := append(testEnv(), "GOFLAGS=-mod=mod -tags=special")
	if got := sites(Config{Dir: mod, Env: env, Patterns: []string{"./p"}}); len(got) != 1 || got["p/special.go"] != 1 {
		t.Errorf("GOFLAGS=-tags=special, pattern ./p: %v", got)
	}
}

// TestRoundTripWithoutFinalNewline covers what a txtar archive cannot hold:
// a file that does not end in a newline, and one that ends in several.
func TestRoundTripWithoutFinalNewline(t *testing.T) {
	for name, src := range map[string]string{
		"none":    "package p\n\n//ddt:trace\nfunc F() int { return 1 }",
		"comment": "package p\n\n//ddt:trace\nfunc F() int { return 1 } // end",
		"several": "package p\n\n//ddt:trace\nfunc F() int {\n\treturn 1\n}\n\n\n",
	} {
		t.Run(name, func(t *testing.T) {
			mod := filepath.Join(t.TempDir(), "m")
			writeModule(t, mod, map[string][]byte{"p/p.go": []byte(src)})
			path := filepath.Join(mod, "p", "p.go")
			for i, mode := range []Mode{InPlace, InPlace, Strip} {
				res, err := Run(Config{Dir: mod, Env: testEnv(), Mode: mode})
				if err != nil || len(res.Files) != 1 || len(res.Diagnostics)+len(res.Warnings) > 0 {
					t.Fatalf("run %d: %v %+v", i, err, res)
				}
				f := res.Files[0]
				if i == 1 && f.Changed() {
					t.Errorf("InPlace is not idempotent:\n%s", f.Output)
				}
				if err := os.WriteFile(path, f.Output, 0o644); err != nil {
					t.Fatal(err)
				}
				if i == 0 {
					if out, err := goCmd(t, mod, "vet", "./..."); err != nil {
						t.Errorf("go vet: %v\n%s", err, out)
					}
				}
			}
			if got, _ := os.ReadFile(path); string(got) != src {
				t.Errorf("strip gave %q, want %q", got, src)
			}
		})
	}
}

// TestOnlyExternalTestMarked: the only directive is in an external test
// package (p_test), whose path the go command does not list by itself; it
// is loaded through the package it tests.
func TestOnlyExternalTestMarked(t *testing.T) {
	mod := filepath.Join(t.TempDir(), "m")
	writeModule(t, mod, map[string][]byte{
		"p/p.go": []byte("package p\n\nfunc F(n int) int { return n + 1 }\n"),
		"p/x_test.go": []byte(`package p_test

import (
	"testing"

	"example.com/m/p"
)

//ddt:trace
func xhelper(n int) int { return p.F(n) }

func TestX(t *testing.T) {
	if xhelper(1) != 2 {
		t.Fatal("xhelper(1) != 2")
	}
}
`),
	})
	res, err := Run(Config{Dir: mod, Env: testEnv(), Mode: InPlace, Tests: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Diagnostics)+len(res.Warnings) > 0 {
		t.Fatalf("diagnostics %v, warnings %v", res.Diagnostics, res.Warnings)
	}
	var changed int
	for _, f := range res.Files {
		if f.Changed() {
			changed++
			if !bytes.Contains(f.Output, []byte("__ddt_site_xhelper")) {
				t.Errorf("%s not instrumented:\n%s", f.Path, f.Output)
			}
		}
	}
	if changed != 1 {
		t.Errorf("%d files changed, want x_test.go", changed)
	}
}
