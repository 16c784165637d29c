package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/go-ddt/ddt/instrument"
)

// checkWritable makes sure ddt can write where it is about to, before it
// changes anything (go.mod included): the overlay's directory under root,
// or the directories of the files rewritten in place. Permissions are not
// enough to tell (root ignores them; immutable files and read-only mounts
// do not), so it creates and removes a file in each.
func checkWritable(mode instrument.Mode, root string, changed []*instrument.File) error {
	dirs := map[string]bool{}
	if mode == instrument.Overlay {
		dir := filepath.Join(root, ddtDirName)
		if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
			return fmt.Errorf("cannot write the overlay: %s is not a directory", dir)
		} else if err == nil {
			dirs[dir] = true
		} else {
			dirs[root] = true
		}
	} else {
		for _, f := range changed {
			dirs[filepath.Dir(f.Path)] = true
		}
	}
	sorted := make([]string, 0, len(dirs))
	for d := range dirs {
		sorted = append(sorted, d)
	}
	sort.Strings(sorted)
	for _, d := range sorted {
		probe, err := os.CreateTemp(d, ".ddt-probe-*")
		if err != nil {
			return fmt.Errorf("cannot write in %s (nothing was changed): %w", d, err)
		}
		probe.Close()
		os.Remove(probe.Name())
	}
	return nil
}
