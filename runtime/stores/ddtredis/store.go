package ddtredis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/go-ddt/ddt/runtime/stores/storequeue"
	"github.com/go-ddt/ddt/runtime/toolbar"
)

// SchemaVersion is the version of the keys this package writes: part of
// their prefix, and recorded in the meta hash.
const SchemaVersion = 1

// Defaults of Options.
const (
	DefaultPrefix      = "ddt:"
	DefaultMaxRequests = 1000
	DefaultMaxAge      = 24 * time.Hour
)

// Options configure a Store. The zero value uses the defaults.
type Options struct {
	// Prefix starts every key, before the version; default "ddt:".
	Prefix string
	// MaxRequests bounds the records kept, all instances together;
	// default 1000.
	MaxRequests int
	// MaxAge bounds how long a record is kept; default 24h.
	MaxAge time.Duration
	// Queue bounds the write queue and each round trip (see storequeue).
	Queue storequeue.Config
}

// Store is a toolbar.Store in Redis: a storequeue.Store over its keys.
type Store struct {
	*storequeue.Store
	client redis.UniversalClient
	own    bool // the client was made by Open
}

// Open returns a Store on the server that url names
// (redis://[user:password@]host:port/db). It does not connect: a server
// that is down makes records drop, not Open fail. Close closes the client
// it made.
func Open(url string, opts Options) (*Store, error) {
	o, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("ddtredis: %w", err)
	}
	timeout := opts.Queue.Timeout
	if timeout <= 0 {
		timeout = storequeue.DefaultTimeout
	}
	o.DialTimeout, o.ReadTimeout, o.WriteTimeout = timeout, timeout, timeout
	o.ContextTimeoutEnabled = true
	o.MaxRetries = 1
	s, err := New(redis.NewClient(o), opts)
	if err != nil {
		return nil, err
	}
	s.own = true
	return s, nil
}

// New returns a Store on client, which the application keeps and closes.
func New(client redis.UniversalClient, opts Options) (*Store, error) {
	b := &backend{client: client, maxRequests: opts.MaxRequests, maxAge: opts.MaxAge}
	prefix := opts.Prefix
	if prefix == "" {
		prefix = DefaultPrefix
	}
	b.prefix = prefix + "v" + strconv.Itoa(SchemaVersion) + ":"
	if b.maxRequests <= 0 {
		b.maxRequests = DefaultMaxRequests
	}
	if b.maxAge <= 0 {
		b.maxAge = DefaultMaxAge
	}
	if b.maxAge < time.Millisecond {
		return nil, fmt.Errorf("ddtredis: Options.MaxAge %v: at least a millisecond", opts.MaxAge)
	}
	return &Store{Store: storequeue.New(b, opts.Queue), client: client}, nil
}

// Close writes what is queued and stops the writer, then closes the
// client if Open made it.
func (s *Store) Close() error {
	s.Store.Close()
	if s.own {
		return s.client.Close()
	}
	return nil
}

// backend is the storequeue.Backend on the keys.
type backend struct {
	client      redis.UniversalClient
	prefix      string // with the version
	maxRequests int
	maxAge      time.Duration
}

// micros is t as a sorted-set score: microseconds since 1970, exact in a
// float64.
func micros(t time.Time) string { return strconv.FormatInt(t.UnixMicro(), 10) }

// SaveBatch implements storequeue.Backend: one script writes every record
// and evicts those over the bounds.
func (b *backend) SaveBatch(ctx context.Context, recs []*toolbar.StoredRequest) error {
	args := make([]any, 0, 4+5*len(recs))
	args = append(args, micros(time.Now()), b.maxAge.Milliseconds(), b.maxRequests, SchemaVersion)
	for _, rec := range recs {
		sum, err := json.Marshal(rec.Summary)
		if err != nil {
			return fmt.Errorf("ddtredis: encoding %s: %w", rec.ID, err)
		}
		full, err := json.Marshal(rec)
		if err != nil {
			return fmt.Errorf("ddtredis: encoding %s: %w", rec.ID, err)
		}
		args = append(args, rec.ID, micros(rec.Started), rec.Client, sum, full)
	}
	if err := saveScript.Run(ctx, b.client, []string{b.prefix}, args...).Err(); err != nil {
		return fmt.Errorf("ddtredis: saving %d records: %w", len(recs), err)
	}
	return nil
}

// Get implements storequeue.Backend: one GET.
func (b *backend) Get(ctx context.Context, id string) (*toolbar.StoredRequest, error) {
	data, err := b.client.Get(ctx, b.prefix+"rec:"+id).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, toolbar.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("ddtredis: reading %s: %w", id, err)
	}
	rec := new(toolbar.StoredRequest)
	if err := json.Unmarshal(data, rec); err != nil {
		return nil, fmt.Errorf("ddtredis: decoding %s: %w", id, err)
	}
	return rec, nil
}

// List implements storequeue.Backend: one script.
func (b *backend) List(ctx context.Context, f toolbar.ListFilter) ([]toolbar.Summary, error) {
	before := "+inf"
	if !f.Before.IsZero() {
		before = "(" + micros(f.Before)
	}
	res, err := listScript.Run(ctx, b.client, []string{b.prefix}, f.Client, f.Instance, before, max(f.Limit, 0)).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("ddtredis: listing: %w", err)
	}
	out := make([]toolbar.Summary, len(res))
	for i, s := range res {
		if err := json.Unmarshal([]byte(s), &out[i]); err != nil {
			return nil, fmt.Errorf("ddtredis: listing: decoding a summary: %w", err)
		}
	}
	return out, nil
}

// Ping implements storequeue.Backend.
func (b *backend) Ping(ctx context.Context) error { return b.client.Ping(ctx).Err() }
