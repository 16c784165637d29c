package ddtpg_test

import (
	"encoding/hex"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/go-ddt/ddt/runtime/stores/ddtpg"
	"github.com/go-ddt/ddt/runtime/toolbar"
)

// The setup of the README's "Several instances", on PostgreSQL.
func Example() {
	var handler http.Handler = http.NotFoundHandler()
	store, err := ddtpg.Open(os.Getenv("DATABASE_URL"), ddtpg.Options{MaxRequests: 1000, MaxAge: 24 * time.Hour})
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	key, _ := hex.DecodeString(os.Getenv("DDT_SIGNING_KEY")) // the same 32+ random bytes everywhere
	handler = toolbar.Middleware(handler, toolbar.Options{Store: store, SigningKey: key, Instance: os.Getenv("HOSTNAME")})
	_ = handler
}
