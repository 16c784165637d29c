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

// BenchRequest measures a recorded request through the toolbar with store
// (a trivial handler, over loopback HTTP): ns/op, and the p50 and p99
// latency as metrics, so that stores compare with the MemoryStore.
func BenchRequest(b *testing.B, store toolbar.Store) {
	app := toolbar.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"ok":true}`)
	}), toolbar.Options{Enable: toolbar.On, Store: store, Instance: "bench"})
	ts := httptest.NewServer(app)
	defer ts.Close()
	c := ts.Client()
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		resp, err := c.Get(ts.URL + "/api")
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}

// BenchWrite measures how many records per second one instance writes:
// Save b.N records, then wait until they are written.
func BenchWrite(b *testing.B, store Store) {
	recs := make([]*toolbar.StoredRequest, 1000)
	for i := range recs {
		recs[i] = Record(ID(i), time.Now(), "bench", "c", 20)
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	saved := 0
	for i := 0; b.Loop(); i++ {
		r := *recs[i%len(recs)]
		r.ID = ID(i + 1<<20)
		for store.Save(ctx, &r) != nil { // queue full: let the writer catch up
			time.Sleep(100 * time.Microsecond)
		}
		saved++
	}
	if err := store.Flush(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(saved)/time.Since(start).Seconds(), "records/s")
}

// BenchRead measures reading one record of events events from another
// instance (one round trip).
func BenchRead(b *testing.B, writer, reader Store, events int) {
	rec := Record(ID(7), time.Now(), "bench", "c", events)
	ctx := context.Background()
	writer.Save(ctx, rec)
	if err := writer.Flush(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := reader.Get(ctx, rec.ID); err != nil {
			b.Fatal(err)
		}
	}
}
