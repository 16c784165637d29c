package bus

import (
	"fmt"
	"maps"
	"runtime"
	"slices"
	"time"
)

// queue keeps e, an event already attributed, behind the held events, so
// that the request's sink receives its events in the order they were made.
// It reports false when there is nothing to queue behind.
func (b *binding) queue(e *Event) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.settled {
		return false
	}
	b.held.add(e)
	return true
}

// hold keeps e, an event of a goroutine other than the handler's that
// inherited the request's labels, until the request ends. A goroutine's
// labels say which goroutine started it, not whose work it does: a worker
// pool that the request started lazily carries its labels while it serves
// every later request. Which of the two it was is known only at the end.
// hold runs on the goroutine that made e.
func (b *binding) hold(e *Event) {
	gr := describe(current())
	b.mu.Lock()
	if b.settled || b.held.n >= maxHeld {
		b.mu.Unlock()
		e.Via = ""
		e.Unattributed = reasonAlive
		if !b.settled {
			e.Unattributed = reasonTooMany
		}
		recordUnattributed(e)
		return
	}
	if b.seen == nil {
		b.seen = map[uint64]*goroutine{}
	}
	if b.seen[gr.id] == nil {
		first := gr
		b.seen[gr.id] = &first
	}
	b.held.add(e)
	b.holding.Store(true)
	b.mu.Unlock()
}

// settleWait bounds how long settle waits for goroutines that are still
// running when the request ends: one that called wg.Done() has yet to
// return and exit.
const settleWait = 2 * time.Millisecond

// settle decides the held events once the handler has returned: those of
// goroutines that the request provably owned go to its sink, with the
// events queued behind them, in the order they were made; the others are
// unattributed, with the reason.
func (b *binding) settle() {
	// A snapshot: goroutines still running may hold events (and add to
	// b.seen) while settle waits for them.
	b.mu.Lock()
	waiting := slices.Collect(maps.Values(b.seen))
	b.mu.Unlock()
	if len(waiting) > 0 {
		waitForEnd(waiting)
	}
	b.mu.Lock()
	b.settled = true
	held, seen := b.held, b.seen
	b.held, b.seen = eventLog{}, nil
	b.mu.Unlock()
	verdicts := map[uint64]string{}
	for e := range held.all {
		if e.Via != ViaChild {
			b.record(e)
			continue
		}
		if why := b.vouch(e.Goroutine, seen, verdicts); why != "" {
			e.Via, e.Unattributed = "", why
			recordUnattributed(e)
			continue
		}
		b.record(e)
	}
}

// waitForEnd gives the goroutines that are still running a moment to end,
// yielding and then sleeping briefly, at most settleWait in all.
func waitForEnd(goroutines []*goroutine) {
	running := func() bool {
		for _, gr := range goroutines {
			if !gr.ended() {
				return true
			}
		}
		return false
	}
	for range 64 {
		if !running() {
			return
		}
		runtime.Gosched()
	}
	deadline := time.Now().Add(settleWait)
	for running() && time.Now().Before(deadline) {
		time.Sleep(50 * time.Microsecond)
	}
}

// vouch returns "" when the goroutine id provably did the request's work,
// and otherwise why not: it ended (before the request did, or while settle
// waited), code outside the standard library started it, and the goroutine
// that did is the handler's or one vouched for in turn.
func (b *binding) vouch(id uint64, seen map[uint64]*goroutine, verdicts map[uint64]string) string {
	if id == b.handler.id && id != 0 {
		return ""
	}
	if why, ok := verdicts[id]; ok {
		return why
	}
	verdicts[id] = reasonAlive // a cycle, which goroutine ids cannot form, is refused
	gr := seen[id]
	var why string
	switch {
	case gr == nil || gr.id == 0:
		why = reasonNone
	case !gr.ended():
		why = reasonAlive
	case startedByStandardLibrary(gr.gopc):
		why = fmt.Sprintf(reasonLibrary, funcName(gr.gopc-1))
	case gr.parent == b.handler.id:
		why = ""
	case seen[gr.parent] == nil:
		why = fmt.Sprintf(reasonUnseen, gr.parent)
	default:
		if up := b.vouch(gr.parent, seen, verdicts); up != "" {
			why = fmt.Sprintf(reasonAncestor, gr.parent, up)
		}
	}
	verdicts[id] = why
	return why
}

// eventLog keeps copies of events in chunks that start small and double
// up to a limit, so that holding many events neither copies them again
// as it grows nor asks for large blocks of memory.
type eventLog struct {
	chunks [][]Event
	n      int
}

const (
	firstEventChunk = 8
	maxEventChunk   = 64
)

// add appends a copy of e: e is reused once its call returns.
func (l *eventLog) add(e *Event) {
	last := len(l.chunks) - 1
	if last < 0 || len(l.chunks[last]) == cap(l.chunks[last]) {
		size := maxEventChunk
		if last < 0 {
			size = firstEventChunk
		} else if c := 2 * cap(l.chunks[last]); c < size {
			size = c
		}
		l.chunks = append(l.chunks, make([]Event, 0, size))
		last++
	}
	l.chunks[last] = append(l.chunks[last], *e)
	l.n++
}

// all yields the events in the order they were added.
func (l *eventLog) all(yield func(*Event) bool) {
	for _, c := range l.chunks {
		for i := range c {
			if !yield(&c[i]) {
				return
			}
		}
	}
}
