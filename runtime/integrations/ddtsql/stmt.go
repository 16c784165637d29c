package ddtsql

import (
	"context"
	"database/sql/driver"
	"time"
)

// wrappedStmt records the executions of a prepared statement.
type wrappedStmt struct {
	inner driver.Stmt
	conn  *wrappedConn
	query string
}

// wrappedStmtCC is a wrappedStmt for a driver statement that converts its
// own arguments (the deprecated driver.ColumnConverter): database/sql
// checks for the interface, so only such statements may have it.
type wrappedStmtCC struct{ *wrappedStmt }

func (s wrappedStmtCC) ColumnConverter(idx int) driver.ValueConverter {
	return s.inner.(driver.ColumnConverter).ColumnConverter(idx) //nolint:staticcheck // the driver's own
}

var (
	_ driver.StmtExecContext   = (*wrappedStmt)(nil)
	_ driver.StmtQueryContext  = (*wrappedStmt)(nil)
	_ driver.NamedValueChecker = (*wrappedStmt)(nil)
	_ driver.ColumnConverter   = wrappedStmtCC{} //nolint:staticcheck
)

func wrapStmt(s driver.Stmt, c *wrappedConn, query string) driver.Stmt {
	ws := &wrappedStmt{inner: s, conn: c, query: query}
	if _, ok := s.(driver.ColumnConverter); ok { //nolint:staticcheck
		return wrappedStmtCC{ws}
	}
	return ws
}

func (s *wrappedStmt) Close() error  { return s.inner.Close() }
func (s *wrappedStmt) NumInput() int { return s.inner.NumInput() }

func (s *wrappedStmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.ExecContext(context.Background(), named(args))
}

func (s *wrappedStmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.QueryContext(context.Background(), named(args))
}

func (s *wrappedStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	exec := func() (driver.Result, error) {
		if e, ok := s.inner.(driver.StmtExecContext); ok {
			return e.ExecContext(ctx, args)
		}
		vs, err := values(args)
		if err != nil {
			return nil, err
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return s.inner.Exec(vs) //nolint:staticcheck // the driver has nothing else
	}
	if !recording(ctx) {
		return exec()
	}
	start := time.Now()
	res, err := exec()
	s.conn.recordExec(ctx, s.query, args, start, res, err)
	return res, err
}

func (s *wrappedStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	query := func() (driver.Rows, error) {
		if q, ok := s.inner.(driver.StmtQueryContext); ok {
			return q.QueryContext(ctx, args)
		}
		vs, err := values(args)
		if err != nil {
			return nil, err
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return s.inner.Query(vs) //nolint:staticcheck // the driver has nothing else
	}
	if !recording(ctx) {
		return query()
	}
	start := time.Now()
	rows, err := query()
	s.conn.recordQuery(ctx, s.query, args, start, err)
	return rows, err
}

// CheckNamedValue defers to the statement's checker, then the
// connection's, as database/sql would without ddtsql.
func (s *wrappedStmt) CheckNamedValue(nv *driver.NamedValue) error {
	if ch, ok := s.inner.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return s.conn.CheckNamedValue(nv)
}

func named(args []driver.Value) []driver.NamedValue {
	nvs := make([]driver.NamedValue, len(args))
	for i, v := range args {
		nvs[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	return nvs
}
