package outbound

import (
	"embed"
	"github.com/go-ddt/ddt/runtime/event"
	"github.com/go-ddt/ddt/runtime/redact"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"github.com/go-ddt/ddt/runtime/panel"
)

//go:embed outbound.html
var files embed.FS

var tmpl = panel.MustParseFS(files, "outbound.html")

// Panel lists the outbound HTTP requests of one request.
type Panel struct {
	panel.Base
	Requests []Request
	Total    time.Duration // the sum of their durations
	Errors   int           // requests that failed, or got a 5xx status
}

// Request is one outbound exchange.
type Request struct {
	Method      string
	URL         string
	Status      int
	Proto       string
	Err         string
	Offset      time.Duration // since the request started
	Duration    time.Duration // until the response body was read or closed
	DNS         time.Duration // -1: the phase did not happen
	Connect     time.Duration
	TLS         time.Duration
	TTFB        time.Duration // time to the response's first byte
	Reused      bool          // the connection was reused
	ReqBytes    int64
	RespBytes   int64
	HasResp     bool // RespBytes is known
	ReqHeaders  []redact.Pair
	RespHeaders []redact.Pair
	Stack       panel.Stack
	start       time.Time
}

// New returns an empty Outbound HTTP panel.
func New() panel.Panel { return new(Panel) }

func (*Panel) ID() string                   { return "outbound" }
func (*Panel) Title() string                { return "Outbound HTTP" }
func (*Panel) Kinds() []string              { return []string{"outbound"} }
func (*Panel) Template() *template.Template { return tmpl }

// HasContent is false for a request that sent none.
func (p *Panel) HasContent() bool { return len(p.Requests) > 0 }

// NavSubtitle sums up: "3 requests in 120.5 ms, 1 failed".
func (p *Panel) NavSubtitle() string {
	if len(p.Requests) == 0 {
		return "no requests"
	}
	s := panel.Count(len(p.Requests), "request", "requests") + " in " + panel.Milliseconds(p.Total)
	if p.Errors > 0 {
		s += ", " + strconv.Itoa(p.Errors) + " failed"
	}
	return s
}

// ServerTiming reports the requests: outbound;dur=120.5;desc="3 requests".
func (p *Panel) ServerTiming() []panel.Timing {
	if len(p.Requests) == 0 {
		return nil
	}
	return []panel.Timing{{Name: "outbound", Duration: p.Total, Desc: panel.Count(len(p.Requests), "request", "requests")}}
}

// Record keeps one exchange.
func (p *Panel) Record(e *panel.Event) {
	r := Request{Method: e.Arg("method"), URL: e.Arg("url"), Duration: e.Duration, Stack: panel.StackOf(e), start: e.Start}
	if r.URL == "" {
		r.URL = e.Name
	}
	for _, f := range e.Args {
		if h, ok := f.Raw.(event.Headers); ok && f.Name == "headers" {
			r.ReqHeaders = pairs(h)
		}
	}
	r.DNS, r.Connect, r.TLS, r.TTFB = -1, -1, -1, -1
	for _, f := range e.Results {
		switch f.Name {
		case "status":
			r.Status = int(number(f))
		case "proto":
			r.Proto = f.Text()
		case "err":
			r.Err = f.Text()
		case "req_bytes":
			r.ReqBytes = number(f)
		case "resp_bytes":
			r.RespBytes, r.HasResp = number(f), true
		case "reused":
			r.Reused = f.Raw == true
		case "dns":
			r.DNS = time.Duration(number(f))
		case "connect":
			r.Connect = time.Duration(number(f))
		case "tls":
			r.TLS = time.Duration(number(f))
		case "ttfb":
			r.TTFB = time.Duration(number(f))
		case "headers":
			if h, ok := f.Raw.(event.Headers); ok {
				r.RespHeaders = pairs(h)
			}
		}
	}
	if r.Err != "" || r.Status >= 500 {
		p.Errors++
	}
	p.Total += r.Duration
	p.Requests = append(p.Requests, r)
}

// GenerateStats places the requests in the request's time.
func (p *Panel) GenerateStats(_ *http.Request, resp *panel.Response) {
	for i := range p.Requests {
		if r := &p.Requests[i]; !r.start.IsZero() && !resp.Start.IsZero() {
			r.Offset = max(r.start.Sub(resp.Start), 0)
		}
	}
}

// StatusClass is the toolbar class for the request's outcome.
func (r Request) StatusClass() string {
	switch {
	case r.Err != "" || r.Status >= 500:
		return "ddt-error"
	case r.Status >= 400:
		return "ddt-warn"
	}
	return ""
}

func number(f panel.Field) int64 {
	switch v := f.Raw.(type) {
	case int:
		return int64(v)
	case int64:
		return v
	case float64:
		return int64(v)
	}
	n, _ := strconv.ParseInt(f.Value, 10, 64)
	return n
}

// pairs turns the headers ddthttp recorded, already redacted, into rows of
// the "ddt-kv" table.
func pairs(h event.Headers) []redact.Pair {
	out := make([]redact.Pair, len(h))
	for i, x := range h {
		out[i] = redact.Pair{Name: x.Name, Value: x.Value}
	}
	return out
}
