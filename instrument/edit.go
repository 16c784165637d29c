package instrument

import (
	"fmt"
	"sort"
)

// An edit replaces src[Start:End] with New. Offsets are byte offsets in the
// text the edit applies to.
type edit struct {
	Start, End int
	New        string
}

// edits is a set of non-overlapping edits of one text.
type edits []edit

func (es *edits) insert(at int, text string) { *es = append(*es, edit{at, at, text}) }

func (es *edits) replace(start, end int, text string) { *es = append(*es, edit{start, end, text}) }

func (es edits) sorted() edits {
	out := append(edits(nil), es...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Start != out[j].Start {
			return out[i].Start < out[j].Start
		}
		return out[i].End < out[j].End
	})
	return out
}

// apply returns src with the edits applied. Insertions at the same offset
// keep the order in which they were added.
func (es edits) apply(src []byte) ([]byte, error) {
	sorted := es.sorted()
	var out []byte
	last := 0
	for _, e := range sorted {
		if e.Start < last || e.End < e.Start || e.End > len(src) {
			return nil, fmt.Errorf("internal error: overlapping or invalid edit [%d,%d) after %d", e.Start, e.End, last)
		}
		out = append(out, src[last:e.Start]...)
		out = append(out, e.New...)
		last = e.End
	}
	out = append(out, src[last:]...)
	return out, nil
}

// mapForward returns the offset in the edited text of offset off of the
// original text. An offset inside a replaced range maps to the start of its
// replacement; an offset where text was inserted maps past the insertion.
func (es edits) mapForward(off int) int {
	delta := 0
	for _, e := range es.sorted() {
		if e.Start > off || (e.Start == off && e.End > off) {
			break
		}
		if off < e.End {
			return e.Start + delta
		}
		delta += len(e.New) - (e.End - e.Start)
	}
	return off + delta
}

// mapBack is the inverse of mapForward: the offset in the original text of
// offset off of the edited text. An offset inside inserted text maps to the
// insertion point.
func (es edits) mapBack(off int) int {
	delta := 0
	for _, e := range es.sorted() {
		newStart := e.Start + delta
		newEnd := newStart + len(e.New)
		if off < newStart {
			break
		}
		if off < newEnd {
			return e.Start
		}
		delta += len(e.New) - (e.End - e.Start)
	}
	return off - delta
}
