package toolbar_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-ddt/ddt/runtime/toolbar"
	"github.com/go-ddt/ddt/runtime/toolbar/toolbartest"
)

func TestInjection(t *testing.T) {
	const page = "<!DOCTYPE html><html><body><p>hi</p></body></html>"
	html := func(status int, contentType, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if contentType != "" {
				w.Header().Set("Content-Type", contentType)
			}
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.WriteHeader(status)
			io.WriteString(w, body)
		}
	}
	gzipped := func() []byte {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		io.WriteString(zw, page)
		zw.Close()
		return b.Bytes()
	}()
	tests := []struct {
		name    string
		method  string
		handler http.HandlerFunc
		want    string // the body; "TAG" stands for the injected script tag
		status  int
	}{
		{name: "html", handler: html(200, "text/html; charset=utf-8", page),
			want: "<!DOCTYPE html><html><body><p>hi</p>TAG</body></html>"},
		{name: "media type in upper case", handler: html(200, "TEXT/HTML;charset=UTF-8", page),
			want: "<!DOCTYPE html><html><body><p>hi</p>TAG</body></html>"},
		{name: "xhtml", handler: html(200, "application/xhtml+xml", page),
			want: "<!DOCTYPE html><html><body><p>hi</p>TAG</body></html>"},
		{name: "sniffed html", handler: html(200, "", page),
			want: "<!DOCTYPE html><html><body><p>hi</p>TAG</body></html>"},
		{name: "error page", handler: html(500, "text/html", page), status: 500,
			want: "<!DOCTYPE html><html><body><p>hi</p>TAG</body></html>"},
		{name: "last of several </BODY> in any case", handler: html(200, "text/html", "<body>a</BODY>b</Body>c</body >d"),
			want: "<body>a</BODY>bTAG</Body>c</body >d"},
		{name: "no </body>", handler: html(200, "text/html", "<p>a fragment</p>"),
			want: "<p>a fragment</p>"},
		{name: "json", handler: html(200, "application/json", `{"a":"</body>"}`),
			want: `{"a":"</body>"}`},
		{name: "plain text", handler: html(200, "text/plain", page),
			want: page},
		{name: "gzip encoded", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gzipped)
		}, want: string(gzipped)},
		{name: "HEAD", method: "HEAD", handler: html(200, "text/html", page), want: ""},
		{name: "204", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(204)
		}, status: 204, want: ""},
		{name: "304", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(304)
		}, status: 304, want: ""},
		{name: "written in pieces", handler: func(w http.ResponseWriter, r *http.Request) {
			for _, part := range []string{"", "<html><bo", "dy>x</bo", "dy></html>"} {
				io.WriteString(w, part)
			}
		}, want: "<html><body>xTAG</body></html>"},
		{name: "flushed", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "<html><body>")
			w.(http.Flusher).Flush()
			io.WriteString(w, "streamed</body></html>")
		}, want: "<html><body>streamed</body></html>"},
	}
	s := toolbartest.NewServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, tt := range tests {
			if r.URL.Query().Get("case") == tt.name {
				tt.handler(w, r)
			}
		}
	}), toolbar.Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := tt.method
			if method == "" {
				method = "GET"
			}
			req, _ := http.NewRequest(method, s.URL+"/?case="+urlQueryEscape(tt.name), nil)
			req.Header.Set("Accept-Encoding", "identity") // see the gzip body as sent
			resp, body := s.Do(req)
			id := s.RequestID(resp)
			tag := fmt.Sprintf(`<script src="/__debug__/static/toolbar.js" data-ddt-request="%s" data-ddt-prefix="/__debug__/" defer="defer"></script>`, id)
			if want := strings.ReplaceAll(tt.want, "TAG", tag); string(body) != want {
				t.Errorf("body\n got %q\nwant %q", body, want)
			}
			if want := max(tt.status, 200); resp.StatusCode != want {
				t.Errorf("status %d, want %d", resp.StatusCode, want)
			}
			if method != "HEAD" && resp.StatusCode != 204 && resp.StatusCode != 304 {
				if cl := resp.Header.Get("Content-Length"); cl != "" && cl != strconv.Itoa(len(body)) {
					t.Errorf("Content-Length %s for %d bytes", cl, len(body))
				}
			}
			if st := resp.Header.Get("Server-Timing"); !strings.HasPrefix(st, "total;dur=") {
				t.Errorf("Server-Timing = %q", st)
			}
			if _, err := s.Store.Get(t.Context(), id); err != nil {
				t.Errorf("request not stored: %v", err)
			}
		})
	}
}

