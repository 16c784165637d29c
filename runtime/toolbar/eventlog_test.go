package toolbar

import (
	"fmt"
	"reflect"
	"strconv"
	"testing"
	"time"
	"unsafe"

	"github.com/go-ddt/ddt/runtime/event"
)

// TestEventLogRoundTrip: what the log yields is what it was given, field
// for field, for every shape of event: a marked call (its kind and function
// are its Site's), one whose Func is not its Site's, an emitted event (no
// Site), a panic, an override, an unusual Via, no start time, and more kinds
// than the kind table holds.
func TestEventLogRoundTrip(t *testing.T) {
	site := &event.Site{Kind: "flag", Func: "app.FeatureEnabled"}
	start := time.Date(2026, 12, 6, 3, 4, 5, 678, time.UTC)
	stack := []uintptr{1, 2, 3}
	args := []event.Field{{Name: "name", Type: "string", Value: `"beta"`, Raw: "beta"}}
	results := []event.Field{{Name: "", Type: "bool", Value: "true", Raw: true}}
	events := []event.Event{
		{Kind: "flag", Func: site.Func, Name: "beta", Args: args, Results: results, Start: start, Duration: 3, Stack: stack, Site: site, Via: event.ViaContext, Goroutine: 7},
		{Kind: "flag", Func: "app.Other", Name: "beta", Site: site, Start: start, Via: event.ViaHandler},
		{Kind: "trace", Func: site.Func, Site: site, Start: start, Via: event.ViaChild},
		{Kind: "sql", Name: "SELECT 1", Start: start, Duration: time.Millisecond, Via: event.ViaRequest},
		{Kind: "flag", Func: site.Func, Site: site, Start: start, Panicked: true, Panic: "boom"},
		{Kind: "flag", Func: site.Func, Site: site, Start: start, Override: "false", Results: results},
		{Kind: "log", Name: "no start"},
		{Kind: "log", Via: "somewhere else", Start: start},
		{Kind: "log", Unattributed: "no request", Start: start},
		{Kind: "trace", Name: "negative duration", Start: start, Duration: -1},
	}
	for i := range 300 {
		events = append(events, event.Event{Kind: "kind" + strconv.Itoa(i), Name: "many kinds", Start: start.Add(time.Duration(i))})
	}
	var l eventLog
	for i := range events {
		l.add(&events[i])
	}
	if len(l.kinds) != 256 {
		t.Errorf("%d kinds in the table, want 256", len(l.kinds))
	}
	i := 0
	for got := range l.events(func(string) bool { return true }) {
		if i == len(events) {
			t.Fatalf("more events than the %d added", len(events))
		}
		want := events[i]
		// Start comes back as the same instant, without a monotonic reading.
		if !got.Start.Equal(want.Start) || got.Start.IsZero() != want.Start.IsZero() {
			t.Errorf("event %d: Start %v, want %v", i, got.Start, want.Start)
		}
		g := *got
		g.Start, want.Start = time.Time{}, time.Time{}
		if !reflect.DeepEqual(g, want) {
			t.Errorf("event %d:\n got %+v\nwant %+v", i, g, want)
		}
		i++
	}
	if i != len(events) {
		t.Errorf("%d events yielded, want %d", i, len(events))
	}
}

// TestEventLogFilterAndStop: events yields only the kinds asked for, in
// order (those with extras too), and stops when its loop does.
func TestEventLogFilterAndStop(t *testing.T) {
	var l eventLog
	l.add(&event.Event{Kind: "flag", Name: "flag panic", Panic: "boom"})
	l.add(&event.Event{Kind: "sql", Name: "sql panic", Panic: "boom"})
	for i := range 40 {
		kind := []string{"flag", "sql"}[i%2]
		l.add(&event.Event{Kind: kind, Name: fmt.Sprint(i)})
	}
	var names []string
	for e := range l.events(func(kind string) bool { return kind == "sql" }) {
		names = append(names, e.Name)
		if len(names) == 3 {
			break
		}
	}
	if fmt.Sprint(names) != "[sql panic 1 3]" {
		t.Errorf("sql events %v, want [sql panic 1 3]", names)
	}
}

// TestLoggedEventSize keeps the record at the size its doc claims: the
// memory of every event of a recorded request.
func TestLoggedEventSize(t *testing.T) {
	if n := unsafe.Sizeof(loggedEvent{}); n > 128 {
		t.Errorf("loggedEvent is %d bytes, want at most 128", n)
	}
}
