package ddtsql_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-ddt/ddt/runtime/event"
	"github.com/go-ddt/ddt/runtime/ext"
	"github.com/go-ddt/ddt/runtime/integrations/ddtsql"
)

// explainRef runs query on db while a request is recorded and returns its
// EXPLAIN reference.
func explainRef(t *testing.T, query string, args ...any) string {
	t.Helper()
	db := sealedDB(t)
	rec := event.NewRecorder(0)
	ctx, unbind := event.Bind(context.Background(), "req-sealed", rec)
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		t.Fatal(err)
	}
	rows.Close()
	unbind()
	evs := rec.Events()
	if len(evs) != 1 {
		t.Fatalf("%d events", len(evs))
	}
	return results(evs[0])["explain"]
}

var sealedDBs = map[string]*sql.DB{}

// sealedDB opens the database the sealed references name, "shared", once
// per test.
func sealedDB(t *testing.T) *sql.DB {
	if db, ok := sealedDBs[t.Name()]; ok {
		return db
	}
	db, err := ddtsql.Open("sqlite", filepath.Join(t.TempDir(), "s.db"), ddtsql.Name("shared"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close(); delete(sealedDBs, t.Name()) })
	if _, err := db.Exec(`CREATE TABLE kv (k TEXT PRIMARY KEY, v BLOB, n INTEGER, f REAL, b BOOLEAN, at DATETIME)`); err != nil {
		t.Fatal(err)
	}
	sealedDBs[t.Name()] = db
	return db
}

// TestSealedReference: with a key shared through the toolbar's options,
// a reference carries its query and arguments, sealed, so that another
// instance with the key explains it; one with another key or none says
// the instances disagree.
func TestSealedReference(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	ext.SetIdentity("web-a", key)
	t.Cleanup(func() { ext.SetIdentity("", nil) })
	ref := explainRef(t, `SELECT v FROM kv WHERE k = ? AND v = ? AND n = ? AND f = ? AND b = ? AND at < ? AND k IS NOT ?`,
		"a", []byte{1, 2}, int64(7), 2.5, true, time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC), nil)
	if !strings.HasPrefix(ref, "s~"+ext.KeyID(key)+"~") {
		t.Fatalf("reference %q is not sealed under the shared key", ref)
	}
	// Words of six letters or more: a short one such as "kv" turns up in
	// ~500 characters of base64 ciphertext one run in ten.
	for _, word := range []string{"SELECT", "WHERE", "IS NOT"} {
		if strings.Contains(ref, word) {
			t.Errorf("the reference shows the query (%q): %q", word, ref)
		}
	}

	// Another instance, same key: it explains on its own "shared" database.
	ext.SetIdentity("web-b", key)
	plan, err := ddtsql.Explain(context.Background(), ref)
	if err != nil || plan.Database != "shared" || len(plan.Rows) == 0 || !strings.Contains(plan.SQL, "FROM kv") {
		t.Fatalf("Explain on another instance: %+v, %v", plan, err)
	}

	// Another key: the error says so, with both key ids.
	other := []byte("another key of 32 bytes, really!")
	ext.SetIdentity("web-c", other)
	_, err = ddtsql.Explain(context.Background(), ref)
	if !errors.Is(err, ddtsql.ErrOtherKey) || !strings.Contains(err.Error(), ext.KeyID(key)) || !strings.Contains(err.Error(), ext.KeyID(other)) {
		t.Errorf("Explain under another key: %v, want ErrOtherKey naming both key ids", err)
	}
	ext.SetIdentity("web-d", nil)
	if _, err = ddtsql.Explain(context.Background(), ref); !errors.Is(err, ddtsql.ErrOtherKey) {
		t.Errorf("Explain with no shared key: %v, want ErrOtherKey", err)
	}

	// Tampered: refused.
	ext.SetIdentity("web-a", key)
	tampered := ref[:len(ref)-2] + map[bool]string{true: "AA", false: "BB"}[!strings.HasSuffix(ref, "AA")]
	if _, err = ddtsql.Explain(context.Background(), tampered); !errors.Is(err, ddtsql.ErrBadReference) {
		t.Errorf("Explain of a tampered reference: %v, want ErrBadReference", err)
	}
}

// TestLocalReferenceNamesItsInstance: a query whose arguments are too
// large to travel is explained only by its instance; another says which.
func TestLocalReferenceNamesItsInstance(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	ext.SetIdentity("web-a", key)
	t.Cleanup(func() { ext.SetIdentity("", nil) })
	ref := explainRef(t, `SELECT v FROM kv WHERE v = ?`, strings.Repeat("x", ddtsql.MaxSealedBytes))
	if strings.HasPrefix(ref, "s~") {
		t.Fatalf("a reference of %d bytes of arguments is sealed: %.40q…", ddtsql.MaxSealedBytes, ref)
	}
	if _, err := ddtsql.Explain(context.Background(), ref); err != nil {
		t.Errorf("Explain on its own instance: %v", err)
	}
	ext.SetIdentity("web-b", key)
	_, err := ddtsql.Explain(context.Background(), ref)
	if !errors.Is(err, ddtsql.ErrOtherInstance) || !strings.Contains(err.Error(), `"web-a"`) {
		t.Errorf("Explain on another instance: %v, want ErrOtherInstance naming web-a", err)
	}
}
