package toolbar_test

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"testing"

	"github.com/go-ddt/ddt/runtime/toolbar"
	"github.com/go-ddt/ddt/runtime/toolbar/toolbartest"
)

// heapInUse returns the live heap after a full collection.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// TestMillionEvents: a request that records 1,000,000 events keeps only
// MaxEvents of them, says how many it dropped, and the app keeps serving.
func TestMillionEvents(t *testing.T) {
	n := 1_000_000
	if raceEnabled || testing.Short() {
		n = 100_000 // the race detector makes each event ~10x slower
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/flood", func(w http.ResponseWriter, r *http.Request) {
		for i := range n {
			toolbar.Emit(r.Context(), "flood", "event", "i", i)
		}
		io.WriteString(w, "<html><body>flood</body></html>")
	})
	mux.HandleFunc("/after", func(w http.ResponseWriter, r *http.Request) {
		toolbar.Emit(r.Context(), "flood", "after")
		io.WriteString(w, "<html><body>after</body></html>")
	})
	s := toolbartest.NewServer(t, mux, toolbar.Options{NoStacks: true})
	before := heapInUse()
	resp, _ := s.Get("/flood")
	id := s.RequestID(resp)
	if d := s.Detail(id); d.Dropped != n-toolbar.DefaultMaxEvents {
		t.Errorf("dropped = %d, want %d", d.Dropped, n-toolbar.DefaultMaxEvents)
	}
	if nav := s.Nav(id, "calls"); nav.NavSubtitle != strconv.Itoa(toolbar.DefaultMaxEvents)+" calls" {
		t.Errorf("Calls subtitle = %q", nav.NavSubtitle)
	}
	if grew := int64(heapInUse()) - int64(before); grew > 64<<20 {
		t.Errorf("heap grew by %d MiB for one request of %d events; the cap should bound it", grew>>20, n)
	}
	resp, body := s.Get("/after")
	if s.Nav(s.RequestID(resp), "calls").NavSubtitle != "1 call" || string(body) == "" {
		t.Error("the app did not keep serving after the flood")
	}
}

// TestSoak sends 100,000 recorded requests with events through the
// middleware: the store stays at its bound and the heap stays flat after
// warm-up. It runs when DDT_SOAK=1 (.ci/run does, without -race).
func TestSoak(t *testing.T) {
	if os.Getenv("DDT_SOAK") != "1" {
		t.Skip("set DDT_SOAK=1 to send 100,000 requests")
	}
	const total, warm = 100_000, 10_000
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		for i := range 10 {
			toolbar.Emit(r.Context(), "flag", "f"+strconv.Itoa(i), "result", i%2 == 0)
		}
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<html><body>soak</body></html>")
	})
	store := toolbar.NewMemoryStore(toolbar.DefaultStoreSize)
	h := toolbar.Middleware(mux, toolbar.Options{Enable: toolbar.On, Store: store})
	req, _ := http.NewRequest("GET", "/", nil)
	req.RemoteAddr = "127.0.0.1:40000"
	w := &discardWriter{h: http.Header{}}
	var warmHeap uint64
	for i := 1; i <= total; i++ {
		clear(w.h)
		h.ServeHTTP(w, req)
		if i == warm {
			warmHeap = heapInUse()
		}
	}
	endHeap := heapInUse()
	list, _ := store.List(t.Context(), toolbar.ListFilter{})
	if len(list) != toolbar.DefaultStoreSize {
		t.Errorf("store holds %d requests, want %d", len(list), toolbar.DefaultStoreSize)
	}
	t.Logf("heap in use after %d requests: %.1f MiB; after %d: %.1f MiB", warm, float64(warmHeap)/(1<<20), total, float64(endHeap)/(1<<20))
	if endHeap > warmHeap+warmHeap/4+(4<<20) {
		t.Errorf("heap grew from %d to %d bytes between request %d and %d", warmHeap, endHeap, warm, total)
	}
	fmt.Fprintf(os.Stderr, "soak: %d requests, heap %.1f MiB after warm-up, %.1f MiB at the end\n", total, float64(warmHeap)/(1<<20), float64(endHeap)/(1<<20))
}
