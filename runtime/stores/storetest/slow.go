package storetest

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/go-ddt/ddt/runtime/toolbar"
)

// Slow serves requests through the toolbar while stall makes the store's
// server hang (it returns the function that ends the stall): requests are
// served within OutageBound, the records that do not fit the queue are
// dropped and counted, the toolbar's reads give up within a bound, and
// the store writes again once the server answers. store's Queue must be
// small (64) with a short Timeout (300ms).
func Slow(t *testing.T, store StatusStore, stall func() (resume func())) {
	app := toolbar.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"ok":true}`)
	}), toolbar.Options{Enable: toolbar.On, Store: store, Instance: "slow"})
	ts := httptest.NewServer(app)
	defer ts.Close()
	do := func(path string) (*http.Response, time.Duration) {
		start := time.Now()
		resp, err := ts.Client().Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp, time.Since(start)
	}
	do("/before")
	flush(t, store)

	resume := stall()
	resumed := false
	defer func() {
		if !resumed {
			resume()
		}
	}()
	var lat []time.Duration
	for range 400 {
		resp, d := do("/during")
		if resp.StatusCode != 200 {
			t.Fatalf("a request while the server hangs: %s", resp.Status)
		}
		lat = append(lat, d)
	}
	resp, d := do("/__debug__/api/requests")
	if resp.StatusCode != http.StatusServiceUnavailable || d > 2*time.Second {
		t.Errorf("api/requests while the server hangs: %s after %v, want 503 within 2s", resp.Status, d)
	}
	st := store.Status()
	if st.Dropped == 0 {
		t.Errorf("status while the server hangs: %+v, want dropped records", st)
	}
	slices.Sort(lat)
	t.Logf("while the server hangs: %d requests, p50 %v, p99 %v, max %v; %d records dropped; api/requests %v",
		len(lat), lat[len(lat)/2], lat[len(lat)*99/100], lat[len(lat)-1], st.Dropped, d)
	if p99 := lat[len(lat)*99/100]; p99 > OutageBound {
		t.Errorf("p99 latency while the server hangs: %v, over %v", p99, OutageBound)
	}

	resume()
	resumed = true
	waitUntil(t, 30*time.Second, "the store recovers", func() bool { return store.Status().Available })
	t.Logf("recovered: %+v", store.Status())
	resp, _ = do("/after")
	id := resp.Header.Get(toolbar.RequestIDHeader)
	flush(t, store)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := store.Get(ctx, id); err != nil {
		t.Errorf("after the stall, the record of a new request: %v", err)
	}
}
