package gobuild

import (
	"github.com/go-ddt/ddt/instrument"
)

// changedFiles returns the files whose output differs from what is on disk.
func changedFiles(files []*instrument.File) []*instrument.File {
	var changed []*instrument.File
	for _, f := range files {
		if f.Changed() {
			changed = append(changed, f)
		}
	}
	return changed
}
