package toolbar

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"
)

// Summary describes one recorded request, as the History lists it.
type Summary struct {
	ID           string    `json:"id"`
	Method       string    `json:"method"`
	Path         string    `json:"path"` // path and query
	Status       int       `json:"status"`
	Started      time.Time `json:"started"`
	DurationMS   float64   `json:"duration_ms"`
	Kind         string    `json:"kind"` // KindPage, KindFetch or KindAsset
	XHR          bool      `json:"xhr"`  // not a page navigation: Kind is not KindPage
	ContentType  string    `json:"content_type"`
	Dropped      int       `json:"dropped"`      // events over Options.MaxEvents
	Unattributed int64     `json:"unattributed"` // events of no request, process-wide, when it ended
	Streamed     bool      `json:"streamed,omitempty"`
	Hijacked     bool      `json:"hijacked,omitempty"`
	Panicked     bool      `json:"panicked,omitempty"`
	// Events counts the events the request's panels received, by kind
	// ("sql", "flag", "log", ...), as they were recorded: filters such as
	// "has SQL" read it without the panels' stats.
	Events map[string]int `json:"events,omitempty"`
	// Errors counts the events that report a failure: a panic, an "err"
	// result (a failed query, outbound call or template), or a log record
	// at level ERROR or above.
	Errors int `json:"errors,omitempty"`
}

// StoredRequest is what the toolbar stores for one recorded request: its
// summary and each panel's stats as JSON. Panels are rendered from it
// alone, so a StoredRequest can be kept anywhere JSON can.
type StoredRequest struct {
	Summary
	Panels []StoredPanel `json:"panels"`
}

// StoredPanel is one panel's part of a [StoredRequest].
type StoredPanel struct {
	ID      string          `json:"id"`
	Enabled bool            `json:"enabled"`
	Stats   json.RawMessage `json:"stats,omitempty"` // absent when the panel was disabled
	Error   string          `json:"error,omitempty"` // why the stats could not be encoded
}

// ErrNotFound is returned by a Store for an id it does not hold.
var ErrNotFound = errors.New("toolbar: no such request")

// Store keeps recorded requests. Implementations must be safe for
// concurrent use and must not modify a StoredRequest after Save.
type Store interface {
	// Save adds rec, evicting old records as the store's bounds require.
	Save(ctx context.Context, rec *StoredRequest) error
	// Get returns the record with the given id, or ErrNotFound.
	Get(ctx context.Context, id string) (*StoredRequest, error)
	// List returns the summaries of the stored records, newest first.
	List(ctx context.Context) ([]Summary, error)
}

// MemoryStore is a [Store] that keeps the most recent records in memory.
type MemoryStore struct {
	mu    sync.Mutex
	ring  []*StoredRequest // ring[next%len] is the oldest once full
	next  int
	index map[string]*StoredRequest
}

// NewMemoryStore returns a store that keeps the size most recent records
// (DefaultStoreSize when size <= 0).
func NewMemoryStore(size int) *MemoryStore {
	if size <= 0 {
		size = DefaultStoreSize
	}
	return &MemoryStore{ring: make([]*StoredRequest, size), index: make(map[string]*StoredRequest, size)}
}

// Save implements [Store].
func (s *MemoryStore) Save(_ context.Context, rec *StoredRequest) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	slot := s.next % len(s.ring)
	if old := s.ring[slot]; old != nil {
		delete(s.index, old.ID)
	}
	s.ring[slot] = rec
	s.index[rec.ID] = rec
	s.next++
	return nil
}

// Get implements [Store].
func (s *MemoryStore) Get(_ context.Context, id string) (*StoredRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rec, ok := s.index[id]; ok {
		return rec, nil
	}
	return nil, ErrNotFound
}

// List implements [Store].
func (s *MemoryStore) List(context.Context) ([]Summary, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := min(s.next, len(s.ring))
	out := make([]Summary, 0, n)
	for i := s.next - 1; i >= s.next-n; i-- {
		out = append(out, s.ring[i%len(s.ring)].Summary)
	}
	return out, nil
}
