package clustertest

import (
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/go-ddt/ddt/runtime/integrations/ddtsql"
	"github.com/go-ddt/ddt/runtime/stores/ddtpg"
	"github.com/go-ddt/ddt/runtime/stores/ddtredis"
	"github.com/go-ddt/ddt/runtime/toolbar"

	_ "modernc.org/sqlite"
)

// The test binary is also the application: run with InstanceEnv set, it
// serves one instance instead of running the tests.
const (
	InstanceEnv = "DDT_CLUSTER_INSTANCE" // the instance's name
	AddrEnv     = "DDT_CLUSTER_ADDR"     // where it listens
	StoreEnv    = "DDT_CLUSTER_STORE"    // "postgres URL" or "redis URL"
	DBEnv       = "DDT_CLUSTER_DB"       // the SQLite file
	KeyEnv      = "DDT_CLUSTER_KEY"      // the signing key, in hex
)

func TestMain(m *testing.M) {
	if os.Getenv(InstanceEnv) != "" {
		if err := serveInstance(); err != nil {
			fmt.Fprintln(os.Stderr, "instance:", err)
			os.Exit(1)
		}
		return
	}
	os.Exit(m.Run())
}

// page fetches /api/items three times, one after the other: behind the
// round-robin proxy, other instances serve them.
const page = `<!doctype html><html lang=en><head><meta charset=utf-8><title>Cluster</title></head>
<body><h1>Items</h1><ul id=items></ul><script>
(async () => {
  for (let n = 1; n <= 3; n++) {
    const r = await fetch("/api/items?n=" + n);
    const items = await r.json();
    const li = document.createElement("li");
    li.textContent = n + ": " + items.length + " items from " + r.headers.get("X-Instance");
    document.getElementById("items").appendChild(li);
  }
  document.body.dataset.done = "1";
})();
</script></body></html>`

func serveInstance() error {
	name := os.Getenv(InstanceEnv)
	db, err := ddtsql.Open("sqlite", os.Getenv(DBEnv), ddtsql.Name("app"))
	if err != nil {
		return err
	}
	key, err := hex.DecodeString(os.Getenv(KeyEnv))
	if err != nil {
		return fmt.Errorf("%s: %w", KeyEnv, err)
	}
	var store toolbar.Store
	kind, url, _ := strings.Cut(os.Getenv(StoreEnv), " ")
	switch kind {
	case "postgres":
		store, err = ddtpg.Open(url, ddtpg.Options{Table: os.Getenv("DDT_CLUSTER_TABLE")})
	case "redis":
		store, err = ddtredis.Open(url, ddtredis.Options{Prefix: os.Getenv("DDT_CLUSTER_TABLE") + ":"})
	default:
		err = fmt.Errorf("%s: %q: want postgres or redis", StoreEnv, kind)
	}
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("X-Instance", name)
		fmt.Fprint(w, page)
	})
	mux.HandleFunc("GET /api/items", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		rows, err := db.QueryContext(r.Context(), "SELECT id, name FROM items WHERE id > ? ORDER BY name", n)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		defer rows.Close()
		var items []string
		for rows.Next() {
			var id int
			var s string
			rows.Scan(&id, &s)
			items = append(items, s)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Instance", name)
		json.NewEncoder(w).Encode(items)
	})
	h := toolbar.Middleware(mux, toolbar.Options{Enable: toolbar.On, Store: store, Instance: name,
		SigningKey: key, TrustForwarded: true})
	return http.ListenAndServe(os.Getenv(AddrEnv), h)
}

// createDB makes the SQLite database the instances share.
func createDB(path string) error {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.Exec(`CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
		CREATE INDEX items_name ON items (name);
		INSERT INTO items (name) VALUES ('apple'), ('banana'), ('cherry'), ('damson'), ('elder')`)
	return err
}
