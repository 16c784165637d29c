package ddtsql_test

import (
	"context"
	"database/sql"
	"fmt"
	"github.com/go-ddt/ddt/runtime/redact"
	"html"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/go-ddt/ddt/runtime/integrations/ddtsql"
	"github.com/go-ddt/ddt/runtime/panel"
	sqlpanel "github.com/go-ddt/ddt/runtime/panels/sql"
	"github.com/go-ddt/ddt/runtime/toolbar"
	"github.com/go-ddt/ddt/runtime/toolbar/toolbartest"

	_ "modernc.org/sqlite"
)

// openBlog opens a new SQLite database in a temporary file, through
// ddtsql, with a few users and posts.
func openBlog(t testing.TB) *sql.DB {
	t.Helper()
	db, err := ddtsql.Open("sqlite", filepath.Join(t.TempDir(), "blog.db"), ddtsql.Name("blog"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, stmt := range []string{
		`CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, password TEXT)`,
		`CREATE TABLE posts (id INTEGER PRIMARY KEY, author_id INTEGER, title TEXT)`,
		`INSERT INTO users (id, name, password) VALUES (1, 'ann', 'pw-ann'), (2, 'bob', 'pw-bob'), (3, 'cy', 'pw-cy')`,
		`INSERT INTO posts (author_id, title) VALUES (1, 'a'), (2, 'b'), (3, 'c'), (1, 'd')`,
	} {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	return db
}

// listPosts loads posts and then each post's author, one query per post:
// the N+1 pattern the panel names.
func listPosts(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT author_id, title FROM posts ORDER BY id`)
	if err != nil {
		return nil, err
	}
	type post struct {
		author int
		title  string
	}
	var posts []post
	for rows.Next() {
		var p post
		if err := rows.Scan(&p.author, &p.title); err != nil {
			return nil, err
		}
		posts = append(posts, p)
	}
	rows.Close()
	var out []string
	for _, p := range posts {
		out = append(out, authorName(ctx, db, p.author)+": "+p.title)
	}
	return out, nil
}

func authorName(ctx context.Context, db *sql.DB, id int) string {
	var name string
	db.QueryRowContext(ctx, `SELECT name FROM users WHERE id = ?`, id).Scan(&name)
	return name
}

func blogApp(db *sql.DB) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /posts", func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		lines, err := listPosts(ctx, db)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		// A transaction that stores a secret, by position and by name.
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		tx.ExecContext(ctx, `UPDATE users SET password = ? WHERE id = ?`, "s3cret-by-position", 1)
		tx.ExecContext(ctx, `UPDATE users SET name = :name WHERE id = :id AND 1 = :api_key`,
			sql.Named("name", "ann"), sql.Named("id", 1), sql.Named("api_key", "s3cret-by-name"))
		tx.Rollback()
		// A duplicate, without a context: the goroutine tells the request.
		var n int
		db.QueryRow(`SELECT count(*) FROM posts WHERE title <> '<script>alert(1)</script>'`).Scan(&n)
		db.QueryRow(`SELECT count(*) FROM posts WHERE title <> '<script>alert(1)</script>'`).Scan(&n)
		// An error.
		db.ExecContext(ctx, `DELETE FROM no_such_table`)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<html><body><p>%d posts</p><ul><li>%s</li></ul></body></html>", n, strings.Join(lines, "<li>"))
	})
	return mux
}

func TestPanelThroughServer(t *testing.T) {
	db := openBlog(t)
	s := toolbartest.NewServer(t, blogApp(db), toolbar.Options{Panels: []func() panel.Panel{sqlpanel.New}})
	resp, body := s.Get("/posts")
	if resp.StatusCode != 200 {
		t.Fatalf("GET /posts: %s: %s", resp.Status, body)
	}
	id := s.RequestID(resp)

	nav := s.Nav(id, "sql")
	if !regexp.MustCompile(`^10 queries in \d+\.\d+ ms, 2 duplicates$`).MatchString(nav.NavSubtitle) {
		t.Errorf("nav subtitle %q", nav.NavSubtitle)
	}
	if st := resp.Header.Get("Server-Timing"); !regexp.MustCompile(`sql;dur=[0-9.]+;desc="10 queries"`).MatchString(st) {
		t.Errorf("Server-Timing = %q", st)
	}

	var p sqlpanel.Panel
	s.Stats(id, "sql", &p)
	var ops []string
	for _, q := range p.Queries {
		ops = append(ops, q.Op)
	}
	if got := strings.Join(ops, " "); got != "query query query query query begin exec exec rollback query query exec" {
		t.Errorf("ops: %s", got)
	}
	if p.Count != 10 || p.Duplicates != 2 || p.Similar != 2 || p.Errors != 1 {
		t.Errorf("count %d, duplicates %d, similar %d, errors %d", p.Count, p.Duplicates, p.Similar, p.Errors)
	}
	author := p.Queries[1]
	if author.SQL != `SELECT name FROM users WHERE id = ?` || author.Args[0].Value != "1" || author.Alike != 4 || author.Same != 2 {
		t.Errorf("author query %+v", author)
	}
	if !strings.HasPrefix(author.CallSite, "ddtsql_test.authorName ddtsql/ddtsql_test.go:") {
		t.Errorf("call site %q, want authorName", author.CallSite)
	}
	if len(p.Hints) != 1 || p.Hints[0].Count != 4 || !strings.Contains(p.Hints[0].Site, "authorName") || !strings.Contains(p.Hints[0].Caller, "listPosts") {
		t.Errorf("N+1 hints %+v", p.Hints)
	}
	begin, upd, named, rollback := p.Queries[5], p.Queries[6], p.Queries[7], p.Queries[8]
	if begin.Tx == 0 || upd.Tx != begin.Tx || named.Tx != begin.Tx || rollback.Tx != begin.Tx || p.Queries[9].Tx != 0 {
		t.Errorf("transactions: begin %d, exec %d, %d, rollback %d, after %d", begin.Tx, upd.Tx, named.Tx, rollback.Tx, p.Queries[9].Tx)
	}
	if !upd.HasRows || upd.Rows != 1 {
		t.Errorf("rows affected %v %d", upd.HasRows, upd.Rows)
	}
	if upd.Args[0].Value != redact.Redacted || upd.Args[1].Value != "1" {
		t.Errorf("positional args %+v", upd.Args)
	}
	if named.Args[0].Value != `"ann"` || named.Args[2].Name != "api_key" || named.Args[2].Value != redact.Redacted {
		t.Errorf("named args %+v", named.Args)
	}
	if last := p.Queries[11]; !strings.Contains(last.Err, "no such table") || last.Explain != "" {
		t.Errorf("failed exec %+v", last)
	}
	if p.Queries[9].Same != 2 || p.Queries[9].Explain == "" {
		t.Errorf("duplicate without context %+v", p.Queries[9])
	}

	page := s.Panel(id, "sql")
	for _, want := range []string{
		`Possible N+1: <code>SELECT name FROM users WHERE id = ?</code> ran 4 times`,
		`<code>SELECT count(*) FROM posts WHERE title &lt;&gt; &#39;&lt;script&gt;alert(1)&lt;/script&gt;&#39;</code>`,
		`duplicated 2 times`,
		`<code>1=********</code>, <code>2=1</code>`,
		`class="ddt-sql-explain" href="/__debug__/ext/sql/explain?ref=`,
		`<span class="ddt-error">SQL logic error: no such table: no_such_table (1)</span>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("panel lacks\n%s", want)
			t.Logf("%q", want)
		}
	}
	if strings.Contains(page, "s3cret") || strings.Contains(page, "<script>") {
		t.Error("panel shows a secret or unescaped markup")
	}
	if t.Failed() {
		t.Logf("panel:\n%s", page)
	}

	// EXPLAIN through the handler the app mounted, from the panel's link.
	link := regexp.MustCompile(`href="(/__debug__/ext/sql/explain\?ref=[^"]+)"`).FindStringSubmatch(page)
	resp, plan := s.Get(html.UnescapeString(link[1]))
	if resp.StatusCode != 200 || !strings.Contains(string(plan), "EXPLAIN QUERY PLAN on <code>blog</code>") || !strings.Contains(string(plan), "SCAN posts") {
		t.Errorf("explain: %s\n%s", resp.Status, plan)
	}
	ref, _ := url.ParseQuery(strings.SplitN(html.UnescapeString(link[1]), "?", 2)[1])
	forged := ref.Get("ref")[:len(ref.Get("ref"))-2] + "AA"
	for _, bad := range []string{forged, "1.", "", "SELECT 1", strings.Replace(ref.Get("ref"), ".", "0.", 1)} {
		resp, body := s.Get("/__debug__/ext/sql/explain" + "?ref=" + url.QueryEscape(bad))
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "not a valid explain reference") {
			t.Errorf("explain ref %q: %s %s", bad, resp.Status, body)
		}
	}
}

