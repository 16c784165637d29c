package toolbar

import (
	"iter"
	"math"
	"time"

	"github.com/go-ddt/ddt/runtime/event"
	"github.com/go-ddt/ddt/runtime/panel"
)

// eventLog keeps one record of each event of a request for the panels
// that read events once the handler has returned ([panel.EventReader]):
// however many panels read an event, it is kept once, in 128 bytes rather
// than an [event.Event]'s 240. What most events share is not repeated in
// each record: the kind is an index in a table of the request's kinds, and
// a marked call's function is its Site's. An event that has what the
// record has no room for (a panic, an override, a function other than its
// Site's, a kind past the table's 256th) has the rest in extras.
type eventLog struct {
	records panel.Buffer[loggedEvent]
	extras  []loggedExtra // few: most events need none
	kinds   []string
}

// loggedEvent is one event in an eventLog.
type loggedEvent struct {
	name          string
	args, results []event.Field
	stack         []uintptr
	site          *event.Site
	start         int64 // Unix nanoseconds; noStart when the event has none
	duration      time.Duration
	goroutine     uint64
	kind          uint8 // index in eventLog.kinds; ignored when extra
	via           uint8 // index in vias
	panicked      bool
	extra         uint32 // 1 + the index in eventLog.extras of the rest of the event, or 0
}

// loggedExtra is what a loggedEvent has no room for.
type loggedExtra struct {
	kind, fn, panic, override, unattributed, via string
}

// noStart is a loggedEvent's start when the event's Start is the zero Time.
const noStart = math.MinInt64

// vias are the values of event.Via in a loggedEvent's via.
var vias = [...]string{"", event.ViaContext, event.ViaRequest, event.ViaHandler, event.ViaChild}

// add keeps e.
func (l *eventLog) add(e *event.Event) {
	r := loggedEvent{
		name: e.Name, args: e.Args, results: e.Results, stack: e.Stack, site: e.Site,
		start: noStart, duration: e.Duration, goroutine: e.Goroutine, panicked: e.Panicked,
	}
	if !e.Start.IsZero() {
		r.start = e.Start.UnixNano()
	}
	via, viaOK := viaIndex(e.Via)
	kind, kindOK := l.kindIndex(e.Kind)
	fn := ""
	if e.Site != nil {
		fn = e.Site.Func
	}
	r.via, r.kind = via, kind
	if !viaOK || !kindOK || e.Func != fn || e.Panic != "" || e.Override != "" || e.Unattributed != "" {
		l.extras = append(l.extras, loggedExtra{kind: e.Kind, fn: e.Func, panic: e.Panic, override: e.Override, unattributed: e.Unattributed, via: e.Via})
		r.extra = uint32(len(l.extras))
	}
	l.records.Add(r)
}

// viaIndex returns the index of via in vias.
func viaIndex(via string) (uint8, bool) {
	for i, v := range vias {
		if v == via {
			return uint8(i), true
		}
	}
	return 0, false
}

// kindIndex returns the index of kind in l.kinds, adding it if there is
// room. A request's events are mostly of a few kinds, and kinds are mostly
// the same string constants, which compare in one step.
func (l *eventLog) kindIndex(kind string) (uint8, bool) {
	for i, k := range l.kinds {
		if k == kind {
			return uint8(i), true
		}
	}
	if len(l.kinds) > math.MaxUint8 {
		return 0, false
	}
	l.kinds = append(l.kinds, kind)
	return uint8(len(l.kinds) - 1), true
}

// events yields the logged events whose kind wants reports true, for
// [panel.EventReader]: one Event, filled anew for each. wants is asked once
// per kind of the table, and the events of other kinds are not filled.
func (l *eventLog) events(wants func(kind string) bool) iter.Seq[*event.Event] {
	return func(yield func(*event.Event) bool) {
		wanted := make([]bool, len(l.kinds))
		for i, k := range l.kinds {
			wanted[i] = wants(k)
		}
		var e event.Event
		for r := range l.records.All() {
			var x *loggedExtra
			if r.extra > 0 {
				x = &l.extras[r.extra-1]
				if !wants(x.kind) {
					continue
				}
			} else if !wanted[r.kind] {
				continue
			}
			e = event.Event{
				Name: r.name, Args: r.args, Results: r.results, Stack: r.stack, Site: r.site,
				Duration: r.duration, Goroutine: r.goroutine, Panicked: r.panicked, Via: vias[r.via],
			}
			if r.start != noStart {
				e.Start = time.Unix(0, r.start)
			}
			if x != nil {
				e.Kind, e.Func, e.Panic, e.Override, e.Unattributed, e.Via = x.kind, x.fn, x.panic, x.override, x.unattributed, x.via
			} else {
				e.Kind = l.kinds[r.kind]
				if r.site != nil {
					e.Func = r.site.Func
				}
			}
			if !yield(&e) {
				return
			}
		}
	}
}
