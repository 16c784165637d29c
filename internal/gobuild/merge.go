package gobuild

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/go-ddt/ddt/internal/atomicfile"
)

// mergeOverlays writes to out an overlay JSON with the replacements of
// both ours and theirs (the user's -overlay file). Relative paths in theirs
// are resolved against goDir, the go command's working directory, as the
// go command itself would. A file that both replace is an error naming it:
// ddt cannot know which version the user meant to build.
func mergeOverlays(ours, theirs, goDir, out string) error {
	ourReplace, err := readOverlay(ours)
	if err != nil {
		return err
	}
	theirPath := theirs
	if !filepath.IsAbs(theirPath) {
		theirPath = filepath.Join(goDir, theirPath)
	}
	theirReplace, err := readOverlay(theirPath)
	if err != nil {
		return err
	}
	merged := make(map[string]string, len(ourReplace)+len(theirReplace))
	for from, to := range ourReplace {
		merged[filepath.Clean(from)] = to
	}
	var conflicts []string
	for from, to := range theirReplace {
		absFrom := absAgainst(goDir, from)
		if _, ok := merged[absFrom]; ok {
			conflicts = append(conflicts, from)
			continue
		}
		merged[absFrom] = absAgainst(goDir, to)
	}
	if len(conflicts) > 0 {
		sort.Strings(conflicts)
		return fmt.Errorf("-overlay=%s replaces %s, which ddt instruments; drop it from that overlay or remove its //ddt: directives", theirs, strings.Join(conflicts, ", "))
	}
	data, err := json.MarshalIndent(overlayFile{Replace: merged}, "", "\t")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(out, append(data, '\n'), 0o666)
}

// readOverlay reads the Replace map of an overlay JSON file.
func readOverlay(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading overlay: %w", err)
	}
	var o overlayFile
	if err := json.Unmarshal(data, &o); err != nil {
		return nil, fmt.Errorf("%s: parsing overlay JSON: %v", path, err)
	}
	return o.Replace, nil
}

// absAgainst makes path absolute relative to dir; "" (a deleted file in
// an overlay) stays "".
func absAgainst(dir, path string) string {
	if path == "" {
		return ""
	}
	if filepath.IsAbs(path) {
		return filepath.Clean(path)
	}
	return filepath.Join(dir, path)
}
