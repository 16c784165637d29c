package bus

import (
	"sync"
	"sync/atomic"
)

// unattributedKeep is how many recent unattributed events are kept.
const unattributedKeep = 50

var (
	unattributedCount atomic.Int64
	unattributedMu    sync.Mutex
	unattributedRing  [unattributedKeep]Event // copies: a Sink's event is reused
	unattributedNext  int
)

// reasonLate is why an event that reached its request after the handler
// returned is unattributed.
const reasonLate = "it reached its request after the request ended: the code that made it outlived the request"

func recordUnattributed(e *Event) {
	unattributedCount.Add(1)
	unattributedMu.Lock()
	unattributedRing[unattributedNext%unattributedKeep] = *e
	unattributedNext++
	unattributedMu.Unlock()
}

// Unattributed returns how many events belonged to no request since the
// process started, and the most recent of them, oldest first.
func Unattributed() (count int64, recent []*Event) {
	unattributedMu.Lock()
	defer unattributedMu.Unlock()
	n := min(unattributedNext, unattributedKeep)
	for i := unattributedNext - n; i < unattributedNext; i++ {
		ev := unattributedRing[i%unattributedKeep]
		recent = append(recent, &ev)
	}
	return unattributedCount.Load(), recent
}

// RecordUnattributed counts e, whose Unattributed field says why it belongs
// to no request, as such: for the tests of the panels that show them.
func RecordUnattributed(e *Event) { recordUnattributed(e) }
