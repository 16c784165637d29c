package outbound_test

import (
	"encoding/json"
	"github.com/go-ddt/ddt/runtime/event"
	"github.com/go-ddt/ddt/runtime/panel"
	"github.com/go-ddt/ddt/runtime/panels/outbound"
	"net/http"
	"strings"
	"testing"
	"time"
)

func exchange(url string, status int, err string) *panel.Event {
	e := &panel.Event{Kind: "outbound", Name: "GET " + url, Start: time.Now(), Duration: 20 * time.Millisecond,
		Args: []event.Field{event.NewField("method", "GET"), event.NewField("url", url), event.HeadersField("headers", event.Headers{{Name: "Accept", Value: "<html>"}})},
		Results: []event.Field{
			event.NewField("status", status), event.NewField("proto", "HTTP/1.1"), event.NewField("req_bytes", int64(0)),
			event.NewField("resp_bytes", int64(12)), event.NewField("reused", true),
			{Name: "dns", Value: "-1ns", Raw: int64(-1)}, {Name: "connect", Value: "-1ns", Raw: int64(-1)},
			{Name: "tls", Value: "-1ns", Raw: int64(-1)}, {Name: "ttfb", Value: "5ms", Raw: int64(5 * time.Millisecond)},
			event.HeadersField("headers", event.Headers{{Name: "Content-Type", Value: "text/plain"}}),
		}}
	if err != "" {
		e.Results = append(e.Results, event.Field{Name: "err", Value: err, Raw: err})
	}
	return e
}

func TestRecordAndRender(t *testing.T) {
	p := outbound.New()
	p.Record(exchange("http://api/<a>", 200, ""))
	p.Record(exchange("http://api/b", 503, ""))
	p.Record(exchange("http://api/c", 0, "dial tcp: connection refused"))
	if st := p.ServerTiming(); len(st) != 1 || st[0].Desc != "3 requests" || st[0].Duration != 60*time.Millisecond {
		t.Errorf("Server-Timing %+v", st)
	}
	p.GenerateStats(&http.Request{}, &panel.Response{Start: time.Now().Add(-time.Second)})
	stats, _ := json.Marshal(p)
	r := outbound.New().(*outbound.Panel)
	if err := json.Unmarshal(stats, r); err != nil {
		t.Fatal(err)
	}
	if got := r.NavSubtitle(); got != "3 requests in 60.00 ms, 2 failed" {
		t.Errorf("subtitle %q", got)
	}
	if q := r.Requests[0]; q.TTFB != 5*time.Millisecond || q.DNS != -1 || !q.Reused || q.RespBytes != 12 || q.ReqHeaders[0].Value != "<html>" || q.RespHeaders[0].Name != "Content-Type" {
		t.Errorf("first request %+v", q)
	}
	var b strings.Builder
	if err := r.Template().Execute(&b, r); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	for _, want := range []string{
		`<code>GET http://api/&lt;a&gt;</code>`,
		`<span class="ddt-error">503</span>`,
		`<span class="ddt-error">dial tcp: connection refused</span>`,
		`HTTP/1.1, reused connection`,
		`<td class="ddt-num"><span class="ddt-muted">–</span></td>`,
		`<td><code>&lt;html&gt;</code></td>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("panel lacks %s", want)
		}
	}
}

func BenchmarkRecord(b *testing.B) {
	e := exchange("http://api/x", 200, "")
	p := outbound.New()
	for i := 0; b.Loop(); i++ {
		if i%1000 == 0 {
			p = outbound.New()
		}
		p.Record(e)
	}
}
