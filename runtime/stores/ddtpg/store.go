package ddtpg

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/go-ddt/ddt/runtime/stores/storequeue"
	"github.com/go-ddt/ddt/runtime/toolbar"
)

// SchemaVersion is the version of the table this package writes, recorded
// in the table ddt_schema.
const SchemaVersion = 1

// Defaults of Options.
const (
	DefaultTable       = "ddt_requests"
	DefaultMaxRequests = 1000
	DefaultMaxAge      = 24 * time.Hour
)

// cleanupEvery is the shortest time between two deletions of the records
// over the bounds.
const cleanupEvery = time.Second

// Options configure a Store. The zero value uses the defaults.
type Options struct {
	// Table is the table of the records; default "ddt_requests". Its name
	// is a lower-case SQL identifier, optionally schema-qualified.
	Table string
	// MaxRequests bounds the records kept, all instances together;
	// default 1000.
	MaxRequests int
	// MaxAge bounds how long a record is kept; default 24h.
	MaxAge time.Duration
	// Queue bounds the write queue and each round trip (see storequeue).
	Queue storequeue.Config
}

// Store is a toolbar.Store in PostgreSQL: a storequeue.Store over the
// table.
type Store struct {
	*storequeue.Store
	pool *pgxpool.Pool
	own  bool // the pool was opened by Open
}

// Open returns a Store on the database that connString names (a URL or
// key=value string, as pgx takes). It does not connect: the table is made
// on first use, and a server that is down makes records drop, not Open
// fail. Close closes the pool it opened.
func Open(connString string, opts Options) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(connString)
	if err != nil {
		return nil, fmt.Errorf("ddtpg: connection string: %w", err)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = storequeue.DefaultTimeout
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		return nil, fmt.Errorf("ddtpg: %w", err)
	}
	s, err := New(pool, opts)
	if err != nil {
		pool.Close()
		return nil, err
	}
	s.own = true
	return s, nil
}

// New returns a Store on pool, which the application keeps and closes.
func New(pool *pgxpool.Pool, opts Options) (*Store, error) {
	b, err := newBackend(pool, opts)
	if err != nil {
		return nil, err
	}
	return &Store{Store: storequeue.New(b, opts.Queue), pool: pool}, nil
}

// Close writes what is queued and stops the writer, then closes the pool
// if Open opened it.
func (s *Store) Close() error {
	s.Store.Close()
	if s.own {
		s.pool.Close()
	}
	return nil
}

var tableName = regexp.MustCompile(`^([a-z_][a-z0-9_]*\.)?[a-z_][a-z0-9_]*$`)

// backend is the storequeue.Backend on the table.
type backend struct {
	pool        *pgxpool.Pool
	table       string // as given, for messages and ddt_schema
	ident       string // quoted
	maxRequests int
	maxAge      time.Duration

	schemaMu    sync.Mutex
	schemaReady bool

	cleanMu   sync.Mutex
	lastClean time.Time
}

func newBackend(pool *pgxpool.Pool, opts Options) (*backend, error) {
	b := &backend{pool: pool, table: opts.Table, maxRequests: opts.MaxRequests, maxAge: opts.MaxAge}
	if b.table == "" {
		b.table = DefaultTable
	}
	if !tableName.MatchString(b.table) {
		return nil, fmt.Errorf("ddtpg: Options.Table %q: use a lower-case SQL identifier, optionally schema.table", b.table)
	}
	if b.maxRequests <= 0 {
		b.maxRequests = DefaultMaxRequests
	}
	if b.maxAge <= 0 {
		b.maxAge = DefaultMaxAge
	}
	b.ident = pgx.Identifier(splitTable(b.table)).Sanitize()
	return b, nil
}

// ErrSchemaVersion reports a table made by another version of this
// package.
var ErrSchemaVersion = errors.New("ddtpg: the table has another schema version")

// ensureSchema makes the table on first use.
func (b *backend) ensureSchema(ctx context.Context) error {
	b.schemaMu.Lock()
	defer b.schemaMu.Unlock()
	if b.schemaReady {
		return nil
	}
	err := pgx.BeginFunc(ctx, b.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('ddtpg schema'))`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS ddt_schema (name text PRIMARY KEY, version integer NOT NULL)`); err != nil {
			return err
		}
		var version int
		err := tx.QueryRow(ctx, `SELECT version FROM ddt_schema WHERE name = $1`, b.table).Scan(&version)
		switch {
		case err == nil && version == SchemaVersion:
			return nil
		case err == nil:
			return fmt.Errorf("%w: table %s has version %d, this ddt writes version %d: set Options.Table to another table, or drop it",
				ErrSchemaVersion, b.table, version, SchemaVersion)
		case !errors.Is(err, pgx.ErrNoRows):
			return err
		}
		for _, stmt := range []string{
			`CREATE TABLE IF NOT EXISTS ` + b.ident + ` (
				id text PRIMARY KEY,
				started timestamptz NOT NULL,
				instance text NOT NULL,
				client text NOT NULL,
				summary text NOT NULL,
				record bytea NOT NULL)`,
			`CREATE INDEX IF NOT EXISTS ` + b.index("started") + ` ON ` + b.ident + ` (started DESC, id DESC)`,
			`CREATE INDEX IF NOT EXISTS ` + b.index("client") + ` ON ` + b.ident + ` (client, started DESC)`,
		} {
			if _, err := tx.Exec(ctx, stmt); err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, `INSERT INTO ddt_schema (name, version) VALUES ($1, $2)`, b.table, SchemaVersion)
		return err
	})
	if err != nil {
		return fmt.Errorf("ddtpg: creating table %s: %w", b.table, err)
	}
	b.schemaReady = true
	return nil
}

