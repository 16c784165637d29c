package gobuild

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseGoArgs(t *testing.T) {
	tests := []struct {
		verb string
		args []string
		want goArgs
	}{
		{"build", []string{"-o", "bin/x", "-overlay=o.json", "./cmd/x"},
			goArgs{overlay: "o.json", passThrough: []string{"-o", "bin/x", "./cmd/x"}}},
		{"build", []string{"-C", "sub", "--overlay", "o.json", "-tags", "a,b", "-race", "."},
			goArgs{chdir: "sub", overlay: "o.json", loadFlags: []string{"-tags=a,b", "-race"}, passThrough: []string{"-tags", "a,b", "-race", "."}}},
		{"build", []string{"-overlay=a.json", "-overlay=b.json"},
			goArgs{overlay: "b.json"}},
		// go run: everything after the package belongs to the program.
		{"run", []string{"-mod=mod", ".", "-overlay=prog.json", "-tags", "x"},
			goArgs{loadFlags: []string{"-mod=mod"}, passThrough: []string{"-mod=mod", ".", "-overlay=prog.json", "-tags", "x"}}},
		{"run", []string{"main.go", "--", "-o"},
			goArgs{passThrough: []string{"main.go", "--", "-o"}}},
		// go test: flags may follow packages; -args ends them.
		{"test", []string{"./...", "-run", "X", "-overlay", "t.json", "-args", "-overlay=bin.json"},
			goArgs{overlay: "t.json", passThrough: []string{"./...", "-run", "X", "-args", "-overlay=bin.json"}}},
		{"test", []string{"-test.run=X", "-tags=integration", "./..."},
			goArgs{loadFlags: []string{"-tags=integration"}, passThrough: []string{"-test.run=X", "-tags=integration", "./..."}}},
	}
	for _, tt := range tests {
		got := parseGoArgs(tt.verb, tt.args)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parseGoArgs(%s, %q)\n got %+v\nwant %+v", tt.verb, tt.args, got, tt.want)
		}
	}
}

func TestGoflagsOverlay(t *testing.T) {
	for goflags, want := range map[string]string{
		"":                              "",
		"-mod=mod":                      "",
		"-mod=mod -overlay=/x/o.json":   "/x/o.json",
		"--overlay=a.json -tags=x":      "a.json",
		"-overlay=a.json -overlay=b.js": "b.js",
	} {
		if got := goflagsOverlay(goflags); got != want {
			t.Errorf("goflagsOverlay(%q) = %q, want %q", goflags, got, want)
		}
	}
}

func writeOverlayJSON(t *testing.T, path string, replace map[string]string) {
	t.Helper()
	data, err := json.Marshal(overlayFile{Replace: replace})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestMergeOverlays(t *testing.T) {
	dir := t.TempDir()
	ours := filepath.Join(dir, "ours.json")
	writeOverlayJSON(t, ours, map[string]string{filepath.Join(dir, "a.go"): filepath.Join(dir, ".ddt/overlay/a.go")})
	writeOverlayJSON(t, filepath.Join(dir, "theirs.json"), map[string]string{
		"b.go":                     "gen/b.go",
		filepath.Join(dir, "c.go"): "",
	})
	out := filepath.Join(dir, "merged.json")
	if err := mergeOverlays(ours, "theirs.json", dir, out); err != nil {
		t.Fatal(err)
	}
	got, err := readOverlay(out)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		filepath.Join(dir, "a.go"): filepath.Join(dir, ".ddt/overlay/a.go"),
		filepath.Join(dir, "b.go"): filepath.Join(dir, "gen/b.go"),
		filepath.Join(dir, "c.go"): "",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("merged = %v\nwant %v", got, want)
	}
}

func TestMergeOverlaysConflict(t *testing.T) {
	dir := t.TempDir()
	ours := filepath.Join(dir, "ours.json")
	writeOverlayJSON(t, ours, map[string]string{filepath.Join(dir, "a.go"): filepath.Join(dir, ".ddt/overlay/a.go")})
	writeOverlayJSON(t, filepath.Join(dir, "theirs.json"), map[string]string{"./a.go": "mine/a.go"})
	out := filepath.Join(dir, "merged.json")
	err := mergeOverlays(ours, "theirs.json", dir, out)
	if err == nil || !strings.Contains(err.Error(), "-overlay=theirs.json replaces ./a.go, which ddt instruments") {
		t.Fatalf("error = %v, want one naming ./a.go", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("merged overlay written despite the conflict")
	}
}

func TestGetenv(t *testing.T) {
	env := []string{"A=1", "GOFLAGS=-mod=mod", "A=2"}
	if got := getenv(env, "A"); got != "2" {
		t.Errorf("getenv A = %q, want the last value 2", got)
	}
	if got := getenv(env, "B"); got != "" {
		t.Errorf("getenv B = %q, want empty", got)
	}
}
