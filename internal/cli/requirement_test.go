package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-ddt/ddt/internal/gobuild"
	"github.com/go-ddt/ddt/internal/testmod"
)

// overlayReplaces returns the module's files that dir's overlay replaces,
// relative to dir; the build mark is left out.
func overlayReplaces(t *testing.T, dir string) []string {
	t.Helper()
	replace, err := readOverlay(filepath.Join(dir, gobuild.DirName, "overlay.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rels []string
	for from := range replace {
		if filepath.Base(from) == "zz_ddt_built.go" {
			continue
		}
		rel, err := filepath.Rel(dir, from)
		if err != nil {
			t.Fatal(err)
		}
		rels = append(rels, filepath.ToSlash(rel))
	}
	slices.Sort(rels)
	return rels
}

// readOverlay reads the Replace map of an overlay JSON file.
func readOverlay(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var overlay struct{ Replace map[string]string }
	err = json.Unmarshal(data, &overlay)
	return overlay.Replace, err
}

// TestInstrumentAddsTheRequirementBeforeInstrumenting: ddt instrument, on
// the module of gobuild's TestGoFirstBuildAddsTheRequirementBeforeInstrumenting,
// instruments the main package too.
func TestInstrumentAddsTheRequirementBeforeInstrumenting(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	dir := testmod.Write(t, testmod.ToolbarModule)
	var stdout, stderr bytes.Buffer
	err := runInstrument(&InstrumentOptions{IO: IO{Out: &stdout, Err: &stderr}, Dir: dir, Env: append(testmod.OfflineEnv(), "GOWORK=off")})
	if err != nil {
		t.Fatalf("ddt instrument: %v\n%s", err, stderr.String())
	}
	if strings.Contains(stderr.String(), "uninstrumented") {
		t.Errorf("ddt instrument said:\n%s\nwant no package left uninstrumented", stderr.String())
	}
	if got, want := overlayReplaces(t, dir), []string{"a.go", "sub/sub.go"}; !slices.Equal(got, want) {
		t.Errorf("the overlay replaces %q, want %q", got, want)
	}
}
