package toolbar_test

import (
	"context"
	"fmt"
	"github.com/go-ddt/ddt/runtime/event"
	"github.com/go-ddt/ddt/runtime/internal/bus"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/go-ddt/ddt/internal/browsertest"
	ddtrt "github.com/go-ddt/ddt/runtime/ddtrt"
	"github.com/go-ddt/ddt/runtime/toolbar"
)

var callsSiteReserve = ddtrt.Site{
	Kind: "inventory-reservation", Func: "toolbar_test.(*WarehouseInventoryService).ReserveStockForCustomerOrder",
	File: "runtime/toolbar/calls_browser_test.go", Params: []string{"ctx", "sku", "note"}, Results: []string{"", ""},
	Ctx: 0, Req: -1, NameArg: -1,
}

// callsReserve is a marked function with a long name, a kind of its own
// (which only the Calls panel receives), long arguments and an error.
func callsReserve(ctx context.Context, sku, note string) (__ddt_r0 int, __ddt_r1 error) {
	if ddtrt.Active() {
		__ddt_c := ddtrt.Enter(&callsSiteReserve, ctx, sku, note)
		defer func() { __ddt_c.Exit(recover(), __ddt_r0, __ddt_r1) }()
	}
	return 0, &url.Error{Op: "Post", URL: "http://inventory.internal/reserve?sku=" + sku, Err: fmt.Errorf("connection refused")}
}

// TestCallsPanelLayout opens the Calls panel of a page whose calls have
// long function names, long kinds and long arguments, in a window of
// laptop width: function names and kinds stay whole words (not cut
// mid-identifier by a cramped column), and the error result reads as its
// message. DDT_SCREENSHOT_CALLS=file.png saves a picture of it.
func TestCallsPanelLayout(t *testing.T) {
	b := browsertest.Start(t)
	// An event of no request, as ddtrt records one, with its reason.
	pcs := make([]uintptr, 32)
	pcs = pcs[:runtime.Callers(1, pcs)]
	bus.RecordUnattributed(&event.Event{Kind: "trace", Func: callsSiteReserve.Func, Goroutine: 77, Stack: pcs,
		Unattributed: "no context argument, on a goroutine no request started"})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		for _, sku := range []string{"SKU-0001-BLUE-WIDGET-LARGE", "SKU-0002"} {
			callsReserve(r.Context(), sku, strings.Repeat("a long note about this reservation, ", 6))
		}
		browserEcho(r.Context(), strings.Repeat("x", 300))
		browserFlag(r.Context(), "redesigned-dashboard")
		browserPage(w, "Calls", "", "<main><p>calls</p></main>")
	})
	srv := httptest.NewServer(toolbar.Middleware(mux, toolbar.Options{Enable: toolbar.On}))
	defer srv.Close()
	u := &toolbarTab{Tab: b.NewTab(t), t: t, base: srv.URL}
	u.Do(chromedp.EmulateViewport(1280, 800))
	u.load("/")
	u.openPanel("calls")
	if got := u.count(".ddt-panel-body table:first-of-type tbody tr"); got != 3 {
		t.Fatalf("%d rows, want 3", got)
	}
	u.click(".ddt-panel-body tbody tr:first-child .ddt-stack > summary")
	u.waitFor("the stack trace to open", ".ddt-panel-body tbody tr:first-child .ddt-stack[open]")
	if path := os.Getenv("DDT_SCREENSHOT_CALLS"); path != "" {
		u.Screenshot(path)
	}

	// Names may wrap between their parts (at a <wbr>, which splits the
	// text into separate text nodes) or at a hyphen, never inside a word:
	// each run of letters of a text node lies on one line.
	broken := browsertest.Eval[[]string](u.Tab, `(() => {
		const out = [];
		for (const e of `+toolbarRoot+`.querySelectorAll(
			".ddt-calls-kind code, .ddt-calls-func code, .ddt-calls-stack .ddt-frame:not(.ddt-frame-hidden) .ddt-func")) {
			for (const n of e.childNodes) {
				if (n.nodeType !== Node.TEXT_NODE) continue;
				for (const m of n.data.matchAll(/[A-Za-z0-9_]+/g)) {
					const r = document.createRange();
					r.setStart(n, m.index);
					r.setEnd(n, m.index + m[0].length);
					const lines = new Set(Array.from(r.getClientRects(), q => Math.round(q.top)));
					if (lines.size > 1) out.push(m[0] + " in " + e.textContent);
				}
			}
		}
		return out;
	})()`)
	if len(broken) > 0 {
		t.Errorf("words broken across lines: %q", broken)
	}
	body := toolbarRoot + `.querySelector(".ddt-panel-body")`
	if w := browsertest.Eval[[]int](u.Tab, `[`+body+`.scrollWidth, `+body+`.clientWidth]`); w[0] > w[1] {
		t.Errorf("the panel scrolls sideways: content %d px wide in %d px", w[0], w[1])
	}
	if got := u.text(".ddt-panel-body tbody tr:first-child td:nth-child(6)"); !strings.Contains(got, `connection refused`) {
		t.Errorf("results = %q, want the error's message", got)
	}
	// The events of no request say why, and on which goroutine.
	reason := browsertest.Eval[[]string](u.Tab, `Array.from(`+toolbarRoot+`.querySelectorAll(".ddt-calls-via"), e => e.textContent)`)
	if !slices.Contains(reason, "no context argument, on a goroutine no request started g77") {
		t.Errorf("Via cells %q, want the unattributed event's reason and goroutine", reason)
	}
	if path := os.Getenv("DDT_SCREENSHOT_CALLS"); path != "" {
		browsertest.Eval[bool](u.Tab, toolbarRoot+`.querySelector("h4.ddt-warn").scrollIntoView() === undefined`)
		u.Screenshot(strings.TrimSuffix(path, ".png") + "-unattributed.png")
	}
	u.noJSErrors(t)
}
