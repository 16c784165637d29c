package ddtsql_test

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"testing"

	"github.com/go-ddt/ddt/runtime/panel"
	sqlpanel "github.com/go-ddt/ddt/runtime/panels/sql"
	"github.com/go-ddt/ddt/runtime/toolbar"
	"github.com/go-ddt/ddt/runtime/toolbar/toolbartest"
)

// TestConcurrentRequests sends many requests at once, each running its
// statements with its own number — with a context, without one from a
// goroutine it started, and in a transaction — and checks that every
// request's SQL panel holds its own statements and no other's.
func TestConcurrentRequests(t *testing.T) {
	const requests, workers = 200, 8
	db := openBlog(t)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /n/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		ctx := r.Context()
		db.QueryRowContext(ctx, `SELECT ? + 0`, n).Scan(new(int))
		var wg sync.WaitGroup
		wg.Go(func() { db.QueryRow(`SELECT ? + 1`, n).Scan(new(int)) })
		wg.Wait()
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		tx.ExecContext(ctx, `UPDATE posts SET title = title WHERE id = ?`, n)
		tx.Commit()
		io.WriteString(w, "<html><body>ok</body></html>")
	})
	s := toolbartest.NewServer(t, mux, toolbar.Options{
		Panels: []func() panel.Panel{sqlpanel.New},
		Store:  toolbar.NewMemoryStore(requests),
	})
	ids := toolbartest.Concurrently(requests, workers, func(n int) string { return s.Fetch(fmt.Sprintf("/n/%d", n)) })

	for n, id := range ids {
		var p sqlpanel.Panel
		s.Stats(id, "sql", &p)
		if len(p.Queries) != 5 || p.Count != 3 {
			t.Errorf("request %d: %d events, %d statements", n, len(p.Queries), p.Count)
			continue
		}
		var tx uint64
		for _, q := range p.Queries {
			if q.Statement() && (len(q.Args) != 1 || q.Args[0].Value != strconv.Itoa(n)) {
				t.Errorf("request %d has %s with %+v", n, q.SQL, q.Args)
			}
			if q.Op == "begin" {
				tx = q.Tx
			}
		}
		if q := p.Queries[3]; q.Op != "exec" || q.Tx != tx || tx == 0 {
			t.Errorf("request %d: exec in tx %d, begin %d", n, q.Tx, tx)
		}
	}
}
