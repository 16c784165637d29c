package atomicfile

import (
	"fmt"
	"os"
	"slices"
)

// CheckWritable makes sure files can be created in each of dirs, before
// anything is changed. Permissions are not enough to tell (root ignores
// them; immutable files and read-only mounts do not), so it creates and
// removes a file in each.
func CheckWritable(dirs ...string) error {
	dirs = slices.Clone(dirs)
	slices.Sort(dirs)
	for _, d := range slices.Compact(dirs) {
		probe, err := os.CreateTemp(d, ".ddt-probe-*")
		if err != nil {
			return fmt.Errorf("cannot write in %s (nothing was changed): %w", d, err)
		}
		probe.Close()
		os.Remove(probe.Name())
	}
	return nil
}
