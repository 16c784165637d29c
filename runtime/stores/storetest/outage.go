package storetest

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-ddt/ddt/internal/servicetest"
	"github.com/go-ddt/ddt/runtime/toolbar"
)

// OutageBound is the most a recorded request may take while the store's
// server is down: the handler does nothing, so this is the toolbar's cost
// on a loaded machine, not the server's timeout.
const OutageBound = 250 * time.Millisecond

// StatusStore is a shared store that reports its health.
type StatusStore interface {
	Store
	toolbar.StatusReporter
}

// Outage serves requests through the toolbar with a store on srv while it
// stops srv mid-load and starts it again: every request is served within
// OutageBound, the records are dropped and counted, the toolbar answers
// "store unavailable", and the store writes again by itself.
func Outage(t *testing.T, srv *servicetest.Server, open func(url string) StatusStore) {
	store := open(srv.URL)
	t.Cleanup(func() { store.Close() })
	app := toolbar.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"ok":true}`)
	}), toolbar.Options{Store: store, Enable: toolbar.On, Instance: "outage"})
	ts := httptest.NewServer(app)
	t.Cleanup(ts.Close)

	var (
		mu        sync.Mutex
		latencies []time.Duration
		failures  []string
	)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				start := time.Now()
				resp, err := ts.Client().Get(ts.URL + "/api")
				d := time.Since(start)
				mu.Lock()
				switch {
				case err != nil:
					failures = append(failures, err.Error())
				case resp.StatusCode != 200:
					failures = append(failures, resp.Status)
				default:
					latencies = append(latencies, d)
				}
				mu.Unlock()
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				time.Sleep(2 * time.Millisecond)
			}
		})
	}
	waitUntil(t, 10*time.Second, "records written before the outage", func() bool {
		list, err := store.List(context.Background(), toolbar.ListFilter{})
		return err == nil && len(list) > 10
	})
	mu.Lock()
	latencies = latencies[:0]
	mu.Unlock()

	srv.Stop(t)
	waitUntil(t, 15*time.Second, "the store says it is unavailable", func() bool { return !store.Status().Available })
	time.Sleep(time.Second) // load on a store that is down
	resp, err := ts.Client().Get(ts.URL + "/__debug__/api/requests")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "store unavailable") {
		t.Errorf("api/requests while the server is down: %s %s, want 503 store unavailable", resp.Status, body)
	}
	st := store.Status()
	if st.Dropped == 0 || st.Error == "" {
		t.Errorf("status while down: %+v, want dropped records and an error", st)
	}
	mu.Lock()
	down := slices.Clone(latencies)
	mu.Unlock()

	srv.Start(t)
	waitUntil(t, 30*time.Second, "the store recovers by itself", func() bool { return store.Status().Available })
	close(stop)
	wg.Wait()

	if len(failures) > 0 {
		t.Errorf("%d requests failed during the outage, first: %s", len(failures), failures[0])
	}
	if len(down) < 20 {
		t.Fatalf("only %d requests served while the server was down", len(down))
	}
	slices.Sort(down)
	p99, worst := down[len(down)*99/100], down[len(down)-1]
	t.Logf("while down: %d requests, p50 %v, p99 %v, max %v; %d records dropped", len(down), down[len(down)/2], p99, worst, st.Dropped)
	if p99 > OutageBound {
		t.Errorf("p99 latency while the server was down: %v, over %v", p99, OutageBound)
	}

	// Recovered: a new request is recorded and readable by another instance.
	resp, err = ts.Client().Get(ts.URL + "/after")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	id := resp.Header.Get(toolbar.RequestIDHeader)
	flush(t, store)
	other := open(srv.URL)
	defer other.Close()
	if _, err := other.Get(context.Background(), id); err != nil {
		t.Errorf("after recovery, the record of a new request: %v", err)
	}
}

func waitUntil(t *testing.T, within time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %v: %s", within, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
