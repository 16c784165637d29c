package toolbar_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-ddt/ddt/runtime/panel"
	"github.com/go-ddt/ddt/runtime/panels/calls"
	"github.com/go-ddt/ddt/runtime/panels/featureflags"
	"github.com/go-ddt/ddt/runtime/toolbar"
)

// isolatedHandler makes, for the request marked m, events of every kind of
// attribution: through ctx, through the goroutine's token, by hand with
// toolbar.Emit, from the handler and from goroutines it starts (and that
// they start), all finished before it returns.
func isolatedHandler(w http.ResponseWriter, r *http.Request) {
	m := r.URL.Query().Get("m")
	ctx := r.Context()
	markedFlag(ctx, "ctx-"+m)
	markedFlagNoCtx("tok-" + m)
	markedTrace("trace-"+m, 1)
	toolbar.Emit(nil, "trace", "emit-"+m)
	var wg sync.WaitGroup
	wg.Go(func() {
		markedFlag(ctx, "gctx-"+m)
		markedFlagNoCtx("gtok-" + m)
		markedTrace("gtrace-"+m, 2)
		toolbar.Emit(ctx, "search", "gemit-"+m)
		var inner sync.WaitGroup
		inner.Go(func() { markedFlagNoCtx("ggtok-" + m) })
		inner.Wait()
	})
	wg.Go(func() { markedCustom(context.Background(), "gsearch-"+m) }) // no sink in ctx: the token decides
	wg.Wait()
	fmt.Fprintf(w, "<html><body>%s</body></html>", m)
}

// wantIsolated is what isolatedHandler records for m, by panel.
func wantIsolated(m string) (flags, calls []string) {
	flags = []string{"ctx-" + m, "tok-" + m, "gctx-" + m, "gtok-" + m, "ggtok-" + m}
	calls = []string{"trace-" + m, "emit-" + m, "gtrace-" + m, "gemit-" + m, "gsearch-" + m}
	slices.Sort(flags)
	slices.Sort(calls)
	return flags, calls
}

// TestIsolation is the seed article's closing caveat, tested: thousands of
// concurrent requests over keep-alive connections, each making its own
// events in every way, while a goroutine of no request makes events too.
// Every request's stored stats hold exactly its own events.
func TestIsolation(t *testing.T) {
	const requests, workers = 2000, 50
	store := toolbar.NewMemoryStore(requests + 10)
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(toolbar.Middleware(http.HandlerFunc(isolatedHandler), toolbar.Options{Enable: toolbar.On, Store: store}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()

	// Events from a goroutine that no request started: never in a request.
	strayDone := make(chan struct{})
	var stray sync.WaitGroup
	stray.Go(func() {
		for {
			select {
			case <-strayDone:
				return
			case <-time.After(50 * time.Microsecond):
				markedFlagNoCtx("stray")
			}
		}
	})
	unattributedBefore, _ := panel.Unattributed()

	ids := make([]string, requests) // request id by marker number
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1, DisableCompression: true}}
		wg.Go(func() {
			defer client.CloseIdleConnections()
			for n := range jobs {
				resp, err := client.Get(fmt.Sprintf("%s/?m=m%d", srv.URL, n))
				if err != nil {
					t.Error(err)
					continue
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if !strings.Contains(string(body), fmt.Sprintf("m%d<script", n)) {
					t.Errorf("request m%d: page %q", n, body)
				}
				ids[n] = resp.Header.Get(toolbar.RequestIDHeader)
			}
		})
	}
	for n := range requests {
		jobs <- n
	}
	close(jobs)
	wg.Wait()
	close(strayDone)
	stray.Wait()

	if n := conns.Load(); n > 2*workers {
		t.Errorf("%d connections for %d requests from %d keep-alive clients", n, requests, workers)
	}
	if after, _ := panel.Unattributed(); after == unattributedBefore {
		t.Error("the stray goroutine's events were not counted as unattributed")
	}
	for n, id := range ids {
		m := fmt.Sprintf("m%d", n)
		rec, err := store.Get(context.Background(), id)
		if err != nil {
			t.Fatalf("request %s (%q): %v", m, id, err)
		}
		var ff featureflags.Panel
		var cp calls.Panel
		for _, p := range rec.Panels {
			switch p.ID {
			case "featureflags":
				json.Unmarshal(p.Stats, &ff)
			case "calls":
				json.Unmarshal(p.Stats, &cp)
			}
		}
		var gotFlags, gotCalls []string
		for _, e := range ff.Rows {
			gotFlags = append(gotFlags, e.Key)
		}
		for _, c := range cp.Calls {
			gotCalls = append(gotCalls, c.Name)
		}
		slices.Sort(gotFlags)
		slices.Sort(gotCalls)
		wantFlags, wantCalls := wantIsolated(m)
		if !slices.Equal(gotFlags, wantFlags) || !slices.Equal(gotCalls, wantCalls) {
			t.Fatalf("request %s recorded\n flags %v\n calls %v\nwant\n flags %v\n calls %v", m, gotFlags, gotCalls, wantFlags, wantCalls)
		}
		if rec.Dropped != 0 {
			t.Errorf("request %s dropped %d events", m, rec.Dropped)
		}
	}
}
