package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// hostileModule writes a module with one marked function in a new
// directory and returns it, with go.mod's and main.go's contents.
func hostileModule(t *testing.T) (dir string, gomod, main []byte) {
	dir = t.TempDir()
	gomod = []byte("module example.com/m\n\ngo 1.26.0\n")
	main = []byte("package main\n\n//ddt:trace\nfunc f() int { return 1 }\n\nfunc main() { f() }\n")
	for name, data := range map[string][]byte{"go.mod": gomod, "main.go": main} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, gomod, main
}

// runDDT runs ddt with args in dir and returns its exit status and stderr.
func runDDT(t *testing.T, dir string, args ...string) (int, string) {
	t.Chdir(dir)
	var stdout, stderr bytes.Buffer
	code := Main(args, strings.NewReader(""), &stdout, &stderr)
	return code, stderr.String()
}

// checkUnchanged fails unless dir holds exactly what hostileModule wrote.
func checkUnchanged(t *testing.T, dir string, gomod, main []byte) {
	t.Helper()
	for name, want := range map[string][]byte{"go.mod": gomod, "main.go": main} {
		if got, _ := os.ReadFile(filepath.Join(dir, name)); !bytes.Equal(got, want) {
			t.Errorf("%s changed:\n%s", name, got)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if n := e.Name(); n != "go.mod" && n != "main.go" && n != ".ddt" {
			t.Errorf("left behind: %s", n)
		}
	}
}

// TestUnwritableDirectory runs ddt on a module whose directory cannot be
// written, even by root: it is made immutable (chattr +i). ddt says where
// it cannot write, exits 1 and changes nothing, go.mod included.
func TestUnwritableDirectory(t *testing.T) {
	dir, gomod, main := hostileModule(t)
	if out, err := exec.Command("chattr", "+i", dir).CombinedOutput(); err != nil {
		t.Skipf("chattr +i is not available here: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("chattr", "-i", dir).Run() })
	for _, args := range [][]string{{"instrument", "."}, {"instrument", "-w", "."}} {
		code, stderr := runDDT(t, dir, args...)
		if code != 1 || !strings.Contains(stderr, "cannot write in "+dir+" (nothing was changed)") {
			t.Errorf("ddt %s: exit %d, stderr:\n%s", strings.Join(args, " "), code, stderr)
		}
		checkUnchanged(t, dir, gomod, main)
		if _, err := os.Stat(filepath.Join(dir, ".ddt")); err == nil {
			t.Error(".ddt was created")
		}
	}
}

// TestOverlayDirectoryIsAFile: .ddt exists but is a file.
func TestOverlayDirectoryIsAFile(t *testing.T) {
	dir, gomod, main := hostileModule(t)
	if err := os.WriteFile(filepath.Join(dir, ".ddt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stderr := runDDT(t, dir, "instrument", ".")
	if code != 1 || !strings.Contains(stderr, "cannot write the overlay: "+filepath.Join(dir, ".ddt")+" is not a directory") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
	checkUnchanged(t, dir, gomod, main)
	if data, _ := os.ReadFile(filepath.Join(dir, ".ddt")); string(data) != "mine" {
		t.Errorf(".ddt now holds %q", data)
	}
}
