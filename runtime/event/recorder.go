package event

import "sync"

// Recorder is a [Sink] that keeps up to a fixed number of events and counts
// the ones it had to drop: a Sink for tests and tools that read events
// directly.
type Recorder struct {
	mu      sync.Mutex
	limit   int
	events  []*Event
	dropped int
}

// NewRecorder returns a Recorder that keeps at most limit events
// (unlimited when limit <= 0).
func NewRecorder(limit int) *Recorder { return &Recorder{limit: limit} }

// Record implements [Sink].
func (r *Recorder) Record(e *Event) {
	r.mu.Lock()
	if r.limit > 0 && len(r.events) >= r.limit {
		r.dropped++
	} else {
		ev := *e // e is reused once Record returns
		r.events = append(r.events, &ev)
	}
	r.mu.Unlock()
}

// Events returns the recorded events in the order they were recorded.
func (r *Recorder) Events() []*Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*Event(nil), r.events...)
}

// Dropped returns how many events exceeded the limit.
func (r *Recorder) Dropped() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.dropped
}
