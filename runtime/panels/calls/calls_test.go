package calls_test

import (
	"context"
	"github.com/go-ddt/ddt/runtime/event"
	"github.com/go-ddt/ddt/runtime/internal/bus"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	ddtrt "github.com/go-ddt/ddt/runtime/ddtrt"
	"github.com/go-ddt/ddt/runtime/panels/calls"
	"github.com/go-ddt/ddt/runtime/toolbar"
	"github.com/go-ddt/ddt/runtime/toolbar/toolbartest"
)

var siteLookup = ddtrt.Site{Kind: "trace", Func: "calls_test.lookup", Params: []string{"ctx", "id"}, Results: []string{"name", "err"}, Ctx: 0, Req: -1, NameArg: -1}

// lookup is a //ddt:trace function, in the shape ddt generates.
func lookup(ctx context.Context, id int) (name string, err error) {
	if ddtrt.Active() {
		__ddt_c := ddtrt.Enter(&siteLookup, ctx, id)
		defer func() { __ddt_c.Exit(recover(), name, err) }()
	}
	time.Sleep(time.Millisecond)
	return "<ann>", nil
}

func TestPanel(t *testing.T) {
	stray := make(chan chan struct{})
	go func() { // a goroutine of no request
		for done := range stray {
			lookup(context.Background(), 99)
			close(done)
		}
	}()
	defer close(stray)
	// An event of no request with its reason, as ddtrt records one.
	pcs := make([]uintptr, 16)
	pcs = pcs[:runtime.Callers(1, pcs)]
	bus.RecordUnattributed(&event.Event{Kind: "trace", Func: "calls_test.orphan", Unattributed: "no context argument, on no request's goroutine", Goroutine: 77, Stack: pcs})
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		lookup(r.Context(), 7)
		toolbar.Emit(r.Context(), "cache", "user:7", "hit", false) // a kind no panel lists
		done := make(chan struct{})
		stray <- done
		<-done
		io.WriteString(w, "<html><body></body></html>")
	})
	s := toolbartest.NewServer(t, mux, toolbar.Options{})
	resp, _ := s.Get("/")
	id := s.RequestID(resp)
	if nav := s.Nav(id, "calls"); nav.NavSubtitle != "2 calls" {
		t.Errorf("subtitle %q", nav.NavSubtitle)
	}
	if st := resp.Header.Get("Server-Timing"); !strings.Contains(st, `, calls;dur=`) || !strings.HasSuffix(st, `;desc="2 calls, time any was running"`) {
		t.Errorf("Server-Timing = %q", st)
	}
	var p calls.Panel
	s.Stats(id, "calls", &p)
	if c := p.Calls[0]; c.Func != "calls_test.lookup" || c.Duration < time.Millisecond || c.Results[0].Value != `"<ann>"` {
		t.Errorf("first call %+v", c)
	}
	if p.Unattributed < 1 || p.Recent[0].Args[0].Value != "99" {
		t.Errorf("unattributed: %d, recent %+v", p.Unattributed, p.Recent)
	}
	html := s.Panel(id, "calls")
	for _, want := range []string{
		`<p class="ddt-calls-total">2 calls; `,
		`<td class="ddt-calls-func"><code>calls_test.lookup</code></td>
      <td class="ddt-calls-kind"><code>trace</code></td>
      <td class="ddt-calls-via">`,
		`<td class="ddt-calls-args"><code>id=7</code></td>
      <td class="ddt-calls-args"><code>name=&#34;&lt;ann&gt;&#34;</code>, <code>err=nil</code></td>`,
		`<td class="ddt-calls-func"><code>user:7</code></td>
      <td class="ddt-calls-kind"><code>cache</code></td>`,
		`<td class="ddt-calls-args"><code>hit=false</code></td>`,
		`belonged to no request</h4>`,
		`<code>id=99</code>`,
		// The unattributed event says why, on which goroutine, and where
		// it was made.
		`<td class="ddt-calls-func"><code>calls_test.orphan</code></td>
      <td class="ddt-calls-kind"><code>trace</code></td>
      <td class="ddt-calls-via"><span class="ddt-warn">no context argument, on no request&#39;s goroutine</span> <span class="ddt-muted" title="goroutine 77">g77</span></td>`,
		`<code class="ddt-func">github.com/go-ddt/ddt/runtime/panels/calls_test.TestPanel</code>`,
	} {
		if !strings.Contains(withoutWbr(html), want) {
			t.Errorf("no\n%s\nin\n%s", want, html)
		}
	}
}

// withoutWbr removes the line break opportunities that stack traces put
// between the parts of qualified names and paths.
func withoutWbr(html string) string { return strings.ReplaceAll(html, "<wbr>", "") }
