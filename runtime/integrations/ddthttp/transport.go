package ddthttp

import (
	"crypto/tls"
	"github.com/go-ddt/ddt/runtime/event"
	"github.com/go-ddt/ddt/runtime/integrations/internal/callers"
	"github.com/go-ddt/ddt/runtime/redact"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Kind is the event kind of outbound requests; the Outbound HTTP panel
// lists it.
const Kind = "outbound"

// Transport returns a RoundTripper that records the requests that next
// sends (http.DefaultTransport when nil).
func Transport(next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return &transport{next: next}
}

// Client returns a copy of c (or of http.DefaultClient when nil) whose
// transport records its requests.
func Client(c *http.Client) *http.Client {
	if c == nil {
		c = http.DefaultClient
	}
	c2 := *c
	c2.Transport = Transport(c.Transport)
	return &c2
}

type transport struct {
	next http.RoundTripper
}

// skipper drops the frames of net/http and ddthttp, so that a request's
// stack starts where the application sent it.
var skipper = callers.NewSkipper("net/http", "net/url", "github.com/go-ddt/ddt/runtime/integrations/ddthttp")

// Unwrap returns the wrapped transport.
func (t *transport) Unwrap() http.RoundTripper { return t.next }

// CloseIdleConnections closes the idle connections of the wrapped
// transport, for http.Client.CloseIdleConnections.
func (t *transport) CloseIdleConnections() {
	if c, ok := t.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !event.Active() {
		return t.next.RoundTrip(req)
	}
	x := &exchange{req: req, start: time.Now(), stack: skipper.Capture(0)}
	traced := req.WithContext(httptrace.WithClientTrace(req.Context(), x.trace()))
	if req.Body != nil && req.Body != http.NoBody {
		traced.Body = &countingBody{ReadCloser: req.Body, n: &x.reqBytes}
	}
	resp, err := t.next.RoundTrip(traced)
	if err != nil || resp.Body == nil || resp.Body == http.NoBody || resp.StatusCode == http.StatusSwitchingProtocols {
		x.finish(resp, err)
		return resp, err
	}
	resp.Body = &recordingBody{ReadCloser: resp.Body, x: x, resp: resp}
	return resp, nil
}

// exchange is one request being recorded.
type exchange struct {
	req      *http.Request
	start    time.Time
	stack    []uintptr
	reqBytes atomic.Int64
	once     sync.Once

	mu                      sync.Mutex // the trace's hooks run on the transport's goroutines
	dnsStart, dnsDone       time.Time
	connectStart, connected time.Time
	tlsStart, tlsDone       time.Time
	firstByte               time.Time
	reused                  bool
}

func (x *exchange) trace() *httptrace.ClientTrace {
	at := func(t *time.Time) {
		x.mu.Lock()
		if t.IsZero() {
			*t = time.Now()
		}
		x.mu.Unlock()
	}
	return &httptrace.ClientTrace{
		DNSStart:          func(httptrace.DNSStartInfo) { at(&x.dnsStart) },
		DNSDone:           func(httptrace.DNSDoneInfo) { at(&x.dnsDone) },
		ConnectStart:      func(string, string) { at(&x.connectStart) },
		ConnectDone:       func(_, _ string, err error) { at(&x.connected) },
		TLSHandshakeStart: func() { at(&x.tlsStart) },
		TLSHandshakeDone:  func(tls.ConnectionState, error) { at(&x.tlsDone) },
		GotConn: func(i httptrace.GotConnInfo) {
			x.mu.Lock()
			x.reused = i.Reused
			x.mu.Unlock()
		},
		GotFirstResponseByte: func() { at(&x.firstByte) },
	}
}

// finish records the exchange, once.
func (x *exchange) finish(resp *http.Response, err error, respBytes ...int64) {
	x.once.Do(func() { x.record(resp, err, respBytes) })
}

func (x *exchange) record(resp *http.Response, err error, respBytes []int64) {
	r := x.req
	u := redactURL(r.URL)
	e := event.New()
	*e = event.Event{
		Kind:     Kind,
		Name:     r.Method + " " + u,
		Start:    x.start,
		Duration: time.Since(x.start),
		Stack:    x.stack,
	}
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	e.Args = append(e.Args, event.NewField("method", method), event.NewField("url", u))
	e.Args = append(e.Args, headersField(r.Header))
	status := 0
	if resp != nil {
		status = resp.StatusCode
	}
	e.Results = append(e.Results, event.NewField("status", status))
	if resp != nil {
		e.Results = append(e.Results, event.NewField("proto", resp.Proto))
	}
	if err != nil {
		msg := err.Error()
		e.Results = append(e.Results, event.Field{Name: "err", Value: strconv.Quote(msg), Raw: msg})
	}
	e.Results = append(e.Results, event.NewField("req_bytes", x.reqBytes.Load()))
	if len(respBytes) > 0 {
		e.Results = append(e.Results, event.NewField("resp_bytes", respBytes[0]))
	}
	x.mu.Lock()
	e.Results = append(e.Results,
		event.NewField("reused", x.reused),
		phase("dns", x.dnsStart, x.dnsDone),
		phase("connect", x.connectStart, x.connected),
		phase("tls", x.tlsStart, x.tlsDone),
		phase("ttfb", x.start, x.firstByte),
	)
	x.mu.Unlock()
	if resp != nil {
		e.Results = append(e.Results, headersField(resp.Header))
	}
	event.Emit(r.Context(), e)
	event.Release(e)
}

// headersField is the field "headers" of h, redacted: in the arguments,
// the request's; in the results, the response's.
func headersField(h http.Header) event.Field {
	pairs := redact.HeaderPairs(h)
	hs := make(event.Headers, len(pairs))
	for i, p := range pairs {
		hs[i] = event.Header{Name: p.Name, Value: p.Value}
	}
	return event.HeadersField("headers", hs)
}

// phase is the duration from start to end, or -1 when the phase did not
// happen (a reused connection has no DNS, connect or TLS phase).
func phase(name string, start, end time.Time) event.Field {
	d := time.Duration(-1)
	if !start.IsZero() && !end.IsZero() {
		d = max(end.Sub(start), 0)
	}
	return event.Field{Name: name, Value: d.String(), Raw: int64(d)}
}

// redactURL returns u without credentials, with secret-looking query
// values redacted.
func redactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	if u.Opaque != "" {
		return u.Scheme + ":" + u.Opaque
	}
	s := ""
	if u.Scheme != "" {
		s = u.Scheme + "://"
	}
	return s + u.Host + redact.RedactURI(u)
}

// countingBody counts the bytes of the request body the transport sends.
type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

// recordingBody counts the response body and records the exchange when it
// has been read to the end or closed.
type recordingBody struct {
	io.ReadCloser
	x    *exchange
	resp *http.Response
	n    int64
}

func (b *recordingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n += int64(n)
	if err == io.EOF {
		b.x.finish(b.resp, nil, b.n)
	} else if err != nil {
		b.x.finish(b.resp, err, b.n)
	}
	return n, err
}

func (b *recordingBody) Close() error {
	err := b.ReadCloser.Close()
	b.x.finish(b.resp, nil, b.n)
	return err
}