func urlQueryEscape(s string) string {
	return strings.NewReplacer(" ", "+", "<", "%3C", "/", "%2F", ">", "%3E").Replace(s)
}

func TestInjectionNonce(t *testing.T) {
	page := func(csp string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if csp != "" {
				w.Header().Set("Content-Security-Policy", csp)
			}
			io.WriteString(w, "<html><body></body></html>")
		}
	}
	mux := http.NewServeMux()
	mux.Handle("/csp", page(`default-src 'self'; script-src 'self' 'nonce-fromPage+/='; style-src 'nonce-notThis'`))
	mux.Handle("/plain", page(""))
	s := toolbartest.NewServer(t, mux, toolbar.Options{Nonce: func(r *http.Request) string { return `opt"ion` }})
	for path, want := range map[string]string{"/csp": ` nonce="fromPage+/="`, "/plain": ` nonce="opt&#34;ion"`} {
		_, body := s.Get(path)
		if !strings.Contains(string(body), ` defer="defer"`+want+`></script>`) {
			t.Errorf("%s: no %s in %s", path, want, body)
		}
	}
}

// TestStreamingPassesThrough serves an SSE-style stream: each event must
// reach the client while the handler is still running.
func TestStreamingPassesThrough(t *testing.T) {
	next := make(chan struct{})
	s := toolbartest.NewServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		rc := http.NewResponseController(w)
		for i := range 3 {
			fmt.Fprintf(w, "data: %d\n\n", i)
			if err := rc.Flush(); err != nil {
				t.Errorf("Flush: %v", err)
			}
			select {
			case <-next:
			case <-time.After(10 * time.Second):
				t.Error("the client never read the event: the stream was held back")
				return
			}
		}
	}), toolbar.Options{})
	resp, err := s.Client().Get(s.URL + "/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	id := s.RequestID(resp)
	lines := bufio.NewReader(resp.Body)
	for i := range 3 {
		line, err := lines.ReadString('\n')
		if err != nil || line != fmt.Sprintf("data: %d\n", i) {
			t.Fatalf("event %d: %q, %v", i, line, err)
		}
		lines.ReadString('\n')
		next <- struct{}{}
	}
	io.Copy(io.Discard, resp.Body)
	// The stats are saved after the handler returns, just after the body ends.
	waitFor(t, func() bool { _, err := s.Store.Get(context.Background(), id); return err == nil })
	if d := s.Detail(id); !d.Streamed || d.XHR != true {
		t.Errorf("summary of a stream: %+v", d.Summary)
	}
}

func TestHijackAndResponseController(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/hijack", func(w http.ResponseWriter, r *http.Request) {
		conn, brw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Errorf("Hijack: %v", err)
			return
		}
		defer conn.Close()
		brw.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\nhijacked")
		brw.Flush()
	})
	mux.HandleFunc("/deadline", func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		if err := rc.SetWriteDeadline(time.Now().Add(time.Minute)); err != nil {
			t.Errorf("SetWriteDeadline through the toolbar: %v", err)
		}
		if err := rc.EnableFullDuplex(); err != nil {
			t.Errorf("EnableFullDuplex through the toolbar: %v", err)
		}
		io.WriteString(w, "<html><body>ok</body></html>")
	})
	s := toolbartest.NewServer(t, mux, toolbar.Options{})
	resp, body := s.Get("/hijack")
	if string(body) != "hijacked" || resp.Header.Get(toolbar.RequestIDHeader) != "" {
		t.Errorf("hijacked response: %q, headers %v", body, resp.Header)
	}
	list, _ := s.Store.List(t.Context(), toolbar.ListFilter{})
	waitFor(t, func() bool { list, _ = s.Store.List(t.Context(), toolbar.ListFilter{}); return len(list) == 1 })
	if !list[0].Hijacked || list[0].Status != 0 {
		t.Errorf("summary of a hijacked request: %+v", list[0])
	}
	resp, body = s.Get("/deadline")
	if !strings.Contains(string(body), "data-ddt-request="+strconv.Quote(s.RequestID(resp))) {
		t.Errorf("page after ResponseController calls: %s", body)
	}
}

// waitFor polls cond for up to 5 s: for what happens just after a
// response's body has been read.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
