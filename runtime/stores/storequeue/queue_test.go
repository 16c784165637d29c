package storequeue

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/go-ddt/ddt/runtime/toolbar"
)

// memoryBackend is a Backend on the toolbar's own memory store, which a
// test can hold (every SaveBatch waits for gate) or fail.
type memoryBackend struct {
	store *toolbar.MemoryStore
	gate  chan struct{} // nil: no waiting

	mu      sync.Mutex
	fail    error // SaveBatch and Ping answer it while set
	batches []int // the size of every batch written
}

func (b *memoryBackend) SaveBatch(ctx context.Context, recs []*toolbar.StoredRequest) error {
	if b.gate != nil {
		<-b.gate
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.fail != nil {
		return b.fail
	}
	b.batches = append(b.batches, len(recs))
	for _, r := range recs {
		b.store.Save(ctx, r)
	}
	return nil
}

func (b *memoryBackend) Get(ctx context.Context, id string) (*toolbar.StoredRequest, error) {
	return b.store.Get(ctx, id)
}

func (b *memoryBackend) List(ctx context.Context, f toolbar.ListFilter) ([]toolbar.Summary, error) {
	return b.store.List(ctx, f)
}

func (b *memoryBackend) Ping(context.Context) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.fail
}

func record(i int) *toolbar.StoredRequest {
	return &toolbar.StoredRequest{Summary: toolbar.Summary{
		ID: fmt.Sprintf("%032x", i), Method: "GET", Path: fmt.Sprintf("/%d", i),
		Started: time.Unix(1_800_000_000+int64(i), 0), Client: map[bool]string{true: "a", false: "b"}[i%2 == 0],
	}}
}

// TestQueueBatchesAndReadsWhatWaits: records saved while the writer is
// busy wait in the queue, where Get and List find them, and are written in
// batches of at most BatchSize.
func TestQueueBatchesAndReadsWhatWaits(t *testing.T) {
	b := &memoryBackend{store: toolbar.NewMemoryStore(100), gate: make(chan struct{})}
	s := New(b, Config{BatchSize: 4})
	defer s.Close()
	ctx := t.Context()
	for i := range 10 {
		if err := s.Save(ctx, record(i)); err != nil {
			t.Fatal(err)
		}
	}
	if rec, err := s.Get(ctx, record(7).ID); err != nil || rec.Path != "/7" {
		t.Errorf("Get of a queued record: %v, %v", rec, err)
	}
	list, err := s.List(ctx, toolbar.ListFilter{Client: "a", Limit: 3})
	if err != nil || len(list) != 3 || list[0].Path != "/8" || list[2].Path != "/4" {
		t.Errorf("List of queued records, client a, limit 3: %+v, %v", list, err)
	}
	close(b.gate) // the server answers
	if err := s.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	b.mu.Lock()
	batches := append([]int(nil), b.batches...)
	b.mu.Unlock()
	total := 0
	for _, n := range batches {
		if n > 4 {
			t.Errorf("a batch of %d records, BatchSize 4", n)
		}
		total += n
	}
	if total != 10 || len(batches) < 3 {
		t.Errorf("batches %v: want 10 records in at least 3", batches)
	}
	if list, _ := b.store.List(ctx, toolbar.ListFilter{}); len(list) != 10 {
		t.Errorf("the server holds %d records, want 10", len(list))
	}
	if st := s.Status(); !st.Available || st.Dropped != 0 {
		t.Errorf("status %+v", st)
	}
}

// TestQueueFullDrops: a record that finds the queue full is dropped at
// once, counted, and Save says so with toolbar.ErrUnavailable.
func TestQueueFullDrops(t *testing.T) {
	b := &memoryBackend{store: toolbar.NewMemoryStore(100), gate: make(chan struct{})}
	s := New(b, Config{QueueSize: 2, BatchSize: 1})
	defer s.Close()
	defer close(b.gate)
	ctx := t.Context()
	s.Save(ctx, record(0))
	// The writer takes record 0 and waits at the gate; 1 and 2 fill the
	// queue.
	deadline := time.Now().Add(5 * time.Second)
	for len(s.queue) != 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	s.Save(ctx, record(1))
	s.Save(ctx, record(2))
	start := time.Now()
	err := s.Save(ctx, record(3))
	if !errors.Is(err, toolbar.ErrUnavailable) || time.Since(start) > time.Second {
		t.Errorf("Save into a full queue: %v after %v", err, time.Since(start))
	}
	if st := s.Status(); st.Dropped != 1 {
		t.Errorf("dropped %d, want 1", st.Dropped)
	}
	if _, err := s.Get(ctx, record(3).ID); !errors.Is(err, toolbar.ErrNotFound) {
		t.Errorf("the dropped record: %v, want ErrNotFound", err)
	}
}

// TestQueueRecovers: a batch the server refuses is dropped and counted,
// the store says it is unavailable and why, and it is available again once
// the server answers a ping.
func TestQueueRecovers(t *testing.T) {
	b := &memoryBackend{store: toolbar.NewMemoryStore(100), fail: errors.New("connection refused")}
	s := New(b, Config{BatchSize: 8, MaxRetry: 50 * time.Millisecond})
	defer s.Close()
	ctx := t.Context()
	for i := range 3 {
		s.Save(ctx, record(i))
	}
	waitFor(t, "the store unavailable", func() bool { return !s.Status().Available })
	// The writer may have taken the first record alone before the others
	// were queued: that batch fails and is dropped, and the records still
	// queued are written once the server answers again.
	if st := s.Status(); st.Error != "connection refused" || st.Dropped < 1 || st.Dropped > 3 {
		t.Errorf("status while down: %+v", st)
	}
	b.mu.Lock()
	b.fail = nil
	b.mu.Unlock()
	waitFor(t, "the store available again", func() bool { return s.Status().Available })
	s.Save(ctx, record(5))
	if err := s.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if rec, err := b.store.Get(ctx, record(5).ID); err != nil || rec == nil {
		t.Errorf("a record saved after recovery is not on the server: %v", err)
	}
	// Each record saved while the server was down is either counted as
	// dropped or on the server: none is lost silently, none both.
	written := 0
	for i := range 3 {
		if rec, err := b.store.Get(ctx, record(i).ID); err == nil && rec != nil {
			written++
		}
	}
	if st := s.Status(); st.Dropped < 1 || int(st.Dropped)+written != 3 || st.Error != "" {
		t.Errorf("status after recovery: %+v, with %d of the 3 records saved while down on the server", st, written)
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}
