package ddtsql

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"github.com/go-ddt/ddt/runtime/event"
	"io"
	"reflect"
	"strings"
	"sync"
)

// An Option configures a wrapped database.
type Option func(*target)

// Name labels the database in the SQL panel, for an application with
// several; by default it is the dialect.
func Name(name string) Option { return func(t *target) { t.name = name } }

// Dialect sets the SQL dialect, which decides how a query is explained:
// "sqlite" (EXPLAIN QUERY PLAN), "postgres" or "mysql" (EXPLAIN). By
// default it is guessed from the driver's package path; a driver it does
// not recognise gets "sql", and its queries are not explained.
func Dialect(d string) Option { return func(t *target) { t.dialect = d } }

// target is one wrapped database: what its queries are labelled with and
// how to explain them.
type target struct {
	name, dialect string
	field         event.Field      // the "db" result of its events
	connector     driver.Connector // the wrapped connector, for an explain pool of its own

	mu   sync.Mutex
	pool *sql.DB // the application's pool (OpenDB, Open) or one of ddtsql's own
	own  bool    // pool was opened by ddtsql for explaining
}

func newTarget(d driver.Driver, opts []Option) *target {
	t := &target{}
	for _, o := range opts {
		o(t)
	}
	if t.dialect == "" {
		t.dialect = guessDialect(d)
	}
	if t.name == "" {
		t.name = t.dialect
	}
	t.field = event.NewField("db", t.name)
	registerTarget(t)
	return t
}

// guessDialect names the dialect of a driver from its package path:
// modernc.org/sqlite, github.com/mattn/go-sqlite3, github.com/lib/pq,
// github.com/jackc/pgx/v5/stdlib, github.com/go-sql-driver/mysql...
func guessDialect(d driver.Driver) string {
	t := reflect.TypeOf(d)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return "sql"
	}
	p := strings.ToLower(t.PkgPath())
	switch {
	case strings.Contains(p, "sqlite"):
		return "sqlite"
	case strings.Contains(p, "pgx"), strings.Contains(p, "/pq"), strings.Contains(p, "postgres"):
		return "postgres"
	case strings.Contains(p, "mysql"):
		return "mysql"
	}
	return "sql"
}

// db returns the pool to explain queries with: the application's own when
// ddtsql opened it, so that even an in-memory database is the same one,
// or else a pool of one connection made from the wrapped connector.
func (t *target) db() *sql.DB {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.pool == nil {
		t.pool = sql.OpenDB(connectOnly{t.connector})
		t.pool.SetMaxOpenConns(1)
		t.own = true
	}
	return t.pool
}

// OpenDB is sql.OpenDB for a connector whose queries are recorded: the
// returned pool records every query and exec made while a request is
// being recorded by the toolbar, and is the one EXPLAIN uses.
func OpenDB(c driver.Connector, opts ...Option) *sql.DB {
	wc := wrapConnector(c, opts)
	db := sql.OpenDB(wc)
	wc.target.pool = db
	return db
}

// Open is sql.Open for a registered driver, with its queries recorded:
// replace sql.Open("sqlite", dsn) with ddtsql.Open("sqlite", dsn). The
// driver is used directly; nothing is registered.
func Open(driverName, dsn string, opts ...Option) (*sql.DB, error) {
	probe, err := sql.Open(driverName, dsn)
	if err != nil {
		return nil, err
	}
	d := probe.Driver()
	probe.Close()
	c, err := connectorFor(d, dsn)
	if err != nil {
		return nil, err
	}
	return OpenDB(c, opts...), nil
}

// WrapConnector returns a connector that records the queries of the
// connections c makes, for sql.OpenDB. Prefer [OpenDB], which lets EXPLAIN
// use the same pool: with WrapConnector, queries are explained on
// connections of their own (an in-memory SQLite database is then empty).
func WrapConnector(c driver.Connector, opts ...Option) driver.Connector {
	return wrapConnector(c, opts)
}

func wrapConnector(c driver.Connector, opts []Option) *connector {
	wc := &connector{inner: c}
	wc.target = newTarget(c.Driver(), opts)
	wc.target.connector = wc
	wc.drv = &wrappedDriver{inner: c.Driver(), opts: opts}
	return wc
}

// WrapDriver returns a driver that records the queries of its connections,
// for sql.Register. Each sql.Open of it makes a connector of its own (see
// [WrapConnector] on explaining).
func WrapDriver(d driver.Driver, opts ...Option) driver.Driver {
	return &wrappedDriver{inner: d, opts: opts}
}

type wrappedDriver struct {
	inner driver.Driver
	opts  []Option
}

// Open implements driver.Driver. database/sql prefers OpenConnector; Open
// is there for callers that use the driver directly.
func (d *wrappedDriver) Open(dsn string) (driver.Conn, error) {
	c, err := d.OpenConnector(dsn)
	if err != nil {
		return nil, err
	}
	return c.Connect(context.Background())
}

// OpenConnector implements driver.DriverContext.
func (d *wrappedDriver) OpenConnector(dsn string) (driver.Connector, error) {
	c, err := connectorFor(d.inner, dsn)
	if err != nil {
		return nil, err
	}
	return wrapConnector(c, d.opts), nil
}

// connectorFor returns d's connector for dsn: its own, or one that calls
// d.Open as database/sql would.
func connectorFor(d driver.Driver, dsn string) (driver.Connector, error) {
	if w, ok := d.(*wrappedDriver); ok {
		d = w.inner // do not record twice
	}
	if dc, ok := d.(driver.DriverContext); ok {
		return dc.OpenConnector(dsn)
	}
	return dsnConnector{d, dsn}, nil
}

// connectOnly hides a connector's Close method, so that closing the pool
// ddtsql opened for explaining leaves the connector open.
type connectOnly struct{ driver.Connector }

type dsnConnector struct {
	d   driver.Driver
	dsn string
}

func (c dsnConnector) Connect(context.Context) (driver.Conn, error) { return c.d.Open(c.dsn) }
func (c dsnConnector) Driver() driver.Driver                        { return c.d }

// connector records the queries of the connections it makes.
type connector struct {
	inner  driver.Connector
	drv    *wrappedDriver
	target *target
}

func (c *connector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &wrappedConn{inner: conn, target: c.target}, nil
}

func (c *connector) Driver() driver.Driver { return c.drv }

// Close closes the wrapped connector if it has a Close method, and the
// pool ddtsql opened for explaining, if any. sql.DB.Close calls it.
func (c *connector) Close() error {
	var errs []error
	c.target.mu.Lock()
	pool, own := c.target.pool, c.target.own
	c.target.pool = nil
	c.target.mu.Unlock()
	if own && pool != nil {
		errs = append(errs, pool.Close())
	}
	if cl, ok := c.inner.(io.Closer); ok {
		errs = append(errs, cl.Close())
	}
	return errors.Join(errs...)
}
