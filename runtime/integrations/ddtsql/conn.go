package ddtsql

import (
	"context"
	"database/sql/driver"
	"errors"
	"github.com/go-ddt/ddt/runtime/event"
	"sync/atomic"
	"time"
)

// wrappedConn records the queries made on one connection. database/sql
// uses a connection from one goroutine at a time; txID is atomic because a
// transaction can be rolled back from another when its context ends.
type wrappedConn struct {
	inner  driver.Conn
	target *target
	txID   atomic.Uint64 // the open transaction, or 0
}

var (
	_ driver.Conn               = (*wrappedConn)(nil)
	_ driver.ConnBeginTx        = (*wrappedConn)(nil)
	_ driver.ConnPrepareContext = (*wrappedConn)(nil)
	_ driver.ExecerContext      = (*wrappedConn)(nil)
	_ driver.QueryerContext     = (*wrappedConn)(nil)
	_ driver.Pinger             = (*wrappedConn)(nil)
	_ driver.SessionResetter    = (*wrappedConn)(nil)
	_ driver.Validator          = (*wrappedConn)(nil)
	_ driver.NamedValueChecker  = (*wrappedConn)(nil)
)

func (c *wrappedConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *wrappedConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	var (
		s   driver.Stmt
		err error
	)
	if pc, ok := c.inner.(driver.ConnPrepareContext); ok {
		s, err = pc.PrepareContext(ctx, query)
	} else {
		if err = ctx.Err(); err == nil {
			s, err = c.inner.Prepare(query)
		}
	}
	if err != nil {
		return nil, err
	}
	return wrapStmt(s, c, query), nil
}

func (c *wrappedConn) Close() error { return c.inner.Close() }

func (c *wrappedConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

// txIDs numbers transactions across the process.
var txIDs atomic.Uint64

func (c *wrappedConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	start := time.Now()
	var (
		tx  driver.Tx
		err error
	)
	if bt, ok := c.inner.(driver.ConnBeginTx); ok {
		tx, err = bt.BeginTx(ctx, opts)
	} else {
		// What database/sql does for a driver without BeginTx.
		switch {
		case opts.Isolation != driver.IsolationLevel(0):
			err = errors.New("sql: driver does not support non-default isolation level")
		case opts.ReadOnly:
			err = errors.New("sql: driver does not support read-only transactions")
		default:
			if err = ctx.Err(); err == nil {
				tx, err = c.inner.Begin() //nolint:staticcheck // the driver has nothing else
			}
		}
	}
	if err != nil {
		c.recordTx(ctx, "begin", 0, start, err)
		return nil, err
	}
	id := txIDs.Add(1)
	c.txID.Store(id)
	c.recordTx(ctx, "begin", id, start, nil)
	return &wrappedTx{inner: tx, conn: c, ctx: ctx, id: id}, nil
}

func (c *wrappedConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	var exec func() (driver.Result, error)
	switch e := c.inner.(type) {
	case driver.ExecerContext:
		exec = func() (driver.Result, error) { return e.ExecContext(ctx, query, args) }
	case driver.Execer: //nolint:staticcheck // older drivers have only this
		exec = func() (driver.Result, error) {
			vs, err := values(args)
			if err != nil {
				return nil, err
			}
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			return e.Exec(query, vs)
		}
	default:
		return nil, driver.ErrSkip // database/sql prepares the statement instead
	}
	if !recording(ctx) {
		return exec()
	}
	start := time.Now()
	res, err := exec()
	if !errors.Is(err, driver.ErrSkip) {
		c.recordExec(ctx, query, args, start, res, err)
	}
	return res, err
}

func (c *wrappedConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	var q func() (driver.Rows, error)
	switch e := c.inner.(type) {
	case driver.QueryerContext:
		q = func() (driver.Rows, error) { return e.QueryContext(ctx, query, args) }
	case driver.Queryer: //nolint:staticcheck // older drivers have only this
		q = func() (driver.Rows, error) {
			vs, err := values(args)
			if err != nil {
				return nil, err
			}
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			return e.Query(query, vs)
		}
	default:
		return nil, driver.ErrSkip
	}
	if !recording(ctx) {
		return q()
	}
	start := time.Now()
	rows, err := q()
	if !errors.Is(err, driver.ErrSkip) {
		c.recordQuery(ctx, query, args, start, err)
	}
	return rows, err
}

func (c *wrappedConn) Ping(ctx context.Context) error {
	if p, ok := c.inner.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c *wrappedConn) ResetSession(ctx context.Context) error {
	if r, ok := c.inner.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *wrappedConn) IsValid() bool {
	if v, ok := c.inner.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

// CheckNamedValue lets the driver convert arguments as it would without
// ddtsql; ErrSkip makes database/sql use its default conversion.
func (c *wrappedConn) CheckNamedValue(nv *driver.NamedValue) error {
	if ch, ok := c.inner.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

// values converts named values for the drivers' older methods, as
// database/sql does.
func values(args []driver.NamedValue) ([]driver.Value, error) {
	vs := make([]driver.Value, len(args))
	for i, a := range args {
		if a.Name != "" {
			return nil, errors.New("sql: driver does not support the use of Named Parameters")
		}
		vs[i] = a.Value
	}
	return vs, nil
}

// wrappedTx records the end of a transaction, attributed to the request
// that began it.
type wrappedTx struct {
	inner driver.Tx
	conn  *wrappedConn
	ctx   context.Context
	id    uint64
}

func (t *wrappedTx) Commit() error {
	start := time.Now()
	err := t.inner.Commit()
	t.conn.txID.CompareAndSwap(t.id, 0)
	t.conn.recordTx(t.ctx, "commit", t.id, start, err)
	return err
}

func (t *wrappedTx) Rollback() error {
	start := time.Now()
	err := t.inner.Rollback()
	t.conn.txID.CompareAndSwap(t.id, 0)
	t.conn.recordTx(t.ctx, "rollback", t.id, start, err)
	return err
}

// recording reports whether a query with ctx is to be recorded: a toolbar
// is recording some request, and the query is not ddtsql's own EXPLAIN.
func recording(ctx context.Context) bool {
	return event.Active() && ctx.Value(quietKey{}) == nil
}

// quietKey marks the context of ddtsql's own queries.
type quietKey struct{}
