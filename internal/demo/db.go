package demo

import (
	"context"
	"database/sql"
	"fmt"
	"sync/atomic"

	"github.com/go-ddt/ddt/runtime/integrations/ddtsql"
	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver
)

// schema creates the demo's tables and seeds them. It runs on every start
// against a fresh in-memory database.
const schema = `
CREATE TABLE users (
	name  TEXT PRIMARY KEY,
	role  TEXT NOT NULL,          -- student, teacher or admin
	beta  INTEGER NOT NULL        -- opted in to beta features
);
CREATE TABLE flags (
	name        TEXT PRIMARY KEY,
	enabled     INTEGER NOT NULL, -- the switch for everyone
	roles       TEXT NOT NULL,    -- comma-separated roles it is on for, or '*'
	beta_only   INTEGER NOT NULL  -- on only for users in the beta
);
CREATE TABLE students (
	id      INTEGER PRIMARY KEY,
	name    TEXT NOT NULL,
	class   TEXT NOT NULL,
	grade   REAL NOT NULL,
	absent  INTEGER NOT NULL
);
INSERT INTO users VALUES
	('alice', 'admin',   1),
	('bob',   'teacher', 0),
	('carol', 'student', 1);
INSERT INTO flags VALUES
	('redesigned-dashboard',  1, '*',             1),
	('attendance-widget',     1, 'admin,teacher', 0),
	('grade-insights',        1, 'admin',         0),
	('weekly-digest',         1, 'admin',         0),
	('dark-launch-reports',   0, '*',             0);
INSERT INTO students (name, class, grade, absent) VALUES
	('Ada',      '7A', 91.5, 1),
	('Grace',    '7A', 88.0, 0),
	('Linus',    '7B', 72.5, 4),
	('Margaret', '7B', 95.0, 0),
	('Ken',      '7A', 64.0, 7),
	('Barbara',  '7B', 81.0, 2);
`

var dbSeq atomic.Int64

// OpenDB creates and seeds a database of the demo's in memory. Each call
// gets a database of its own, shared by that *sql.DB's connections.
func OpenDB(ctx context.Context) (*sql.DB, error) {
	dsn := fmt.Sprintf("file:ddt-demo-%d?mode=memory&cache=shared", dbSeq.Add(1))
	// ddtsql.Open is sql.Open with every statement recorded for the
	// toolbar's SQL panel.
	db, err := ddtsql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(4)
	if _, err := db.ExecContext(ctx, schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("seeding the demo database: %w", err)
	}
	return db, nil
}