func (b *backend) index(what string) string {
	parts := splitTable(b.table)
	parts[len(parts)-1] += "_" + what
	return pgx.Identifier(parts[len(parts)-1:]).Sanitize()
}

// SaveBatch implements storequeue.Backend: one INSERT of every record and,
// at most once a second, the deletion of those over the bounds, sent
// together in one round trip.
func (b *backend) SaveBatch(ctx context.Context, recs []*toolbar.StoredRequest) error {
	if err := b.ensureSchema(ctx); err != nil {
		return err
	}
	n := len(recs)
	ids, started := make([]string, n), make([]time.Time, n)
	instances, clients := make([]string, n), make([]string, n)
	summaries, records := make([]string, n), make([][]byte, n)
	for i, rec := range recs {
		sum, err := json.Marshal(rec.Summary)
		if err != nil {
			return fmt.Errorf("ddtpg: encoding %s: %w", rec.ID, err)
		}
		full, err := json.Marshal(rec)
		if err != nil {
			return fmt.Errorf("ddtpg: encoding %s: %w", rec.ID, err)
		}
		ids[i], started[i], instances[i], clients[i] = rec.ID, rec.Started, rec.Instance, rec.Client
		summaries[i], records[i] = string(sum), full
	}
	batch := &pgx.Batch{}
	batch.Queue(`INSERT INTO `+b.ident+` (id, started, instance, client, summary, record)
		SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::bytea[])
		ON CONFLICT (id) DO NOTHING`, ids, started, instances, clients, summaries, records)
	if b.cleanupDue() {
		batch.Queue(`DELETE FROM `+b.ident+` WHERE started < $1`, time.Now().Add(-b.maxAge))
		batch.Queue(`DELETE FROM `+b.ident+` WHERE id IN (SELECT id FROM `+b.ident+
			` ORDER BY started DESC, id DESC OFFSET $1)`, b.maxRequests)
	}
	if err := b.pool.SendBatch(ctx, batch).Close(); err != nil {
		return fmt.Errorf("ddtpg: saving %d records: %w", n, err)
	}
	return nil
}

// cleanupDue reports whether the records over the bounds are to be
// deleted with this batch.
func (b *backend) cleanupDue() bool {
	b.cleanMu.Lock()
	defer b.cleanMu.Unlock()
	if time.Since(b.lastClean) < cleanupEvery {
		return false
	}
	b.lastClean = time.Now()
	return true
}

// Get implements storequeue.Backend: one SELECT by primary key.
func (b *backend) Get(ctx context.Context, id string) (*toolbar.StoredRequest, error) {
	if err := b.ensureSchema(ctx); err != nil {
		return nil, err
	}
	var data []byte
	err := b.pool.QueryRow(ctx, `SELECT record FROM `+b.ident+` WHERE id = $1`, id).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, toolbar.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("ddtpg: reading %s: %w", id, err)
	}
	rec := new(toolbar.StoredRequest)
	if err := json.Unmarshal(data, rec); err != nil {
		return nil, fmt.Errorf("ddtpg: decoding %s: %w", id, err)
	}
	return rec, nil
}

// List implements storequeue.Backend.
func (b *backend) List(ctx context.Context, f toolbar.ListFilter) ([]toolbar.Summary, error) {
	if err := b.ensureSchema(ctx); err != nil {
		return nil, err
	}
	var before, limit any
	if !f.Before.IsZero() {
		before = f.Before
	}
	if f.Limit > 0 {
		limit = f.Limit
	}
	rows, err := b.pool.Query(ctx, `SELECT summary FROM `+b.ident+`
		WHERE ($1 = '' OR client = $1) AND ($2 = '' OR instance = $2) AND ($3::timestamptz IS NULL OR started < $3)
		ORDER BY started DESC, id DESC LIMIT $4`, f.Client, f.Instance, before, limit)
	if err != nil {
		return nil, fmt.Errorf("ddtpg: listing: %w", err)
	}
	out := []toolbar.Summary{}
	var text string
	_, err = pgx.ForEachRow(rows, []any{&text}, func() error {
		var s toolbar.Summary
		if err := json.Unmarshal([]byte(text), &s); err != nil {
			return err
		}
		out = append(out, s)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ddtpg: listing: %w", err)
	}
	return out, nil
}

// Ping implements storequeue.Backend.
func (b *backend) Ping(ctx context.Context) error { return b.pool.Ping(ctx) }

// splitTable splits "schema.table" into its parts, for pgx.Identifier.
func splitTable(name string) []string { return strings.Split(name, ".") }
