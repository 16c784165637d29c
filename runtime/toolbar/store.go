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
	// Instance names the instance of the application that served the
	// request (Options.Instance), for toolbars that share a Store.
	Instance string `json:"instance,omitempty"`
	// Client is the id of the browser that made the request: the toolbar's
	// ddt_client cookie (ClientCookie). The History lists a browser's own
	// requests unless asked for everyone's.
	Client string `json:"client,omitempty"`
	// KeyID identifies the signing key of the instance that recorded the
	// request (Options.SigningKey): panel routes such as EXPLAIN work from
	// another instance only when their KeyIDs agree.
	KeyID string `json:"key_id,omitempty"`

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

// ErrUnavailable is wrapped by the errors of a Store whose server cannot
// be reached: the toolbar answers 503 and says "store unavailable".
var ErrUnavailable = errors.New("toolbar: store unavailable")

// Store keeps recorded requests. Implementations must be safe for
// concurrent use and must not modify a StoredRequest after Save.
//
// The toolbar calls Save at the end of each recorded request, on the
// request's goroutine: a store whose server is remote must not make it
// wait (see runtime/stores/storequeue, which the PostgreSQL and Redis
// stores use). Get serves each panel the toolbar shows; List serves the
// History and anything else that browses the records.
type Store interface {
	// Save adds rec, evicting old records as the store's bounds require.
	Save(ctx context.Context, rec *StoredRequest) error
	// Get returns the record with the given id, or ErrNotFound.
	Get(ctx context.Context, id string) (*StoredRequest, error)
	// List returns the summaries of the stored records that f selects,
	// newest first (by Started, then by ID).
	List(ctx context.Context, f ListFilter) ([]Summary, error)
}

// ListFilter selects and pages the summaries that Store.List returns. The
// zero value selects every stored record.
type ListFilter struct {
	// Client, when set, selects the requests of that browser (Summary.Client).
	Client string
	// Instance, when set, selects the requests that instance served.
	Instance string
	// Before, when set, selects the requests that started before it: pass
	// the Started of the last summary of a page to get the next page.
	Before time.Time
	// Limit caps the number of summaries; 0 or less is no cap.
	Limit int
}

// Match reports whether f selects s, Limit aside: for stores that filter
// in Go.
func (f ListFilter) Match(s *Summary) bool {
	return (f.Client == "" || s.Client == f.Client) &&
		(f.Instance == "" || s.Instance == f.Instance) &&
		(f.Before.IsZero() || s.Started.Before(f.Before))
}

// StoreStatus is the health of a Store whose server may be unavailable.
type StoreStatus struct {
	// Available is false while the store's server cannot be reached: new
	// records are dropped until it can again.
	Available bool `json:"available"`
	// Dropped counts the records this instance could not save since it
	// started: the server was unavailable, or the write queue was full.
	Dropped uint64 `json:"dropped"`
	// Error is the last error, while unavailable.
	Error string `json:"error,omitempty"`
}

// StatusReporter is implemented by stores that can be unavailable; the
// toolbar shows their status in the History.
type StatusReporter interface {
	Status() StoreStatus
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

// List implements [Store]. Records are listed in the order they were
// saved, newest first.
func (s *MemoryStore) List(_ context.Context, f ListFilter) ([]Summary, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := min(s.next, len(s.ring))
	out := make([]Summary, 0, n)
	for i := s.next - 1; i >= s.next-n; i-- {
		if f.Limit > 0 && len(out) == f.Limit {
			break
		}
		if sum := &s.ring[i%len(s.ring)].Summary; f.Match(sum) {
			out = append(out, *sum)
		}
	}
	return out, nil
}
