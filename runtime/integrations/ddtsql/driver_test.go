package ddtsql_test

import (
	"context"
	"database/sql"
	"github.com/go-ddt/ddt/runtime/event"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/go-ddt/ddt/runtime/integrations/ddtsql"
	"modernc.org/sqlite"
)

// results returns the named results of e as "name=value" strings.
func results(e *event.Event) map[string]string {
	m := map[string]string{}
	for _, f := range e.Results {
		m[f.Name] = f.Text()
	}
	return m
}

// TestWrappedDriver drives every way database/sql reaches a driver —
// direct queries, prepared statements, statements of a transaction, the
// context-free methods from a goroutine of the request — through a driver
// wrapped with WrapDriver and registered under a name of the test's own.
func TestWrappedDriver(t *testing.T) {
	sql.Register("ddtsql-test-sqlite", ddtsql.WrapDriver(&sqlite.Driver{}, ddtsql.Name("wrapped")))
	db, err := sql.Open("ddtsql-test-sqlite", filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT, secret_value TEXT)`); err != nil {
		t.Fatal(err)
	}

	rec := event.NewRecorder(0)
	ctx, unbind := event.Bind(context.Background(), "req-wrapped", rec)
	stmt, err := db.PrepareContext(ctx, `INSERT INTO kv (k, v, secret_value) VALUES (?, ?, ?)`)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"a", "b"} {
		if _, err := stmt.ExecContext(ctx, k, "v-"+k, "hidden-"+k); err != nil {
			t.Fatal(err)
		}
	}
	stmt.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	get, err := tx.PrepareContext(ctx, `SELECT v FROM kv WHERE k = $k`)
	if err != nil {
		t.Fatal(err)
	}
	var v string
	if err := get.QueryRowContext(ctx, sql.Named("k", "a")).Scan(&v); err != nil || v != "v-a" {
		t.Fatalf("named query: %q, %v", v, err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Go(func() { // no context: the goroutine's request token attributes it
		db.QueryRow(`SELECT count(*) FROM kv`).Scan(new(int))
	})
	wg.Wait()
	unbind()
	db.Exec(`DELETE FROM kv`) // after the request: not recorded

	evs := rec.Events()
	var got []string
	for _, e := range evs {
		r := results(e)
		got = append(got, r["op"]+" "+r["tx"]+" "+e.Name)
	}
	want := []string{
		"exec  INSERT INTO kv (k, v, secret_value) VALUES (?, ?, ?)",
		"exec  INSERT INTO kv (k, v, secret_value) VALUES (?, ?, ?)",
		"begin 1 begin",
		"query 1 SELECT v FROM kv WHERE k = $k",
		"commit 1 commit",
		"query  SELECT count(*) FROM kv",
	}
	// Transaction numbers are process-wide: compare the others' shapes.
	for i := range got {
		if i >= len(want) {
			break
		}
		g, w := strings.Fields(got[i]), strings.Fields(want[i])
		if len(g) != len(w) || g[0] != w[0] || g[len(g)-1] != w[len(w)-1] {
			t.Errorf("event %d: %q, want %q", i, got[i], want[i])
		}
	}
	if len(got) != len(want) {
		t.Fatalf("events:\n%s", strings.Join(got, "\n"))
	}
	if tx1, tx2 := results(evs[2])["tx"], results(evs[3])["tx"]; tx1 == "" || tx1 != tx2 || results(evs[4])["tx"] != tx1 {
		t.Errorf("transaction numbers %q %q %q", tx1, tx2, results(evs[4])["tx"])
	}
	if a := evs[0].Args; a[0].Value != `"a"` || a[1].Value != `"v-a"` || a[2].Value != "********" {
		t.Errorf("prepared insert args %+v", a)
	}
	if r := results(evs[0]); r["rows"] != "1" || r["db"] != "wrapped" {
		t.Errorf("prepared insert results %v", r)
	}
	if a := evs[3].Args; len(a) != 1 || a[0].Name != "k" || a[0].Value != `"a"` {
		t.Errorf("named args %+v", a)
	}
	if results(evs[0])["args"] == results(evs[1])["args"] {
		t.Error("different arguments have the same digest")
	}
	if results(evs[3])["explain"] == "" || results(evs[0])["explain"] != "" {
		t.Error("only the SELECT is explainable")
	}
	// Explaining through a wrapped driver uses a pool of ddtsql's own on
	// the same file.
	plan, err := ddtsql.Explain(context.Background(), results(evs[3])["explain"])
	if err != nil || !strings.Contains(strings.Join(plan.Rows[0], " "), "sqlite_autoindex_kv_1") {
		t.Errorf("explain: %+v %v", plan, err)
	}
}

// TestUnattributed checks that a query made while a request is recorded,
// but by a goroutine of no request without a request's context, is counted
// as unattributed and not given to the request.
func TestUnattributed(t *testing.T) {
	db, err := ddtsql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	work := make(chan chan struct{})
	go func() { // started before the request: it has no request's token
		for done := range work {
			db.QueryRow(`SELECT 'stray'`).Scan(new(string))
			close(done)
		}
	}()
	defer close(work)

	rec := event.NewRecorder(0)
	ctx, unbind := event.Bind(context.Background(), "req-busy", rec)
	before, _ := event.Unattributed()
	done := make(chan struct{})
	work <- done
	<-done
	db.QueryRowContext(ctx, `SELECT 'mine'`).Scan(new(string))
	after, recent := event.Unattributed()
	unbind()
	if after != before+1 || recent[len(recent)-1].Name != `SELECT 'stray'` {
		t.Errorf("unattributed %d -> %d, last %+v", before, after, recent[len(recent)-1])
	}
	if evs := rec.Events(); len(evs) != 1 || evs[0].Name != `SELECT 'mine'` {
		t.Errorf("request's events %+v", evs)
	}
}