// TestExplainOnInMemoryDatabase explains queries of two requests on an
// in-memory database, which exists only in the pool's one connection: the
// explain must use the application's pool, and end its transaction, or the
// next statement could not get the connection.
func TestExplainOnInMemoryDatabase(t *testing.T) {
	db, err := ddtsql.Open("sqlite", "file:explain?mode=memory&cache=private")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // one connection: the in-memory database lives in it
	if _, err := db.Exec(`CREATE TABLE t (a INTEGER, b TEXT); CREATE INDEX t_a ON t(a)`); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	var refs []string
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		db.QueryRowContext(r.Context(), `SELECT b FROM t WHERE a = ?`, 7).Scan(new(string))
		io.WriteString(w, "<html><body>ok</body></html>")
	})
	s := toolbartest.NewServer(t, mux, toolbar.Options{Panels: []func() panel.Panel{sqlpanel.New}})
	for range 2 {
		resp, _ := s.Get("/")
		var p sqlpanel.Panel
		s.Stats(s.RequestID(resp), "sql", &p)
		refs = append(refs, p.Queries[0].Explain)
	}
	for _, ref := range refs {
		plan, err := ddtsql.Explain(context.Background(), ref)
		if err != nil {
			t.Fatal(err)
		}
		if len(plan.Rows) == 0 || !strings.Contains(strings.Join(plan.Rows[0], " "), "USING INDEX t_a") {
			t.Errorf("plan %+v", plan)
		}
	}
	// The pool's only connection is free again: the transaction ended.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := db.ExecContext(ctx, `INSERT INTO t VALUES (1, 'x')`); err != nil {
		t.Errorf("after explain: %v", err)
	}
}
