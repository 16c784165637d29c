package toolbar_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/go-ddt/ddt/runtime/toolbar"
	"github.com/go-ddt/ddt/runtime/toolbar/toolbartest"
)

// resilientApp serves a page, a stream of the given length, and a handler
// that writes until its client goes away.
func resilientApp(streamFor time.Duration, gone chan<- error) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<html><body>page</body></html>")
	})
	mux.HandleFunc("/stream", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		rc := http.NewResponseController(w)
		end := time.Now().Add(streamFor)
		for i := 0; time.Now().Before(end); i++ {
			fmt.Fprintf(w, "<p>%d %d</p>\n", i, time.Now().UnixMilli())
			if err := rc.Flush(); err != nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		io.WriteString(w, "</body></html>")
	})
	mux.HandleFunc("/endless", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		for {
			if _, err := io.WriteString(w, strings.Repeat("<p>more</p>", 100)); err != nil {
				gone <- err
				return
			}
			if r.URL.Query().Has("flush") {
				http.NewResponseController(w).Flush()
			}
			select {
			case <-r.Context().Done():
				gone <- r.Context().Err()
				return
			case <-time.After(time.Millisecond):
			}
		}
	})
	return mux
}

// checkServing checks that s still serves a page with the toolbar, and its
// API.
func checkServing(t *testing.T, s *toolbartest.Server) {
	t.Helper()
	resp, body := s.Get("/page")
	if !strings.Contains(string(body), `data-ddt-request="`+s.RequestID(resp)+`"`) {
		t.Fatalf("the page after the others has no toolbar: %s", body)
	}
	if d := s.Detail(s.RequestID(resp)); d.Status != 200 {
		t.Fatalf("the page's record: %+v", d.Summary)
	}
}

// TestStreamForTenSeconds streams an HTML page for 10 s through the
// toolbar: each chunk reaches the client when it is flushed (nothing is
// held back for injection), the request is stored as streamed, and the
// server keeps serving meanwhile and after.
func TestStreamForTenSeconds(t *testing.T) {
	t.Parallel()
	s := toolbartest.NewServer(t, resilientApp(10*time.Second, nil), toolbar.Options{})
	start := time.Now()
	resp, err := s.Client().Get(s.URL + "/stream")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	id := s.RequestID(resp)
	lines := bufio.NewScanner(resp.Body)
	chunks, late := 0, 0
	for lines.Scan() {
		var i, sent int64
		if _, err := fmt.Sscanf(lines.Text(), "<p>%d %d</p>", &i, &sent); err != nil {
			continue
		}
		chunks++
		// A chunk arrives when it is flushed, not when the handler ends.
		if time.Since(time.UnixMilli(sent)) > 2*time.Second {
			late++
		}
		if chunks == 20 {
			checkServing(t, s) // while the stream goes on
		}
	}
	if took := time.Since(start); took < 10*time.Second || chunks < 50 || late > 0 {
		t.Fatalf("stream: %d chunks in %v, %d arrived over 2 s late", chunks, took, late)
	}
	waitFor(t, func() bool { _, err := s.Store.Get(context.Background(), id); return err == nil })
	if d := s.Detail(id); !d.Streamed || d.Status != 200 {
		t.Errorf("summary of the stream: %+v", d.Summary)
	}
	checkServing(t, s)
}

// TestClientDisconnects closes the connection of a client while the
// handler writes, both when the response streams (the handler flushes) and
// while the toolbar still holds an HTML page back to inject into: the
// handler sees it, the request is still stored, no goroutine is left
// behind, and the server keeps serving.
func TestClientDisconnects(t *testing.T) {
	for _, path := range []string{"/endless?flush", "/endless"} {
		t.Run(path, func(t *testing.T) {
			gone := make(chan error, 1)
			s := toolbartest.NewServer(t, resilientApp(0, gone), toolbar.Options{})
			checkServing(t, s)
			before := runtime.NumGoroutine()
			ctx, cancel := context.WithCancel(t.Context())
			req, _ := http.NewRequestWithContext(ctx, "GET", s.URL+path, nil)
			if path == "/endless" {
				// The page is held back: no response comes until the client gives up.
				time.AfterFunc(200*time.Millisecond, cancel)
				if _, err := s.Client().Do(req); err == nil {
					t.Fatal("a response arrived for a page that never ends")
				}
			} else {
				resp, err := s.Client().Do(req)
				if err != nil {
					t.Fatal(err)
				}
				io.ReadFull(resp.Body, make([]byte, 64<<10)) // the stream flows
				cancel()
				resp.Body.Close()
			}
			select {
			case err := <-gone:
				if err == nil {
					t.Error("the handler stopped without an error")
				}
			case <-time.After(10 * time.Second):
				t.Fatal("the handler never saw its client go")
			}
			waitFor(t, func() bool {
				list, _ := s.Store.List(context.Background(), toolbar.ListFilter{})
				return len(list) == 2 && strings.HasPrefix(list[0].Path, "/endless")
			})
			checkServing(t, s)
			s.Client().CloseIdleConnections()
			waitFor(t, func() bool { return runtime.NumGoroutine() <= before+2 })
		})
	}
}
