package ddtrt

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

// RecordUnattributed counts e as belonging to no request. A toolbar calls it
// for an event that reaches a request after the request has finished (from
// a goroutine that outlived its handler, say), so it is still seen and
// never placed in another request.
func RecordUnattributed(e *Event) {
	if e.Unattributed == "" {
		e.Via, e.Unattributed = "", reasonLate
	}
	recordUnattributed(e)
}

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
