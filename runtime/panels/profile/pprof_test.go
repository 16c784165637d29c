package profile

import (
	"bytes"
	"context"
	"runtime/pprof"
	"sync/atomic"
	"testing"
	"time"
)

var spin atomic.Uint64

//go:noinline
func spinFor(d time.Duration) {
	// A fixed amount of work, not of time: on a loaded machine it takes
	// longer but still gets its CPU samples. 1e6 steps take about 1.6 ms.
	x := uint64(1)
	for i := int64(0); i < int64(d/(1600*time.Microsecond))*1_000_000; i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	spin.Add(x)
}

// realProfile profiles two labelled goroutines of this process.
func realProfile(t testing.TB) []byte {
	profiling.Lock()
	defer profiling.Unlock()
	var buf bytes.Buffer
	if err := pprof.StartCPUProfile(&buf); err != nil {
		t.Fatal(err)
	}
	done := make(chan bool)
	go pprof.Do(context.Background(), pprof.Labels("who", "b"), func(context.Context) {
		spinFor(100 * time.Millisecond)
		done <- true
	})
	pprof.Do(context.Background(), pprof.Labels("who", "a"), func(context.Context) { spinFor(200 * time.Millisecond) })
	<-done
	pprof.StopCPUProfile()
	return buf.Bytes()
}

func TestParseProfile(t *testing.T) {
	p, err := parseProfile(realProfile(t))
	if err != nil {
		t.Fatal(err)
	}
	if p.period != int64(10*time.Millisecond) || len(p.samples) == 0 || len(p.functions) == 0 {
		t.Fatalf("period %d, %d samples, %d functions", p.period, len(p.samples), len(p.functions))
	}
	a, b := top(p, "who", "a", 10), top(p, "who", "b", 10)
	if a.Samples < 5 || b.Samples < 2 || a.AllSamples != b.AllSamples || a.Samples+b.Samples > a.AllSamples {
		t.Errorf("samples: a %d, b %d, all %d", a.Samples, b.Samples, a.AllSamples)
	}
	if a.Funcs[0].Name != "github.com/go-ddt/ddt/runtime/panels/profile.spinFor" || a.Funcs[0].FlatPct < 50 || a.Funcs[0].File == "" {
		t.Errorf("top of a: %+v", a.Funcs[0])
	}
	if none := top(p, "who", "c", 10); none.Samples != 0 || len(none.Funcs) != 0 {
		t.Errorf("an unknown label has %+v", none)
	}
	if _, err := parseProfile([]byte("not gzip")); err == nil {
		t.Error("no error for a corrupt profile")
	}
}

func TestFieldsRejectsTruncated(t *testing.T) {
	for _, b := range [][]byte{{0x08}, {0x12, 0x05, 'a'}, {0x09, 1, 2}, {0xff}} {
		if err := fields(b, func(int, int, uint64, []byte) error { return nil }); err == nil {
			t.Errorf("% x: no error", b)
		}
	}
}

// BenchmarkTop measures reading a profile and computing a request's table,
// the work done once per profiled request.
func BenchmarkTop(b *testing.B) {
	data := realProfile(b)
	for b.Loop() {
		p, err := parseProfile(data)
		if err != nil {
			b.Fatal(err)
		}
		top(p, "who", "a", DefaultTop)
	}
}
