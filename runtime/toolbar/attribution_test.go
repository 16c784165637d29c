package toolbar_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/h2c"
	"golang.org/x/sync/errgroup"
	"modernc.org/sqlite"

	"github.com/go-ddt/ddt/runtime/panels/featureflags"
	"github.com/go-ddt/ddt/runtime/toolbar"
)

// An attribution scenario is one way code makes events for a request: on
// goroutines that the request started and that end with it, on goroutines
// that outlive it or serve other requests, on goroutines the standard
// library starts. Each event's name is scenario:label:marker, the marker
// being that of the request whose work made it, or "none". An event filed
// under a request whose marker is another is misfiled: the test fails on
// one. Labels listed in wanted must be filed under their request: losing
// them is the other failure.
type scenario struct {
	name   string
	wanted []string
	serve  func(s *scenario, m string, w http.ResponseWriter, r *http.Request)
	made   atomic.Int64
	state  any // what the scenario shares between its requests
}

// noCtx makes an event without a context: the goroutine decides.
func (s *scenario) noCtx(label, m string) {
	s.made.Add(1)
	markedFlagNoCtx(s.name + ":" + label + ":" + m)
}

// withCtx makes an event with a context.
func (s *scenario) withCtx(ctx context.Context, label, m string) {
	s.made.Add(1)
	markedFlag(ctx, s.name+":"+label+":"+m)
}

// lazyPool is the reproduction: a worker pool that the first
// request to need it starts (sync.Once), and that request then stays in
// flight for 1.5 s while the others submit jobs.
type lazyPool struct {
	once sync.Once
	jobs chan poolJob
}

type poolJob struct {
	m    string
	ctx  context.Context
	done chan struct{}
}

func serveLazyPool(s *scenario, m string, w http.ResponseWriter, r *http.Request) {
	p := s.state.(*lazyPool)
	started := false
	p.once.Do(func() {
		started = true
		p.jobs = make(chan poolJob)
		for range 4 {
			go func() {
				for j := range p.jobs {
					s.noCtx("noctx", j.m)
					s.withCtx(j.ctx, "ctx", j.m)
					close(j.done)
				}
			}()
		}
	})
	if started {
		time.Sleep(1500 * time.Millisecond)
	}
	j := poolJob{m: m, ctx: r.Context(), done: make(chan struct{})}
	p.jobs <- j
	<-j.done
}

// Goroutines of the request that end before it: all its events are its own.
func serveChildren(s *scenario, m string, w http.ResponseWriter, r *http.Request) {
	var wg sync.WaitGroup
	wg.Go(func() {
		s.noCtx("wggo", m)
		var inner sync.WaitGroup
		inner.Go(func() { s.noCtx("nested", m) })
		inner.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.noCtx("go", m)
	}()
	wg.Wait()
	var g errgroup.Group
	g.Go(func() error { s.noCtx("errgroup", m); return nil })
	g.Wait()
	s.noCtx("handler", m)
}

// A goroutine the request starts and that outlives it.
func serveOutliving(s *scenario, m string, w http.ResponseWriter, r *http.Request) {
	during := make(chan struct{})
	go func() {
		s.noCtx("during", m)
		close(during)
		time.Sleep(20 * time.Millisecond)
		s.noCtx("after", m)
	}()
	<-during
}

func serveTimeAfterFunc(s *scenario, m string, w http.ResponseWriter, r *http.Request) {
	done := make(chan struct{})
	time.AfterFunc(0, func() {
		s.noCtx("timer", m)
		close(done)
	})
	<-done
}

// contextAfterFunc pairs requests: the first registers a callback on a
// context they share, the second cancels it and waits for the callback,
// which context.AfterFunc runs on a goroutine the canceller starts.
type contextAfterFunc struct {
	mu    sync.Mutex
	pairs map[string]*afterFuncPair
}

type afterFuncPair struct {
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}
}

