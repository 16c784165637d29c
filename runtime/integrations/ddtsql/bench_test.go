package ddtsql_test

import (
	"context"
	"database/sql"
	"github.com/go-ddt/ddt/runtime/event"
	"github.com/go-ddt/ddt/runtime/integrations/ddtsql"
	"testing"
)

// discard is a request's sink that keeps nothing, so a benchmark measures
// the cost of recording an event, not of storing millions of them.
type discard struct{}

func (discard) Record(*event.Event) {}

// BenchmarkQuery measures one SELECT with an argument on an in-memory
// SQLite database: without ddtsql, through ddtsql while no request is
// recorded, and through ddtsql recording the query for a request. The
// difference between the last and the first is the cost of an event.
func BenchmarkQuery(b *testing.B) {
	plain, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		b.Fatal(err)
	}
	defer plain.Close()
	wrapped, err := ddtsql.Open("sqlite", ":memory:")
	if err != nil {
		b.Fatal(err)
	}
	defer wrapped.Close()
	run := func(b *testing.B, ctx context.Context, db *sql.DB) {
		var n int
		for b.Loop() {
			if err := db.QueryRowContext(ctx, `SELECT ? + 1`, 41).Scan(&n); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("plain", func(b *testing.B) { run(b, context.Background(), plain) })
	b.Run("ddtsql/idle", func(b *testing.B) { run(b, context.Background(), wrapped) })
	b.Run("ddtsql/recording", func(b *testing.B) {
		ctx, unbind := event.Bind(context.Background(), "bench", discard{})
		defer unbind()
		run(b, ctx, wrapped)
	})
}

// BenchmarkExec is BenchmarkQuery for an UPDATE whose argument is redacted.
func BenchmarkExec(b *testing.B) {
	setup := func(db *sql.DB) {
		if _, err := db.Exec(`CREATE TABLE u (id INTEGER PRIMARY KEY, password TEXT); INSERT INTO u VALUES (1, 'x')`); err != nil {
			b.Fatal(err)
		}
	}
	plain, _ := sql.Open("sqlite", ":memory:")
	defer plain.Close()
	plain.SetMaxOpenConns(1)
	setup(plain)
	wrapped, _ := ddtsql.Open("sqlite", ":memory:")
	defer wrapped.Close()
	wrapped.SetMaxOpenConns(1)
	setup(wrapped)
	run := func(b *testing.B, ctx context.Context, db *sql.DB) {
		for b.Loop() {
			if _, err := db.ExecContext(ctx, `UPDATE u SET password = ? WHERE id = ?`, "pw", 1); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("plain", func(b *testing.B) { run(b, context.Background(), plain) })
	b.Run("ddtsql/idle", func(b *testing.B) { run(b, context.Background(), wrapped) })
	b.Run("ddtsql/recording", func(b *testing.B) {
		ctx, unbind := event.Bind(context.Background(), "bench", discard{})
		defer unbind()
		run(b, ctx, wrapped)
	})
}
