package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/go-ddt/ddt/runtime/toolbar"
)

// Store is a shared store under test.
type Store interface {
	toolbar.Store
	// Flush waits until what was saved is written.
	Flush(ctx context.Context) error
	Close() error
}

// Bounds are the store's bounds for one test.
type Bounds struct {
	MaxRequests int
	MaxAge      time.Duration
}

// Open returns a new store on the same data each time it is called within
// one test (so that two calls are two instances sharing it), and a
// different one for each test.
type Open func(t *testing.T, b Bounds) Store

// Record returns a stored request with events in one panel's stats.
func Record(id string, started time.Time, instance, client string, events int) *toolbar.StoredRequest {
	stats := make([]map[string]any, events)
	for i := range stats {
		stats[i] = map[string]any{"sql": fmt.Sprintf("SELECT %d FROM t WHERE id = ?", i), "duration_ms": 0.25, "args": []any{i}}
	}
	raw, _ := json.Marshal(map[string]any{"queries": stats})
	return &toolbar.StoredRequest{
		Summary: toolbar.Summary{ID: id, Method: "GET", Path: "/p/" + id[:4], Status: 200, Started: started,
			DurationMS: 1.5, Kind: toolbar.KindFetch, XHR: true, ContentType: "application/json",
			Instance: instance, Client: client, KeyID: "0a1b2c3d"},
		Panels: []toolbar.StoredPanel{{ID: "sql", Enabled: true, Stats: raw}, {ID: "timer", Enabled: false}},
	}
}

// ID returns the request id of number n: 32 hex digits.
func ID(n int) string { return fmt.Sprintf("%032x", n+1) }

// Run runs the checks.
func Run(t *testing.T, open Open) {
	t.Run("shared", func(t *testing.T) { shared(t, open) })
	t.Run("count bound", func(t *testing.T) { countBound(t, open) })
	t.Run("age bound", func(t *testing.T) { ageBound(t, open) })
}

func flush(t *testing.T, s Store) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Flush(ctx); err != nil {
		t.Fatalf("flush: %v", err)
	}
}

func ids(list []toolbar.Summary) []string {
	out := []string{}
	for _, s := range list {
		out = append(out, s.ID)
	}
	return out
}

func shared(t *testing.T, open Open) {
	a, b := open(t, Bounds{}), open(t, Bounds{})
	ctx := t.Context()
	base := time.Now().Add(-time.Minute).Truncate(time.Microsecond)
	var want []*toolbar.StoredRequest
	for i := range 6 {
		inst, client := "a", "c1"
		if i%2 == 1 {
			inst = "b"
		}
		if i >= 4 {
			client = "c2"
		}
		rec := Record(ID(i), base.Add(time.Duration(i)*time.Second), inst, client, 3)
		want = append(want, rec)
		if inst == "a" {
			a.Save(ctx, rec)
		} else {
			b.Save(ctx, rec)
		}
	}
	flush(t, a)
	flush(t, b)
	for _, s := range []Store{a, b} {
		for _, w := range want {
			got, err := s.Get(ctx, w.ID)
			if err != nil {
				t.Fatalf("Get(%s): %v", w.ID, err)
			}
			if !got.Started.Equal(w.Started) {
				t.Errorf("Get(%s).Started = %v, want %v", w.ID, got.Started, w.Started)
			}
			got.Started = w.Started
			var gs, ws any
			json.Unmarshal(got.Panels[0].Stats, &gs)
			json.Unmarshal(w.Panels[0].Stats, &ws)
			if !reflect.DeepEqual(got.Summary, w.Summary) || !reflect.DeepEqual(gs, ws) || len(got.Panels) != 2 || got.Panels[1].ID != "timer" || got.Panels[1].Enabled || len(got.Panels[1].Stats) != 0 {
				t.Errorf("Get(%s) = %+v, want %+v", w.ID, got, w)
			}
		}
	}
	if _, err := a.Get(ctx, ID(99)); !errors.Is(err, toolbar.ErrNotFound) {
		t.Errorf("Get(unknown) error = %v, want ErrNotFound", err)
	}
	for _, tt := range []struct {
		f    toolbar.ListFilter
		want []string
	}{
		{toolbar.ListFilter{}, []string{ID(5), ID(4), ID(3), ID(2), ID(1), ID(0)}},
		{toolbar.ListFilter{Client: "c1"}, []string{ID(3), ID(2), ID(1), ID(0)}},
		{toolbar.ListFilter{Client: "c2", Instance: "a"}, []string{ID(4)}},
		{toolbar.ListFilter{Instance: "b"}, []string{ID(5), ID(3), ID(1)}},
		{toolbar.ListFilter{Limit: 2}, []string{ID(5), ID(4)}},
		{toolbar.ListFilter{Limit: 2, Before: base.Add(4 * time.Second)}, []string{ID(3), ID(2)}},
		{toolbar.ListFilter{Client: "nobody"}, []string{}},
	} {
		list, err := b.List(ctx, tt.f)
		if err != nil {
			t.Fatalf("List(%+v): %v", tt.f, err)
		}
		if got := ids(list); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("List(%+v) = %v, want %v", tt.f, got, tt.want)
		}
	}
}

func countBound(t *testing.T, open Open) {
	s := open(t, Bounds{MaxRequests: 5})
	ctx := t.Context()
	base := time.Now().Add(-time.Minute)
	for i := range 12 {
		s.Save(ctx, Record(ID(i), base.Add(time.Duration(i)*time.Millisecond), "a", "c", 1))
	}
	flush(t, s)
	// A store may delete what is over its bounds at most once a second:
	// the next batch, a second later, does.
	time.Sleep(1100 * time.Millisecond)
	s.Save(ctx, Record(ID(12), base.Add(12*time.Millisecond), "a", "c", 1))
	flush(t, s)
	list, err := s.List(ctx, toolbar.ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ids(list), []string{ID(12), ID(11), ID(10), ID(9), ID(8)}; !reflect.DeepEqual(got, want) {
		t.Errorf("after 13 saves with MaxRequests 5: %v, want %v", got, want)
	}
	if _, err := s.Get(ctx, ID(0)); !errors.Is(err, toolbar.ErrNotFound) {
		t.Errorf("evicted record: Get error = %v, want ErrNotFound", err)
	}
	if list, _ := s.List(ctx, toolbar.ListFilter{Client: "c"}); len(list) != 5 {
		t.Errorf("the client's list holds %d records, want 5: %v", len(list), ids(list))
	}
}

func ageBound(t *testing.T, open Open) {
	s := open(t, Bounds{MaxAge: 2 * time.Second})
	ctx := t.Context()
	now := time.Now()
	s.Save(ctx, Record(ID(0), now.Add(-time.Hour), "a", "c", 1))
	s.Save(ctx, Record(ID(1), now, "a", "c", 1))
	flush(t, s)
	time.Sleep(1100 * time.Millisecond)
	s.Save(ctx, Record(ID(2), time.Now(), "a", "c", 1))
	flush(t, s)
	list, err := s.List(ctx, toolbar.ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ids(list), []string{ID(2), ID(1)}; !reflect.DeepEqual(got, want) {
		t.Errorf("with MaxAge 2s: %v, want %v (the record an hour old deleted)", got, want)
	}
	if _, err := s.Get(ctx, ID(0)); !errors.Is(err, toolbar.ErrNotFound) {
		t.Errorf("expired record: Get error = %v, want ErrNotFound", err)
	}
}