func serveContextAfterFunc(s *scenario, m string, w http.ResponseWriter, r *http.Request) {
	st := s.state.(*contextAfterFunc)
	pair := r.URL.Query().Get("pair")
	st.mu.Lock()
	p := st.pairs[pair]
	if p == nil {
		ctx, cancel := context.WithCancel(context.Background())
		p = &afterFuncPair{ctx: ctx, cancel: cancel, done: make(chan struct{})}
		st.pairs[pair] = p
	}
	st.mu.Unlock()
	if r.URL.Query().Get("role") == "register" {
		context.AfterFunc(p.ctx, func() {
			s.noCtx("callback", m)
			close(p.done)
		})
		return
	}
	p.cancel()
	select {
	case <-p.done:
	case <-time.After(2 * time.Second):
	}
}

// lazyDB is a database/sql pool opened by the first request that needs
// it; its connection opener is a goroutine that request started.
type lazyDB struct {
	once sync.Once
	db   *sql.DB
}

type markerKey struct{}

// connector opens SQLite connections and makes an event for each, named
// after the request in the context it is given ("none" for the pool's).
type connector struct{ s *scenario }

func (c connector) Connect(ctx context.Context) (driver.Conn, error) {
	m, _ := ctx.Value(markerKey{}).(string)
	if m == "" {
		m = "none"
	}
	c.s.noCtx("connect", m)
	return (&sqlite.Driver{}).Open(":memory:")
}

func (c connector) Driver() driver.Driver { return &sqlite.Driver{} }

func serveLazyDB(s *scenario, m string, w http.ResponseWriter, r *http.Request) {
	st := s.state.(*lazyDB)
	st.once.Do(func() {
		st.db = sql.OpenDB(connector{s})
		st.db.SetMaxIdleConns(1)
		st.db.SetConnMaxLifetime(5 * time.Millisecond)
	})
	ctx := context.WithValue(r.Context(), markerKey{}, m)
	var n int
	if err := st.db.QueryRowContext(ctx, "select 1").Scan(&n); err != nil {
		http.Error(w, err.Error(), 500)
	}
}

// outbound makes requests through a shared Transport, whose connection
// goroutines the request that dialled them started and later requests
// reuse; httptrace runs some hooks there.
type outbound struct {
	client  *http.Client
	backend string
}

func serveOutbound(s *scenario, m string, w http.ResponseWriter, r *http.Request) {
	st := s.state.(*outbound)
	trace := &httptrace.ClientTrace{
		GotConn:              func(httptrace.GotConnInfo) { s.noCtx("gotconn", m) },
		WroteRequest:         func(httptrace.WroteRequestInfo) { s.noCtx("wrote", m) },
		GotFirstResponseByte: func() { s.noCtx("firstbyte", m) },
	}
	req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(r.Context(), trace), "GET", st.backend, nil)
	resp, err := st.client.Do(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

func servePprofDo(s *scenario, m string, w http.ResponseWriter, r *http.Request) {
	pprof.Do(r.Context(), pprof.Labels("op", "render"), func(ctx context.Context) {
		s.noCtx("do", m)
		var wg sync.WaitGroup
		wg.Go(func() { s.noCtx("dochild", m) })
		wg.Wait()
	})
	pprof.Do(context.Background(), pprof.Labels("op", "detached"), func(context.Context) {
		s.noCtx("dobackground", m) // on the handler's goroutine all the same
	})
}

// serveStreams is the handler behind h2c: each request an HTTP/2 stream.
func serveStreams(s *scenario, m string, w http.ResponseWriter, r *http.Request) {
	s.withCtx(r.Context(), "ctx", m)
	s.noCtx("noctx", m)
}

func newScenarios(backend string) []*scenario {
	return []*scenario{
		{name: "pool", wanted: []string{"ctx"}, serve: serveLazyPool, state: &lazyPool{}},
		{name: "children", wanted: []string{"wggo", "nested", "go", "errgroup", "handler"}, serve: serveChildren},
		{name: "outliving", serve: serveOutliving},
		{name: "timeafterfunc", serve: serveTimeAfterFunc},
		{name: "contextafterfunc", serve: serveContextAfterFunc, state: &contextAfterFunc{pairs: map[string]*afterFuncPair{}}},
		{name: "lazydb", serve: serveLazyDB, state: &lazyDB{}},
		{name: "outbound", wanted: []string{"gotconn"}, serve: serveOutbound, state: &outbound{
			client:  &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}},
			backend: backend,
		}},
		{name: "pprofdo", wanted: []string{"do", "dochild", "dobackground"}, serve: servePprofDo},
	}
}

