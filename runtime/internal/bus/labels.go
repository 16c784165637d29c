package bus

import (
	"context"
	"runtime/pprof"
	"sync"
	"unsafe"
)

// labelSet mirrors runtime/pprof's labelMap, the value a goroutine's
// profiler label pointer points to: a label.Set, its labels sorted by key.
// It is read only after checkLabelLayout has confirmed the mirror on this
// binary's runtime.
type labelSet struct {
	list []struct{ key, value string }
}

var (
	labelLayoutOnce sync.Once
	labelsReadable  bool
)

// checkLabelLayout sets labelsReadable when a label set made here reads
// back through the mirror as it was made.
func checkLabelLayout() {
	ctx := pprof.WithLabels(context.Background(), pprof.Labels("ddt_a", "1", "ddt_b", "2"))
	prev := getProfLabel()
	pprof.SetGoroutineLabels(ctx)
	p := getProfLabel()
	setProfLabel(prev)
	if p == nil {
		return
	}
	l := (*labelSet)(p).list
	labelsReadable = len(l) == 2 && l[0].key == "ddt_a" && l[0].value == "1" && l[1].key == "ddt_b" && l[1].value == "2"
}

// requestOfLabels returns the request id that the label set at p carries
// under RequestLabel, or "". A label set that is not the one Bind made for
// the request, but carries its id, was derived from the request's context:
// pprof.Do(r.Context(), ...) in a handler.
func requestOfLabels(p unsafe.Pointer) string {
	if p == nil || !labelsReadable {
		return ""
	}
	for _, l := range (*labelSet)(p).list {
		if l.key == RequestLabel {
			return l.value
		}
	}
	return ""
}
