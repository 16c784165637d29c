package storequeue

import (
	"slices"
	"strings"

	"github.com/go-ddt/ddt/runtime/toolbar"
)

// sortNewestFirst orders summaries as toolbar.Store.List does: newest
// Started first, then by ID, descending.
func sortNewestFirst(list []toolbar.Summary) {
	slices.SortStableFunc(list, func(a, b toolbar.Summary) int {
		if c := b.Started.Compare(a.Started); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
}