// tally counts, for one scenario, what the requests held.
type tally struct {
	requests, attributed, misfiled, lost int
}

// TestAttributionNeverMisfiles runs every scenario at once, thousands of
// concurrent requests over keep-alive connections, while a goroutine that
// no request started (as one started at init) makes events: no event is
// ever filed under a request whose work it was not, and the events that
// provably were a request's are all filed under it.
func TestAttributionNeverMisfiles(t *testing.T) {
	requests := 2400
	if testing.Short() {
		requests = 400
	}
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok")
	}))
	defer backend.Close()
	scenarios := newScenarios(backend.URL)
	byName := map[string]*scenario{}
	mux := http.NewServeMux()
	for _, s := range scenarios {
		byName[s.name] = s
		mux.HandleFunc("/"+s.name, func(w http.ResponseWriter, r *http.Request) {
			m := r.URL.Query().Get("m")
			s.serve(s, m, w, r)
			fmt.Fprintf(w, "<html><body>%s</body></html>", m)
		})
	}
	store := toolbar.NewMemoryStore(requests + 10)
	srv := httptest.NewServer(toolbar.Middleware(mux, toolbar.Options{Store: store, Enable: toolbar.On}))
	defer srv.Close()

	stray := &scenario{name: "init"}
	byName[stray.name] = stray
	stopStray := make(chan struct{})
	var strayDone sync.WaitGroup
	strayDone.Go(func() {
		for {
			select {
			case <-stopStray:
				return
			case <-time.After(100 * time.Microsecond):
				stray.noCtx("tick", "none")
			}
		}
	})

	type sent struct{ scenario, m, id string }
	results := make([]sent, requests)
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range 50 {
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
		wg.Go(func() {
			defer client.CloseIdleConnections()
			for i := range jobs {
				s := scenarios[i%len(scenarios)]
				round := i / len(scenarios)
				m := fmt.Sprintf("m%d", i)
				url := fmt.Sprintf("%s/%s?m=%s&pair=%d&role=%s", srv.URL, s.name, m, round/2, [2]string{"register", "cancel"}[round%2])
				resp, err := client.Get(url)
				if err != nil {
					t.Error(err)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					t.Errorf("%s: status %d", url, resp.StatusCode)
				}
				results[i] = sent{s.name, m, resp.Header.Get(toolbar.RequestIDHeader)}
			}
		})
	}
	for i := range requests {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	time.Sleep(50 * time.Millisecond) // the outliving goroutines' last events
	close(stopStray)
	strayDone.Wait()

	tallies := map[string]*tally{}
	for _, s := range byName {
		tallies[s.name] = &tally{}
	}
	for _, res := range results {
		if res.id == "" {
			continue // reported above
		}
		tallies[res.scenario].requests++
		names := storedFlags(t, store, res.id)
		for _, name := range names {
			sc, rest, _ := strings.Cut(name, ":")
			_, m, _ := strings.Cut(rest, ":")
			if m != res.m {
				tallies[sc].misfiled++
				t.Errorf("request %s (%s) holds %q", res.m, res.scenario, name)
				continue
			}
			tallies[sc].attributed++
		}
		for _, label := range byName[res.scenario].wanted {
			if !slices.Contains(names, res.scenario+":"+label+":"+res.m) {
				tallies[res.scenario].lost++
				t.Errorf("request %s (%s) lacks its %q event; it holds %q", res.m, res.scenario, label, names)
			}
		}
	}
	t.Logf("%-16s %8s %8s %10s %8s %12s %4s", "scenario", "requests", "events", "attributed", "misfiled", "unattributed", "lost")
	for _, name := range slices.Sorted(maps.Keys(tallies)) {
		tl, made := tallies[name], byName[name].made.Load()
		t.Logf("%-16s %8d %8d %10d %8d %12d %4d", name, tl.requests, made, tl.attributed, tl.misfiled, made-int64(tl.attributed+tl.misfiled), tl.lost)
	}
}

