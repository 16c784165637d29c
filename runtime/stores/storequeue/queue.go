package storequeue

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-ddt/ddt/runtime/toolbar"
)

// Backend is a store on a remote server, as the store packages implement
// it: each method is one round trip at most.
type Backend interface {
	// SaveBatch writes recs, in one round trip when it can, and evicts
	// old records as the store's bounds require.
	SaveBatch(ctx context.Context, recs []*toolbar.StoredRequest) error
	// Get returns the record with the given id, or toolbar.ErrNotFound.
	Get(ctx context.Context, id string) (*toolbar.StoredRequest, error)
	// List returns the summaries that f selects, newest first.
	List(ctx context.Context, f toolbar.ListFilter) ([]toolbar.Summary, error)
	// Ping reports whether the server answers.
	Ping(ctx context.Context) error
}

// Config bounds a Store. The zero value uses the defaults.
type Config struct {
	// QueueSize is how many records may wait to be written; default 1024.
	// Records saved while it is full are dropped.
	QueueSize int
	// BatchSize is the most records written in one round trip; default 64.
	BatchSize int
	// Timeout bounds each round trip to the server; default 2s.
	Timeout time.Duration
	// MaxRetry is the longest wait between two pings of a server that is
	// unavailable; default 5s. The first wait is 100ms; each is twice the
	// last.
	MaxRetry time.Duration
}

// Defaults of Config.
const (
	DefaultQueueSize = 1024
	DefaultBatchSize = 64
	DefaultTimeout   = 2 * time.Second
	DefaultMaxRetry  = 5 * time.Second
	firstRetry       = 100 * time.Millisecond
)

// Store is a toolbar.Store and toolbar.StatusReporter on a Backend.
type Store struct {
	backend Backend
	cfg     Config
	queue   chan item

	mu      sync.Mutex
	pending map[string]*toolbar.StoredRequest // queued, not yet written
	lastErr error                             // nil while available

	dropped   atomic.Uint64
	available atomic.Bool

	stop    chan struct{}
	stopped chan struct{}
	once    sync.Once
}

// item is a record to write, or a flush marker (done set, rec nil).
type item struct {
	rec  *toolbar.StoredRequest
	done chan struct{}
}

// New returns a Store that writes to b, and starts its writer; Close stops
// it.
func New(b Backend, cfg Config) *Store {
	if cfg.QueueSize <= 0 {
		cfg.QueueSize = DefaultQueueSize
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = DefaultBatchSize
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxRetry <= 0 {
		cfg.MaxRetry = DefaultMaxRetry
	}
	s := &Store{
		backend: b,
		cfg:     cfg,
		queue:   make(chan item, cfg.QueueSize),
		pending: map[string]*toolbar.StoredRequest{},
		stop:    make(chan struct{}),
		stopped: make(chan struct{}),
	}
	s.available.Store(true)
	go s.write()
	return s
}

// Save implements toolbar.Store: it queues rec and returns at once. A
// record that finds the queue full is dropped and counted.
func (s *Store) Save(_ context.Context, rec *toolbar.StoredRequest) error {
	s.mu.Lock()
	s.pending[rec.ID] = rec
	s.mu.Unlock()
	select {
	case s.queue <- item{rec: rec}:
		return nil
	default:
		s.mu.Lock()
		delete(s.pending, rec.ID)
		s.mu.Unlock()
		s.dropped.Add(1)
		return fmt.Errorf("%w: the write queue is full (%d records); record dropped", toolbar.ErrUnavailable, s.cfg.QueueSize)
	}
}

// Get implements toolbar.Store: from the queue when the record waits
// there, else in one round trip.
func (s *Store) Get(ctx context.Context, id string) (*toolbar.StoredRequest, error) {
	s.mu.Lock()
	rec, ok := s.pending[id]
	s.mu.Unlock()
	if ok {
		return rec, nil
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	rec, err := s.backend.Get(ctx, id)
	if err != nil && !errors.Is(err, toolbar.ErrNotFound) {
		return nil, unavailable(err)
	}
	return rec, err
}

// List implements toolbar.Store: the server's list, with the records that
// still wait in the queue.
func (s *Store) List(ctx context.Context, f toolbar.ListFilter) ([]toolbar.Summary, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	list, err := s.backend.List(ctx, f)
	if err != nil {
		return nil, unavailable(err)
	}
	s.mu.Lock()
	var queued []toolbar.Summary
	for _, rec := range s.pending {
		if f.Match(&rec.Summary) {
			queued = append(queued, rec.Summary)
		}
	}
	s.mu.Unlock()
	if len(queued) == 0 {
		return list, nil
	}
	return merge(list, queued, f.Limit), nil
}

// Status implements toolbar.StatusReporter.
func (s *Store) Status() toolbar.StoreStatus {
	st := toolbar.StoreStatus{Available: s.available.Load(), Dropped: s.dropped.Load()}
	if !st.Available {
		s.mu.Lock()
		if s.lastErr != nil {
			st.Error = s.lastErr.Error()
		}
		s.mu.Unlock()
	}
	return st
}

// Flush waits until the records saved before it are written or dropped,
// or ctx is done.
func (s *Store) Flush(ctx context.Context) error {
	done := make(chan struct{})
	select {
	case s.queue <- item{done: done}:
	case <-s.stopped:
		return errors.New("storequeue: flush: the store is closed")
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close writes what is queued, within the Timeout, and stops the writer.
// Records saved after Close are dropped.
func (s *Store) Close() error {
	s.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), s.cfg.Timeout)
		defer cancel()
		s.Flush(ctx)
		close(s.stop)
		<-s.stopped
	})
	return nil
}

