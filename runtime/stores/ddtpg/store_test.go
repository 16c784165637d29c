package ddtpg_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/go-ddt/ddt/internal/servicetest"
	"github.com/go-ddt/ddt/runtime/stores/ddtpg"
	"github.com/go-ddt/ddt/runtime/stores/storequeue"
	"github.com/go-ddt/ddt/runtime/stores/storetest"
)

// testTable returns a table of the test's own, dropped when it ends.
func testTable(t *testing.T, url string) string {
	var b [4]byte
	rand.Read(b[:])
	table := "ddt_test_" + hex.EncodeToString(b[:])
	t.Cleanup(func() {
		conn, err := pgx.Connect(context.Background(), url)
		if err != nil {
			return
		}
		defer conn.Close(context.Background())
		conn.Exec(context.Background(), "DROP TABLE IF EXISTS "+table)
		conn.Exec(context.Background(), "DELETE FROM ddt_schema WHERE name = $1", table)
	})
	return table
}

func TestStore(t *testing.T) {
	url := servicetest.Postgres(t)
	storetest.Run(t, func(t *testing.T, b storetest.Bounds) storetest.Store {
		table := tableOf(t, url)
		s, err := ddtpg.Open(url, ddtpg.Options{Table: table, MaxRequests: b.MaxRequests, MaxAge: b.MaxAge})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

// tableOf returns the same table for every store of one test.
func tableOf(t *testing.T, url string) string {
	if v, ok := tables[t.Name()]; ok {
		return v
	}
	tables[t.Name()] = testTable(t, url)
	return tables[t.Name()]
}

var tables = map[string]string{}

// A table of another schema version is reported, not changed.
func TestSchemaVersion(t *testing.T) {
	url := servicetest.Postgres(t)
	table := testTable(t, url)
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	conn.Exec(t.Context(), `CREATE TABLE IF NOT EXISTS ddt_schema (name text PRIMARY KEY, version integer NOT NULL)`)
	if _, err := conn.Exec(t.Context(), `INSERT INTO ddt_schema VALUES ($1, 99)`, table); err != nil {
		t.Fatal(err)
	}
	s, err := ddtpg.Open(url, ddtpg.Options{Table: table})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = s.Get(t.Context(), storetest.ID(1))
	if !errors.Is(err, ddtpg.ErrSchemaVersion) || !strings.Contains(err.Error(), "version 99") {
		t.Errorf("Get on a table of version 99: %v, want ErrSchemaVersion", err)
	}
}

func TestBadOptions(t *testing.T) {
	if _, err := ddtpg.Open("postgres://127.0.0.1:1/x", ddtpg.Options{Table: "Robert'); DROP TABLE x;--"}); err == nil || !strings.Contains(err.Error(), "Options.Table") {
		t.Errorf("bad table name: %v", err)
	}
	if _, err := ddtpg.Open("postgres://%zz", ddtpg.Options{}); err == nil || !strings.Contains(err.Error(), "ddtpg: connection string") {
		t.Errorf("bad connection string: %v", err)
	}
}

// TestOutage stops a PostgreSQL server of the test's own mid-load.
func TestOutage(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster of its own")
	}
	servicetest.Postgres(t) // skipped with the other tests
	srv := servicetest.PrivatePostgres(t)
	storetest.Outage(t, srv, func(url string) storetest.StatusStore {
		s, err := ddtpg.Open(url, ddtpg.Options{Queue: storequeue.Config{Timeout: 500 * time.Millisecond, MaxRetry: 500 * time.Millisecond}})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// TestSlow makes the store's table hang: another session holds an
// exclusive lock on it.
func TestSlow(t *testing.T) {
	url := servicetest.Postgres(t)
	table := testTable(t, url)
	s, err := ddtpg.Open(url, ddtpg.Options{Table: table, Queue: storequeue.Config{QueueSize: 64, Timeout: 300 * time.Millisecond, MaxRetry: 300 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	storetest.Slow(t, s, func() func() {
		conn, err := pgx.Connect(t.Context(), url)
		if err != nil {
			t.Fatal(err)
		}
		tx, err := conn.Begin(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(t.Context(), "LOCK TABLE "+table+" IN ACCESS EXCLUSIVE MODE"); err != nil {
			t.Fatal(err)
		}
		return func() {
			tx.Rollback(context.Background())
			conn.Close(context.Background())
		}
	})
}