// storedFlags returns the names of the flag events stored for request id.
func storedFlags(t *testing.T, store toolbar.Store, id string) []string {
	t.Helper()
	rec, err := store.Get(context.Background(), id)
	if err != nil {
		t.Fatalf("request %s: %v", id, err)
	}
	var names []string
	for _, p := range rec.Panels {
		if p.ID == "featureflags" {
			var ff featureflags.Panel
			if err := json.Unmarshal(p.Stats, &ff); err != nil {
				t.Fatal(err)
			}
			for _, row := range ff.Rows {
				names = append(names, row.Key)
			}
		}
	}
	return names
}

// TestAttributionUnderH2C serves HTTP/2 over cleartext with h2c.NewHandler
// on either side of the toolbar. Outside it, each stream goes through the
// toolbar and is recorded as its own request. Inside it, the toolbar sees
// one request for the whole connection ("PRI *"), whose handler serves
// every stream: it is not recorded, and no stream's event is filed under
// another's.
func TestAttributionUnderH2C(t *testing.T) {
	for _, toolbarOutside := range []bool{false, true} {
		name := map[bool]string{false: "h2c outside the toolbar", true: "h2c inside the toolbar"}[toolbarOutside]
		t.Run(name, func(t *testing.T) {
			s := &scenario{name: "h2c", serve: serveStreams}
			if !toolbarOutside {
				s.wanted = []string{"ctx", "noctx"}
			}
			store := toolbar.NewMemoryStore(1000)
			mux := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				m := r.URL.Query().Get("m")
				s.serve(s, m, w, r)
				fmt.Fprintf(w, "<html><body>%s</body></html>", m)
			})
			var h http.Handler
			if toolbarOutside {
				h = toolbar.Middleware(h2c.NewHandler(mux, &http2.Server{}), toolbar.Options{Store: store, Enable: toolbar.On})
			} else {
				h = h2c.NewHandler(toolbar.Middleware(mux, toolbar.Options{Store: store, Enable: toolbar.On}), &http2.Server{})
			}
			srv := httptest.NewServer(h)
			defer srv.Close()
			tr := &http.Transport{Protocols: new(http.Protocols)}
			tr.Protocols.SetUnencryptedHTTP2(true)
			client := &http.Client{Transport: tr}
			defer tr.CloseIdleConnections()
			const requests = 300
			ids := make([]string, requests)
			var wg sync.WaitGroup
			for i := range requests {
				wg.Go(func() {
					resp, err := client.Get(fmt.Sprintf("%s/?m=m%d", srv.URL, i))
					if err != nil {
						t.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.ProtoMajor != 2 {
						t.Errorf("request %d: %s, want HTTP/2", i, resp.Proto)
					}
					ids[i] = resp.Header.Get(toolbar.RequestIDHeader)
				})
			}
			wg.Wait()
			attributed := 0
			for i, id := range ids {
				if id == "" {
					if !toolbarOutside {
						t.Errorf("stream m%d was not recorded", i)
					}
					continue
				}
				m := fmt.Sprintf("m%d", i)
				names := storedFlags(t, store, id)
				for _, n := range names {
					if !strings.HasSuffix(n, ":"+m) {
						t.Errorf("stream %s holds %q", m, n)
					}
				}
				for _, label := range s.wanted {
					if !slices.Contains(names, "h2c:"+label+":"+m) {
						t.Errorf("stream %s lacks its %q event; it holds %q", m, label, names)
					}
				}
				attributed += len(names)
			}
			if list, _ := store.List(context.Background(), toolbar.ListFilter{}); toolbarOutside && len(list) != 0 {
				t.Errorf("the toolbar recorded the h2c connection")
			}
			t.Logf("%s: %d streams, %d events, %d attributed, 0 misfiled", name, requests, s.made.Load(), attributed)
		})
	}
}
