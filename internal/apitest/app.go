package apitest

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/go-ddt/ddt/runtime/event"
	"github.com/go-ddt/ddt/runtime/integrations/ddtslog"
	"github.com/go-ddt/ddt/runtime/integrations/ddtsql"
	"github.com/go-ddt/ddt/runtime/toolbar"
	"github.com/go-ddt/ddt/runtime/toolbar/access"
	_ "modernc.org/sqlite" // the "sqlite" driver
)

// App is the API, served on loopback until the test ends.
type App struct {
	URL     string // the server's root, without a trailing slash
	Toolbar string // the toolbar's root: URL + "/__debug__/"
	DB      *sql.DB
}

// User is a row of the users table, as the API answers it.
type User struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// Start serves the API with the toolbar in a new httptest server, on a new
// SQLite database in t's temporary directory.
func Start(t testing.TB) *App {
	t.Helper()
	db, err := ddtsql.Open("sqlite", filepath.Join(t.TempDir(), "app.db"), ddtsql.Name("app"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(`CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL);
		CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, total INTEGER NOT NULL);
		INSERT INTO users (name, email) VALUES ('Ada', 'ada@example.com'), ('Brian', 'brian@example.com'), ('Chen', 'chen@example.com');
		INSERT INTO orders (user_id, total) VALUES (1, 1200), (1, 300), (2, 4500), (3, 99);`); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(Handler(db))
	t.Cleanup(srv.Close)
	return &App{URL: srv.URL, Toolbar: srv.URL + "/__debug__/", DB: db}
}

// Handler returns the API behind the toolbar, on, for loopback clients.
func Handler(db *sql.DB) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/users", func(w http.ResponseWriter, r *http.Request) { listUsers(w, r, db) })
	mux.HandleFunc("GET /api/users/{id}", func(w http.ResponseWriter, r *http.Request) { getUser(w, r, db) })
	mux.HandleFunc("POST /api/users", func(w http.ResponseWriter, r *http.Request) { addUser(w, r, db) })
	mux.HandleFunc("GET /api/report", func(w http.ResponseWriter, r *http.Request) { report(w, r, db) })
	return toolbar.Middleware(mux, toolbar.Options{Enable: access.On, Instance: "api-1"})
}

// logger's records are shown in the Logs panel (and discarded).
var logger = slog.New(ddtslog.NewHandler(slog.NewTextHandler(io.Discard, nil), nil))

// flag records a feature flag evaluation, as a function marked //ddt:flag
// does.
func flag(ctx context.Context, name string, on bool) bool {
	event.Emit(ctx, &event.Event{Kind: "flag", Name: name,
		Args: []event.Field{event.NewField("name", name)}, Results: []event.Field{event.NewField("on", on)}})
	return on
}

// listUsers answers every user with their order count, one query per user
// (an N+1 pattern) and the first user's twice (a duplicate).
func listUsers(w http.ResponseWriter, r *http.Request, db *sql.DB) {
	ctx := r.Context()
	withOrders := flag(ctx, "user_orders", true)
	rows, err := db.QueryContext(ctx, `SELECT id, name, email FROM users ORDER BY id`)
	if err != nil {
		fail(w, err)
		return
	}
	var users []User
	for rows.Next() {
		var u User
		if err := rows.Scan(&u.ID, &u.Name, &u.Email); err != nil {
			rows.Close()
			fail(w, err)
			return
		}
		users = append(users, u)
	}
	rows.Close()
	type withCount struct {
		User
		Orders int `json:"orders"`
	}
	out := []withCount{}
	for i, u := range users {
		c := withCount{User: u}
		if withOrders {
			for range 1 + btoi(i == 0) {
				if err := db.QueryRowContext(ctx, `SELECT count(*) FROM orders WHERE user_id = ?`, u.ID).Scan(&c.Orders); err != nil {
					fail(w, err)
					return
				}
			}
		}
		out = append(out, c)
	}
	writeJSON(w, http.StatusOK, out)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func getUser(w http.ResponseWriter, r *http.Request, db *sql.DB) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "id: not a number"})
		return
	}
	var u User
	err = db.QueryRowContext(r.Context(), `SELECT id, name, email FROM users WHERE id = ?`, id).Scan(&u.ID, &u.Name, &u.Email)
	switch {
	case err == sql.ErrNoRows:
		logger.WarnContext(r.Context(), "no such user", "id", id)
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such user"})
	case err != nil:
		fail(w, err)
	default:
		writeJSON(w, http.StatusOK, u)
	}
}

func addUser(w http.ResponseWriter, r *http.Request, db *sql.DB) {
	var u User
	if err := json.NewDecoder(r.Body).Decode(&u); err != nil || u.Name == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "want a JSON user with a name"})
		return
	}
	ctx := r.Context()
	if flag(ctx, "strict_email", false) && u.Email == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "email required"})
		return
	}
	res, err := db.ExecContext(ctx, `INSERT INTO users (name, email) VALUES (?, ?)`, u.Name, u.Email)
	if err != nil {
		fail(w, err)
		return
	}
	u.ID, _ = res.LastInsertId()
	writeJSON(w, http.StatusCreated, u)
}

// report queries a table that does not exist: a failed query, and a 500.
func report(w http.ResponseWriter, r *http.Request, db *sql.DB) {
	var n int
	if err := db.QueryRowContext(r.Context(), `SELECT count(*) FROM invoices`).Scan(&n); err != nil {
		logger.ErrorContext(r.Context(), "report failed", "err", err)
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"invoices": n})
}

func fail(w http.ResponseWriter, err error) {
	writeJSON(w, http.StatusInternalServerError, map[string]string{"error": fmt.Sprint(err)})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// Do sends a request to the app and fails t unless it gets an answer; it
// returns the answer's status and the toolbar's id of the request.
func (a *App) Do(t testing.TB, method, path, body string) (status int, id string) {
	t.Helper()
	req, err := http.NewRequest(method, a.URL+path, nil)
	if body != "" {
		req, err = http.NewRequest(method, a.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
	}
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	resp.Body.Close()
	id = resp.Header.Get(toolbar.RequestIDHeader)
	if id == "" {
		t.Fatalf("%s %s: no %s header: not recorded", method, path, toolbar.RequestIDHeader)
	}
	return resp.StatusCode, id
}
