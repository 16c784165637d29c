package ddtpg_test

import (
	"testing"

	"github.com/go-ddt/ddt/internal/servicetest"
	"github.com/go-ddt/ddt/runtime/stores/ddtpg"
	"github.com/go-ddt/ddt/runtime/stores/storequeue"
	"github.com/go-ddt/ddt/runtime/stores/storetest"
	"github.com/go-ddt/ddt/runtime/toolbar"
)

func benchStore(b *testing.B, table string, q storequeue.Config) *ddtpg.Store {
	s, err := ddtpg.Open(servicetest.Postgres(b), ddtpg.Options{Table: table, Queue: q})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// BenchmarkRequest: a recorded request with this store, and with the
// MemoryStore for comparison.
func BenchmarkRequest(b *testing.B) {
	b.Run("memory", func(b *testing.B) { storetest.BenchRequest(b, toolbar.NewMemoryStore(1000)) })
	b.Run("postgres", func(b *testing.B) {
		storetest.BenchRequest(b, benchStore(b, "ddt_bench_request", storequeue.Config{}))
	})
}

func BenchmarkWrite(b *testing.B) {
	storetest.BenchWrite(b, benchStore(b, "ddt_bench_write", storequeue.Config{}))
}

// BenchmarkRead10000Events reads a record of 10,000 SQL events.
func BenchmarkRead10000Events(b *testing.B) {
	storetest.BenchRead(b, benchStore(b, "ddt_bench_read", storequeue.Config{}), benchStore(b, "ddt_bench_read", storequeue.Config{}), 10000)
}
