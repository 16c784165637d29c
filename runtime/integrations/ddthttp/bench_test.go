package ddthttp_test

import (
	"context"
	"github.com/go-ddt/ddt/runtime/event"
	"github.com/go-ddt/ddt/runtime/integrations/ddthttp"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

type discard struct{}

func (discard) Record(*event.Event) {}

// BenchmarkRoundTrip measures a GET to a loopback server on a kept-alive
// connection: with the plain transport, through ddthttp while no request
// is recorded, and through ddthttp recording it for a request.
func BenchmarkRoundTrip(b *testing.B) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "ok")
	}))
	defer api.Close()
	run := func(b *testing.B, ctx context.Context, rt http.RoundTripper) {
		client := &http.Client{Transport: rt}
		for b.Loop() {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, api.URL+"/x?page=2", nil)
			req.Header.Set("Accept", "text/plain")
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}
	b.Run("plain", func(b *testing.B) { run(b, context.Background(), api.Client().Transport) })
	b.Run("ddthttp/idle", func(b *testing.B) { run(b, context.Background(), ddthttp.Transport(api.Client().Transport)) })
	b.Run("ddthttp/recording", func(b *testing.B) {
		ctx, unbind := event.Bind(context.Background(), "bench", discard{})
		defer unbind()
		run(b, ctx, ddthttp.Transport(api.Client().Transport))
	})
}
