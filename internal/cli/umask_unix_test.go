//go:build unix

package cli

import (
	"bytes"
	"io/fs"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/go-ddt/ddt/internal/gomod"
	"github.com/go-ddt/ddt/internal/testmod"
)

// TestCreatedFilesHonourTheUmask: what ddt build and ddt panelgen create
// (.ddt/.gitignore, state.json, overlay.json, the copies and their
// directories, the panel's files) gets 0666 (files) or 0777 (directories)
// less the umask, as files the user creates do. Not parallel: the umask
// belongs to the process.
func TestCreatedFilesHonourTheUmask(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	for _, umask := range []int{0o022, 0o077} {
		old := syscall.Umask(umask)
		t.Cleanup(func() { syscall.Umask(old) })

		dir := testmod.Write(t, map[string]string{
			"go.mod": "module example.com/m\n\ngo 1.26.0\n\nrequire " + gomod.Module + " v0.0.0\n\nreplace " + gomod.Module + " => " + gomod.CheckoutDir() + "\n",
		})
		var stderr bytes.Buffer
		err := runGo(&GoOptions{IO: IO{Out: &stderr, Err: &stderr}, Verb: "build", Args: []string{"-o", "prog", "."}, Dir: dir, Env: append(testmod.OfflineEnv(), "GOWORK=off")})
		if err != nil {
			t.Fatalf("umask %03o: ddt build: %v\n%s", umask, err, stderr.String())
		}
		err = runPanelgen(&PanelgenOptions{IO: IO{Out: &stderr, Err: &stderr}, Dir: dir, Name: "featureflags"})
		if err != nil {
			t.Fatalf("umask %03o: ddt panelgen featureflags: %v\n%s", umask, err, stderr.String())
		}
		err = runPanelgen(&PanelgenOptions{IO: IO{Out: &stderr, Err: &stderr}, Dir: dir, Init: "lookups"})
		if err != nil {
			t.Fatalf("umask %03o: ddt panelgen --init: %v\n%s", umask, err, stderr.String())
		}

		wantFile, wantDir := fs.FileMode(0o666&^umask), fs.FileMode(0o777&^umask)
		created := []string{".ddt", "internal/panels", "lookups.yaml"}
		seen := map[string]bool{}
		for _, top := range created {
			filepath.WalkDir(filepath.Join(dir, top), func(path string, d fs.DirEntry, err error) error {
				if err != nil {
					t.Fatal(err)
				}
				info, err := d.Info()
				if err != nil {
					t.Fatal(err)
				}
				rel, _ := filepath.Rel(dir, path)
				seen[rel] = true
				want := wantFile
				if d.IsDir() {
					want = wantDir
				}
				if got := info.Mode().Perm(); got != want {
					t.Errorf("umask %03o: %s has mode %03o, want %03o", umask, rel, got, want)
				}
				return nil
			})
		}
		for _, rel := range []string{".ddt/.gitignore", ".ddt/state.json", ".ddt/overlay.json", ".ddt/overlay", ".ddt/overlay/a.go"} {
			if !seen[rel] {
				t.Errorf("umask %03o: ddt build left no %s", umask, rel)
			}
		}
	}
}
