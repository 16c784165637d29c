package ddtredis_test

import (
	"log"
	"time"

	"github.com/go-ddt/ddt/runtime/stores/ddtredis"
)

// The setup of the README's "Several instances", on Redis.
func Example() {
	store, err := ddtredis.Open("redis://127.0.0.1:6379/0", ddtredis.Options{MaxRequests: 1000, MaxAge: 24 * time.Hour})
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
}
