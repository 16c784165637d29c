package toolbar

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/go-ddt/ddt/runtime/panel"
)

// maxBuffered is the largest page the toolbar holds back to inject into;
// a larger one is passed through as it is written.
const maxBuffered = 32 << 20

// writeMode says what a responseWriter does with what the handler writes.
type writeMode uint8

const (
	undecided   writeMode = iota // nothing written yet
	buffering                    // an HTML page: held until the handler returns
	passthrough                  // headers sent; body bytes go straight through
	hijacked                     // the handler owns the connection
)

// responseWriter stands between a recorded request's handler and the real
// ResponseWriter. It holds back HTML pages so the toolbar can be injected,
// and passes everything else through, unbuffered, as it is written: a
// response whose first bytes are not HTML, a flushed one, a hijacked one.
type responseWriter struct {
	w        http.ResponseWriter
	method   string
	rec      *recording
	mode     writeMode
	status   int
	buf      *bytes.Buffer // the page held back, while buffering
	size     int64
	streamed bool
}

// Unwrap lets http.ResponseController reach the real ResponseWriter for
// deadlines and full duplex.
func (rw *responseWriter) Unwrap() http.ResponseWriter { return rw.w }

func (rw *responseWriter) Header() http.Header { return rw.w.Header() }

func (rw *responseWriter) WriteHeader(code int) {
	switch {
	case rw.mode == hijacked:
		return
	case rw.mode == passthrough:
		rw.w.WriteHeader(code) // superfluous; net/http says so in its log
		return
	case code >= 100 && code <= 199 && code != http.StatusSwitchingProtocols:
		rw.w.WriteHeader(code) // informational: sent at once, more may follow
		return
	case code < 100 || code > 999:
		panic(fmt.Sprintf("invalid WriteHeader code %v", code))
	case rw.status == 0:
		rw.status = code
	}
}

func (rw *responseWriter) Write(p []byte) (int, error) {
	switch rw.mode {
	case hijacked:
		return 0, http.ErrHijacked
	case undecided:
		if len(p) == 0 {
			return 0, nil // nothing to decide on yet, as for net/http's sniffing
		}
		rw.decide(p)
	}
	rw.size += int64(len(p))
	if rw.mode == buffering {
		if rw.buf == nil {
			rw.buf = buffers.Get().(*bytes.Buffer)
		}
		if rw.buf.Len()+len(p) <= maxBuffered {
			return rw.buf.Write(p)
		}
		if err := rw.startPassthrough(); err != nil {
			return 0, err
		}
	}
	return rw.w.Write(p)
}

// decide looks at the first bytes of the body: an HTML page that can take
// the toolbar is held back; anything else goes through from now on.
func (rw *responseWriter) decide(p []byte) {
	if rw.status == 0 {
		rw.status = http.StatusOK
	}
	h := rw.w.Header()
	// Sniff as net/http would, so the decision sees the same type.
	if _, set := h["Content-Type"]; !set && len(p) > 0 && h.Get("Transfer-Encoding") == "" && bodyAllowed(rw.status) {
		h.Set("Content-Type", http.DetectContentType(p))
	}
	if injectable(rw.method, rw.status, h) {
		rw.mode = buffering
		return
	}
	if !rw.rec.h.recordAssets && assetType(h.Get("Content-Type")) {
		// An asset is not stored (see finish): no id for the toolbar's
		// script to look up.
		h.Del(RequestIDHeader)
	}
	rw.startPassthrough()
}

// startPassthrough sends the headers, with the Server-Timing so far, and
// whatever was held back.
func (rw *responseWriter) startPassthrough() error {
	rw.mode = passthrough
	if rw.status == 0 {
		rw.status = http.StatusOK
	}
	rw.w.Header().Add("Server-Timing", rw.rec.serverTiming())
	rw.w.WriteHeader(rw.status)
	if rw.buf == nil {
		return nil
	}
	_, err := rw.w.Write(rw.buf.Bytes())
	rw.releaseBuffer()
	return err
}

// buffers hold pages back; pooled, since a page is often large and the
// next request's page about as large.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooled is the largest buffer kept for reuse.
const maxPooled = 4 << 20

func (rw *responseWriter) releaseBuffer() {
	if rw.buf == nil {
		return
	}
	if rw.buf.Cap() <= maxPooled {
		rw.buf.Reset()
		buffers.Put(rw.buf)
	}
	rw.buf = nil
}

// FlushError sends everything written so far and makes the rest of the
// response pass through: a handler that flushes is streaming.
func (rw *responseWriter) FlushError() error {
	switch rw.mode {
	case hijacked:
		return http.ErrHijacked
	case undecided, buffering:
		if err := rw.startPassthrough(); err != nil {
			return err
		}
	}
	rw.streamed = true
	return http.NewResponseController(rw.w).Flush()
}

// Flush implements http.Flusher.
func (rw *responseWriter) Flush() { _ = rw.FlushError() }

// Hijack implements http.Hijacker when the real ResponseWriter can.
func (rw *responseWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, brw, err := http.NewResponseController(rw.w).Hijack()
	if err == nil {
		rw.mode = hijacked
		rw.releaseBuffer()
	}
	return conn, brw, err
}

// CloseNotify implements the deprecated http.CloseNotifier, which some
// routers still call on the writer they are given.
func (rw *responseWriter) CloseNotify() <-chan bool {
	if cn, ok := rw.w.(http.CloseNotifier); ok {
		return cn.CloseNotify()
	}
	return make(chan bool)
}

// response describes what the handler wrote, for GenerateStats.
func (rw *responseWriter) response(start time.Time, d time.Duration, panicked bool) *panel.Response {
	status := rw.status
	if status == 0 && rw.mode != hijacked && !panicked {
		status = http.StatusOK
	}
	h := rw.w.Header()
	return &panel.Response{
		Status:      status,
		Header:      h,
		Size:        rw.size,
		ContentType: h.Get("Content-Type"),
		Start:       start,
		Duration:    d,
		Streamed:    rw.streamed,
		Hijacked:    rw.mode == hijacked,
		Panicked:    panicked,
	}
}

// finish writes what is still held back once the handler has returned,
// with tag injected before the page's last </body>.
func (rw *responseWriter) finish(tag []byte) {
	switch rw.mode {
	case hijacked, passthrough:
		return
	case undecided:
		rw.startPassthrough()
		return
	}
	if rw.buf == nil {
		rw.startPassthrough() // an HTML response with no body
		return
	}
	body := rw.buf.Bytes()
	at := lastBodyClose(body)
	if at < 0 {
		rw.startPassthrough()
		return
	}
	h := rw.w.Header()
	h.Set("Content-Length", strconv.Itoa(len(body)+len(tag)))
	h.Add("Server-Timing", rw.rec.serverTiming())
	rw.mode = passthrough
	rw.w.WriteHeader(rw.status)
	rw.w.Write(body[:at])
	rw.w.Write(tag)
	rw.w.Write(body[at:])
	rw.releaseBuffer()
}
