package gobuild

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/go-ddt/ddt/instrument"
)

func overlayFiles(root string, contents map[string]string) []*instrument.File {
	var files []*instrument.File
	for rel, out := range contents {
		files = append(files, &instrument.File{
			Path:     filepath.Join(root, rel),
			Original: []byte("package p\n"),
			Output:   []byte(out),
			Sites:    1,
		})
	}
	return files
}

func TestWriteOverlay(t *testing.T) {
	root := t.TempDir()
	files := overlayFiles(root, map[string]string{"a.go": "package p // a\n", "sub/b.go": "package sub // b\n"})
	files = append(files, &instrument.File{Path: filepath.Join(root, "same.go"), Original: []byte("x"), Output: []byte("x")})

	jsonPath, err := WriteOverlay(root, files)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(root, ".ddt", "overlay.json"); jsonPath != want {
		t.Errorf("overlay JSON at %s, want %s", jsonPath, want)
	}
	replace, err := readOverlay(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		filepath.Join(root, "a.go"):     filepath.Join(root, ".ddt", "overlay", "a.go"),
		filepath.Join(root, "sub/b.go"): filepath.Join(root, ".ddt", "overlay", "sub", "b.go"),
	}
	if !reflect.DeepEqual(replace, want) {
		t.Errorf("Replace = %v, want %v (unchanged files are left out)", replace, want)
	}
	for orig, copyPath := range want {
		got, err := os.ReadFile(copyPath)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, orig)
		for _, f := range files {
			if f.Path == orig && string(got) != string(f.Output) {
				t.Errorf("copy of %s = %q, want %q", rel, got, f.Output)
			}
		}
	}
	if got, _ := os.ReadFile(filepath.Join(root, ".ddt", ".gitignore")); string(got) != "*\n" {
		t.Errorf(".ddt/.gitignore = %q, want %q", got, "*\n")
	}

	// A second run drops the copy of a file that is no longer instrumented.
	if _, err := WriteOverlay(root, overlayFiles(root, map[string]string{"a.go": "package p // a2\n"})); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, ".ddt", "overlay", "sub", "b.go")); !os.IsNotExist(err) {
		t.Errorf("stale copy of sub/b.go still there: %v", err)
	}
	if got, _ := os.ReadFile(filepath.Join(root, ".ddt", "overlay", "a.go")); string(got) != "package p // a2\n" {
		t.Errorf("copy of a.go = %q after the second run", got)
	}
	entries, _ := os.ReadDir(filepath.Join(root, ".ddt"))
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{".gitignore", "overlay", "overlay.json"}; !reflect.DeepEqual(names, want) {
		t.Errorf(".ddt holds %v, want %v (no temporary leftovers)", names, want)
	}
}

func TestWriteOverlayFailureKeepsPrevious(t *testing.T) {
	root := t.TempDir()
	if _, err := WriteOverlay(root, overlayFiles(root, map[string]string{"a.go": "package p // first\n"})); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(root, ".ddt", "overlay.json"))
	// x.go is written as a file, so x.go/y.go cannot be: the run fails
	// after writing some copies.
	bad := overlayFiles(root, map[string]string{"x.go": "package p // x\n"})
	bad = append(bad, overlayFiles(root, map[string]string{"x.go/y.go": "package p // y\n"})...)
	if _, err := WriteOverlay(root, bad); err == nil {
		t.Fatal("writeOverlay succeeded with a file where a directory must go")
	}
	after, _ := os.ReadFile(filepath.Join(root, ".ddt", "overlay.json"))
	if string(before) != string(after) {
		t.Errorf("overlay.json changed by a failed run:\n%s", after)
	}
	if got, _ := os.ReadFile(filepath.Join(root, ".ddt", "overlay", "a.go")); string(got) != "package p // first\n" {
		t.Errorf("copy of a.go = %q after a failed run", got)
	}
	entries, _ := os.ReadDir(filepath.Join(root, ".ddt"))
	if len(entries) != 3 {
		t.Errorf(".ddt holds %d entries after a failed run, want 3", len(entries))
	}
}

func TestGoCommandLine(t *testing.T) {
	got := ShellJoin(CommandLine("build", "/my dir/.ddt/overlay.json", []string{"-tags=a,b"}, nil))
	want := `go build -tags=a,b '-overlay=/my dir/.ddt/overlay.json' ./...`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	got = ShellJoin(CommandLine("build", "/m/.ddt/overlay.json", nil, []string{"./cmd/x", "it's"}))
	want = `go build -overlay=/m/.ddt/overlay.json ./cmd/x 'it'\''s'`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