// write is the writer: it takes a batch from the queue, writes it and,
// when that fails, waits for the server to come back.
func (s *Store) write() {
	defer close(s.stopped)
	batch := make([]*toolbar.StoredRequest, 0, s.cfg.BatchSize)
	var flushes []chan struct{}
	for {
		select {
		case it := <-s.queue:
			batch, flushes = collect(batch, flushes, it)
		case <-s.stop:
			return
		}
	fill:
		for len(batch) < s.cfg.BatchSize {
			select {
			case it := <-s.queue:
				batch, flushes = collect(batch, flushes, it)
			default:
				break fill
			}
		}
		if len(batch) > 0 {
			s.writeBatch(batch)
		}
		for _, done := range flushes {
			close(done)
		}
		clear(batch)
		batch, flushes = batch[:0], flushes[:0]
	}
}

func collect(batch []*toolbar.StoredRequest, flushes []chan struct{}, it item) ([]*toolbar.StoredRequest, []chan struct{}) {
	if it.done != nil {
		return batch, append(flushes, it.done)
	}
	return append(batch, it.rec), flushes
}

// writeBatch writes batch; on failure it drops it and waits, pinging, for
// the server to answer again.
func (s *Store) writeBatch(batch []*toolbar.StoredRequest) {
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.Timeout)
	err := s.backend.SaveBatch(ctx, batch)
	cancel()
	s.mu.Lock()
	for _, rec := range batch {
		delete(s.pending, rec.ID)
	}
	s.mu.Unlock()
	if err == nil {
		return
	}
	s.dropped.Add(uint64(len(batch)))
	s.setError(err)
	for wait := firstRetry; ; wait = min(2*wait, s.cfg.MaxRetry) {
		select {
		case <-time.After(wait):
		case <-s.stop:
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), s.cfg.Timeout)
		err := s.backend.Ping(ctx)
		cancel()
		if err == nil {
			s.setError(nil)
			return
		}
		s.setError(err)
	}
}

func (s *Store) setError(err error) {
	s.mu.Lock()
	s.lastErr = err
	s.mu.Unlock()
	s.available.Store(err == nil)
}

// unavailable wraps err, an error of the server, in toolbar.ErrUnavailable.
func unavailable(err error) error {
	if errors.Is(err, toolbar.ErrUnavailable) {
		return err
	}
	return fmt.Errorf("%w: %w", toolbar.ErrUnavailable, err)
}

// merge adds queued, summaries not yet written, to list, both newest
// first, keeping the order and at most limit (when > 0) summaries.
func merge(list, queued []toolbar.Summary, limit int) []toolbar.Summary {
	seen := make(map[string]bool, len(list))
	for _, s := range list {
		seen[s.ID] = true
	}
	out := make([]toolbar.Summary, 0, len(list)+len(queued))
	out = append(out, list...)
	for _, q := range queued {
		if !seen[q.ID] {
			out = append(out, q)
		}
	}
	sortNewestFirst(out)
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}
