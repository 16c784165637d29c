package calls_test

import (
	"testing"
	"time"

	"github.com/go-ddt/ddt/runtime/panel"
	"github.com/go-ddt/ddt/runtime/panels/calls"
)

// TestTotalCountsNestedCallsOnce: the Calls panel's Total, and its
// Server-Timing entry, is the time during which any call was running, not
// the sum of the durations, which counted an 89 ms request's calls as
// 173 ms when they were nested.
func TestTotalCountsNestedCallsOnce(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ms := time.Millisecond
	type call struct{ start, dur time.Duration }
	for _, tc := range []struct {
		name  string
		calls []call
		want  time.Duration
	}{
		{"one", []call{{0, 5 * ms}}, 5 * ms},
		// An outer call, two nested calls overlapping each other, recorded
		// innermost first (calls are recorded when they return).
		{"nested", []call{{10 * ms, 40 * ms}, {20 * ms, 40 * ms}, {0, 89 * ms}}, 89 * ms},
		{"disjoint", []call{{0, 2 * ms}, {10 * ms, 3 * ms}}, 5 * ms},
		{"overlapping on two goroutines", []call{{0, 10 * ms}, {5 * ms, 10 * ms}}, 15 * ms},
		{"touching", []call{{0, 2 * ms}, {2 * ms, 2 * ms}}, 4 * ms},
		{"instant", []call{{3 * ms, 0}}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := calls.New().(*calls.Panel)
			var events []*panel.Event
			for _, c := range tc.calls {
				e := &panel.Event{Kind: "trace", Func: "p.F", Start: t0.Add(c.start), Duration: c.dur}
				p.Record(e)
				events = append(events, e)
			}
			p.ReadEvents(panel.EventsOf(events...))
			p.GenerateStats(nil, nil)
			if p.Total != tc.want {
				t.Errorf("Total = %v, want %v", p.Total, tc.want)
			}
			st := p.ServerTiming()
			if len(st) != 1 || st[0].Duration != tc.want {
				t.Errorf("ServerTiming() = %+v, want the calls' entry with duration %v", st, tc.want)
			}
		})
	}
}
