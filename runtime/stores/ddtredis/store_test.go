package ddtredis_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/go-ddt/ddt/internal/servicetest"
	"github.com/go-ddt/ddt/runtime/stores/ddtredis"
	"github.com/go-ddt/ddt/runtime/stores/storequeue"
	"github.com/go-ddt/ddt/runtime/stores/storetest"
)

// testPrefix returns a key prefix of the test's own, whose keys are
// deleted when it ends.
func testPrefix(t *testing.T, url string) string {
	var b [4]byte
	rand.Read(b[:])
	prefix := "ddt-test-" + hex.EncodeToString(b[:]) + ":"
	t.Cleanup(func() {
		o, _ := redis.ParseURL(url)
		c := redis.NewClient(o)
		defer c.Close()
		ctx := context.Background()
		iter := c.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			c.Del(ctx, iter.Val())
		}
	})
	return prefix
}

var prefixes = map[string]string{}

func TestStore(t *testing.T) {
	url := servicetest.Redis(t)
	storetest.Run(t, func(t *testing.T, b storetest.Bounds) storetest.Store {
		prefix, ok := prefixes[t.Name()]
		if !ok {
			prefix = testPrefix(t, url)
			prefixes[t.Name()] = prefix
		}
		s, err := ddtredis.Open(url, ddtredis.Options{Prefix: prefix, MaxRequests: b.MaxRequests, MaxAge: b.MaxAge})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

// The version is part of the keys and recorded in the meta hash.
func TestKeysVersioned(t *testing.T) {
	url := servicetest.Redis(t)
	prefix := testPrefix(t, url)
	s, err := ddtredis.Open(url, ddtredis.Options{Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.Save(t.Context(), storetest.Record(storetest.ID(1), time.Now(), "a", "c", 1))
	if err := s.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	o, _ := redis.ParseURL(url)
	c := redis.NewClient(o)
	defer c.Close()
	if v, err := c.HGet(t.Context(), prefix+"v1:meta", "version").Result(); err != nil || v != "1" {
		t.Errorf("%sv1:meta version = %q, %v; want 1", prefix, v, err)
	}
	if n, _ := c.Exists(t.Context(), prefix+"v1:rec:"+storetest.ID(1)).Result(); n != 1 {
		t.Errorf("no key %sv1:rec:ID", prefix)
	}
}

func TestBadOptions(t *testing.T) {
	if _, err := ddtredis.Open("http://127.0.0.1:1", ddtredis.Options{}); err == nil || !strings.HasPrefix(err.Error(), "ddtredis: ") {
		t.Errorf("bad URL: %v", err)
	}
}

// TestOutage stops a redis-server of the test's own mid-load.
func TestOutage(t *testing.T) {
	servicetest.Redis(t) // skipped with the other tests
	srv := servicetest.PrivateRedis(t)
	storetest.Outage(t, srv, func(url string) storetest.StatusStore {
		s, err := ddtredis.Open(url, ddtredis.Options{Queue: storequeue.Config{Timeout: 500 * time.Millisecond, MaxRetry: 500 * time.Millisecond}})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// TestSlow makes a redis-server of the test's own hang (CLIENT PAUSE).
func TestSlow(t *testing.T) {
	servicetest.Redis(t) // skipped with the other tests
	srv := servicetest.PrivateRedis(t)
	s, err := ddtredis.Open(srv.URL, ddtredis.Options{Queue: storequeue.Config{QueueSize: 64, Timeout: 300 * time.Millisecond, MaxRetry: 300 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	o, _ := redis.ParseURL(srv.URL)
	admin := redis.NewClient(o)
	defer admin.Close()
	// The pause ends by itself: CLIENT UNPAUSE would wait too.
	const pause = 2 * time.Second
	storetest.Slow(t, s, func() func() {
		end := time.Now().Add(pause)
		if err := admin.Do(t.Context(), "CLIENT", "PAUSE", pause.Milliseconds(), "ALL").Err(); err != nil {
			t.Fatal(err)
		}
		return func() { time.Sleep(time.Until(end)) }
	})
}
