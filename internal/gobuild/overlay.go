package gobuild

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-ddt/ddt/instrument"
	"github.com/go-ddt/ddt/internal/atomicfile"
)

// Layout of the directory ddt owns at the module root.
const (
	ddtDirName      = ".ddt"         // at the module root; DirName exports it
	overlayDirName  = "overlay"      // instrumented copies, mirroring the module's tree
	overlayJSONName = "overlay.json" // the file for go build -overlay
	mergedJSONName  = "overlay.merged.json"
)

// DirName is the directory ddt owns at a module's root: the overlay, its
// JSON and the state of the last build. It holds a .gitignore of its own.
const DirName = ddtDirName

// OverlayDir returns the directory of the instrumented copies of the
// module at root.
func OverlayDir(root string) string { return filepath.Join(root, ddtDirName, overlayDirName) }

// CheckOverlayWritable makes sure the overlay of the module at root can
// be written, before anything (go.mod included) is changed.
func CheckOverlayWritable(root string) error {
	dir := filepath.Join(root, ddtDirName)
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return fmt.Errorf("cannot write the overlay: %s is not a directory", dir)
	} else if err == nil {
		return atomicfile.CheckWritable(dir)
	}
	return atomicfile.CheckWritable(root)
}

// overlayFile is the format go build -overlay reads.
type overlayFile struct {
	Replace map[string]string
}

// WriteOverlay replaces root/.ddt/overlay and root/.ddt/overlay.json with
// the changed files and returns the overlay JSON's path. Copies from earlier
// runs disappear with the old directory. The new tree is written beside the
// old one and swapped in by renames, so a failure leaves the previous
// overlay as it was.
func WriteOverlay(root string, files []*instrument.File) (string, error) {
	ddtDir := filepath.Join(root, ddtDirName)
	if err := os.MkdirAll(ddtDir, 0o777); err != nil {
		return "", err
	}
	removeLeftovers(ddtDir)
	if err := atomicfile.WriteFile(filepath.Join(ddtDir, ".gitignore"), []byte("*\n"), 0o666); err != nil {
		return "", err
	}

	tmp, err := atomicfile.MkdirTemp(ddtDir, overlayDirName+".tmp-*")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp) // empty after a successful swap
	final := filepath.Join(ddtDir, overlayDirName)
	replace := map[string]string{}
	for _, f := range files {
		if !f.Changed() {
			continue
		}
		rel := overlayPath(root, f.Path)
		if err := writeCopy(filepath.Join(tmp, rel), f); err != nil {
			return "", err
		}
		replace[f.Path] = filepath.Join(final, rel)
	}
	data, err := json.MarshalIndent(overlayFile{Replace: replace}, "", "\t")
	if err != nil {
		return "", err
	}
	jsonTmp := filepath.Join(tmp, overlayJSONName)
	if err := os.WriteFile(jsonTmp, append(data, '\n'), 0o666); err != nil {
		return "", err
	}
	jsonPath := filepath.Join(ddtDir, overlayJSONName)
	return jsonPath, swapOverlay(tmp, final, jsonTmp, jsonPath)
}

// overlayPath is where the copy of path goes inside the overlay directory:
// its path relative to the module root, or under _abs/ for files outside
// the module (packages of other modules in a workspace).
func overlayPath(root, path string) string {
	if rel, err := filepath.Rel(root, path); err == nil && filepath.IsLocal(rel) {
		return rel
	}
	return filepath.Join("_abs", strings.TrimPrefix(filepath.ToSlash(path), filepath.VolumeName(path)))
}

func writeCopy(dst string, f *instrument.File) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o777); err != nil {
		return err
	}
	return os.WriteFile(dst, f.Output, 0o666)
}

// swapOverlay moves the new copies (without the JSON) from tmp to final and
// jsonTmp to jsonPath, putting the old directory back if a step fails.
func swapOverlay(tmp, final, jsonTmp, jsonPath string) error {
	// The JSON sits in tmp until the end so one RemoveAll cleans up a
	// failed run; move it beside its destination before the swap.
	jsonNext := jsonPath + ".tmp-" + filepath.Base(tmp)
	if err := os.Rename(jsonTmp, jsonNext); err != nil {
		return err
	}
	old := final + ".old-" + strings.TrimPrefix(filepath.Base(tmp), overlayDirName+".tmp-")
	hadOld := true
	if err := os.Rename(final, old); errors.Is(err, fs.ErrNotExist) {
		hadOld = false
	} else if err != nil {
		os.Remove(jsonNext)
		return err
	}
	restore := func() {
		if hadOld {
			os.Rename(old, final)
		}
		os.Remove(jsonNext)
	}
	if err := os.Rename(tmp, final); err != nil {
		restore()
		return err
	}
	if err := os.Rename(jsonNext, jsonPath); err != nil {
		os.Rename(final, tmp)
		restore()
		return err
	}
	if hadOld {
		os.RemoveAll(old)
	}
	return nil
}

// removeLeftovers deletes temporary directories and files that a killed
// run left in the .ddt directory. Recent ones may belong to a run still in
// progress and are kept.
func removeLeftovers(ddtDir string) {
	entries, err := os.ReadDir(ddtDir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !strings.Contains(e.Name(), ".tmp-") && !strings.Contains(e.Name(), ".old-") {
			continue
		}
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > time.Hour {
			os.RemoveAll(filepath.Join(ddtDir, e.Name()))
		}
	}
}

// CommandLine is the go command that builds with the overlay.
func CommandLine(verb, overlay string, buildFlags, patterns []string) []string {
	args := []string{"go", verb}
	args = append(args, buildFlags...)
	args = append(args, "-overlay="+overlay)
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	return append(args, patterns...)
}

// ShellJoin quotes args for a POSIX shell where needed.
func ShellJoin(args []string) string {
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = shellQuote(a)
	}
	return strings.Join(quoted, " ")
}

func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
