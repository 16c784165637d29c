package ddtsql_test

import (
	"context"
	"github.com/go-ddt/ddt/runtime/redact"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/go-ddt/ddt/runtime/integrations/ddtsql"
	"github.com/go-ddt/ddt/runtime/panel"
	sqlpanel "github.com/go-ddt/ddt/runtime/panels/sql"
	"github.com/go-ddt/ddt/runtime/toolbar"
	"github.com/go-ddt/ddt/runtime/toolbar/toolbartest"
)

// PostgresEnv names a PostgreSQL server to test against, on loopback:
// postgres://user:password@127.0.0.1:5432/db. The test uses a schema of its
// own and drops it.
const PostgresEnv = "DDT_POSTGRES_DSN"

// TestPostgres runs the SQL panel's flow against a real PostgreSQL server:
// $N arguments and their redaction, a transaction, rows affected, an
// error, and EXPLAIN (PostgreSQL's own) through the handler.
func TestPostgres(t *testing.T) {
	dsn := os.Getenv(PostgresEnv)
	if dsn == "" {
		t.Skipf("no PostgreSQL server: set %s=postgres://user:password@127.0.0.1:5432/db to test against one", PostgresEnv)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		t.Fatalf("%s names %s: tests only talk to loopback servers", PostgresEnv, u.Hostname())
	}
	if c, err := net.DialTimeout("tcp", u.Host, 2*time.Second); err != nil {
		t.Skipf("no PostgreSQL server reachable at %s: %v", u.Host, err)
	} else {
		c.Close()
	}
	db, err := ddtsql.Open("ddtsql-test-postgres", dsn, ddtsql.Dialect("postgres"), ddtsql.Name("pg"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(2)
	ctx := context.Background()
	for _, stmt := range []string{
		`DROP SCHEMA IF EXISTS ddtsql_test CASCADE`,
		`CREATE SCHEMA ddtsql_test`,
		`CREATE TABLE ddtsql_test.users (id serial PRIMARY KEY, name text, api_token text)`,
		`INSERT INTO ddtsql_test.users (name, api_token) VALUES ('ann', 't1'), ('bob', 't2')`,
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	defer db.ExecContext(ctx, `DROP SCHEMA ddtsql_test CASCADE`)

	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		var name string
		db.QueryRowContext(ctx, `SELECT name FROM ddtsql_test.users WHERE id = $1 AND api_token <> $2`, 1, "secret-token").Scan(&name)
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		tx.ExecContext(ctx, `UPDATE ddtsql_test.users SET api_token = $1`, "new-secret")
		tx.Rollback()
		db.ExecContext(ctx, `SELECT * FROM ddtsql_test.nothing`)
		io.WriteString(w, "<html><body>"+name+"</body></html>")
	})
	s := toolbartest.NewServer(t, mux, toolbar.Options{Panels: []func() panel.Panel{sqlpanel.New}})
	resp, body := s.Get("/")
	if !strings.Contains(string(body), "ann") {
		t.Fatalf("page: %s", body)
	}
	var p sqlpanel.Panel
	s.Stats(s.RequestID(resp), "sql", &p)
	if len(p.Queries) != 5 {
		t.Fatalf("%d events: %+v", len(p.Queries), p.Queries)
	}
	sel, upd, bad := p.Queries[0], p.Queries[2], p.Queries[4]
	if sel.Args[0].Value != "1" || sel.Args[1].Value != redact.Redacted || sel.DB != "pg" || sel.Explain == "" {
		t.Errorf("select %+v", sel)
	}
	if upd.Args[0].Value != redact.Redacted || !upd.HasRows || upd.Rows != 2 || upd.Tx == 0 || p.Queries[3].Op != "rollback" {
		t.Errorf("update %+v, then %s", upd, p.Queries[3].Op)
	}
	if !strings.Contains(bad.Err, "does not exist") {
		t.Errorf("error %q", bad.Err)
	}
	resp, plan := s.Get("/__debug__/ext/sql/explain" + "?ref=" + url.QueryEscape(sel.Explain))
	if resp.StatusCode != 200 || !strings.Contains(string(plan), "QUERY PLAN") || !strings.Contains(string(plan), "Index Scan") && !strings.Contains(string(plan), "Seq Scan") {
		t.Errorf("explain: %s\n%s", resp.Status, plan)
	}
	// The rolled-back update left the tokens alone.
	var token string
	db.QueryRowContext(ctx, `SELECT api_token FROM ddtsql_test.users WHERE id = 1`).Scan(&token)
	if token != "t1" {
		t.Errorf("token %q after a rollback", token)
	}
}
