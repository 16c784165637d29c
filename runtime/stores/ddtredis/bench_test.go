package ddtredis_test

import (
	"testing"

	"github.com/go-ddt/ddt/internal/servicetest"
	"github.com/go-ddt/ddt/runtime/stores/ddtredis"
	"github.com/go-ddt/ddt/runtime/stores/storequeue"
	"github.com/go-ddt/ddt/runtime/stores/storetest"
	"github.com/go-ddt/ddt/runtime/toolbar"
)

func benchStore(b *testing.B, table string, q storequeue.Config) *ddtredis.Store {
	s, err := ddtredis.Open(servicetest.Redis(b), ddtredis.Options{Prefix: table, Queue: q})
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
	b.Run("redis", func(b *testing.B) {
		storetest.BenchRequest(b, benchStore(b, "ddt_bench_request:", storequeue.Config{}))
	})
}

func BenchmarkWrite(b *testing.B) {
	storetest.BenchWrite(b, benchStore(b, "ddt_bench_write:", storequeue.Config{}))
}

// BenchmarkRead10000Events reads a record of 10,000 SQL events.
func BenchmarkRead10000Events(b *testing.B) {
	storetest.BenchRead(b, benchStore(b, "ddt_bench_read:", storequeue.Config{}), benchStore(b, "ddt_bench_read:", storequeue.Config{}), 10000)
}
