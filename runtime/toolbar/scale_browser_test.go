package toolbar_test

import (
	"fmt"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"

	"github.com/go-ddt/ddt/internal/browsertest"
	"github.com/go-ddt/ddt/runtime/toolbar"
)

// TestScaleBrowser opens the Feature Flags panel of a page that evaluated
// 10,000 flags in one loop, in a real browser. The rows come a page of 500
// at a time, every one of them reachable through the pager; a stack trace
// near the end (sent once by the server, copied by the script when asked
// for) opens with the mouse and the keyboard; and the toolbar stays usable
// afterwards.
func TestScaleBrowser(t *testing.T) {
	const n, page = 10_000, 500
	b := browsertest.Start(t)
	srv := httptest.NewServer(toolbar.Middleware(scaleApp(), scaleOptions()))
	defer srv.Close()
	u := &toolbarTab{Tab: b.NewTab(t), t: t, base: srv.URL}
	u.load("/flags/" + strconv.Itoa(n))
	if got, want := u.text(`.ddt-nav-item[data-panel="featureflags"] .ddt-nav-subtitle`), strconv.Itoa(n)+" evaluations"; got != want {
		t.Errorf("Feature Flags subtitle = %q, want %q", got, want)
	}
	u.openPanel("featureflags")

	const rows = ".ddt-panel-body tbody tr"
	status := func() string { return u.text(".ddt-pager-status") }
	if got := u.count(rows); got != page {
		t.Fatalf("%d rows on the first page, want %d", got, page)
	}
	if got, want := status(), "Rows 1–500 of 10000"; got != want {
		t.Errorf("pager = %q, want %q", got, want)
	}
	if u.count(".ddt-pager") != 2 || !u.has(".ddt-pager-prev:disabled") || u.has(".ddt-pager-next:disabled") {
		t.Errorf("on the first page: %d pagers, Previous disabled %v, Next disabled %v; want 2, true, false",
			u.count(".ddt-pager"), u.has(".ddt-pager-prev:disabled"), u.has(".ddt-pager-next:disabled"))
	}

	// Next, page after page: every row once, in order, with its stack
	// trace's toggle (the first row's own, the others' a copy's).
	numbers := browsertest.Eval[[]int](u.Tab, `(() => {
		const root = `+toolbarRoot+`, seen = [];
		for (;;) {
			for (const tr of root.querySelectorAll(`+jsString(rows)+`)) {
				const toggle = tr.querySelector(".ddt-stack > summary, .ddt-stack-same[role=button]");
				seen.push(toggle && toggle.textContent === "View stack trace" ? Number(tr.cells[0].textContent) : -1);
			}
			const next = root.querySelector(".ddt-pager-next");
			if (next.disabled || seen.length > `+strconv.Itoa(2*n)+`) return seen;
			next.click();
		}
	})()`)
	if len(numbers) != n {
		t.Fatalf("the pages hold %d rows, want %d", len(numbers), n)
	}
	for i, got := range numbers {
		if got != i+1 {
			t.Fatalf("row %d of the pages is #%d (-1: without a stack trace), want #%d", i+1, got, i+1)
		}
	}
	if got, want := status(), "Rows 9501–10000 of 10000"; got != want {
		t.Errorf("pager on the last page = %q, want %q", got, want)
	}
	u.click(".ddt-pager-first")
	if got := status(); got != "Rows 1–500 of 10000" {
		t.Errorf("pager after First = %q", got)
	}
	u.click(".ddt-pager:last-of-type .ddt-pager-last")
	if got := u.text(rows + ":last-child td"); got != strconv.Itoa(n) {
		t.Errorf("last row after Last = #%s, want #%d", got, n)
	}
	for _, i := range []int{n - page + 1, n} {
		row := browsertest.Eval[string](u.Tab, `Array.from(`+toolbarRoot+`.querySelectorAll(`+jsString(rows)+`)[`+strconv.Itoa((i-1)%page)+`].cells).slice(0, 3).map(c => c.textContent.trim()).join(" | ")`)
		if want := strconv.Itoa(i) + " | flag-" + strconv.Itoa(i) + " | " + strconv.FormatBool(len("flag-"+strconv.Itoa(i))%2 == 0); row != want {
			t.Errorf("row %d = %q, want %q", i, row, want)
		}
	}

	// A stack trace near the end opens with the mouse, with the app's own
	// frames showing and the library frames behind their toggle.
	row := rows + ":nth-child(" + strconv.Itoa(page-5) + ")"
	stack := row + " .ddt-stack"
	if u.has(row+" .ddt-frame") || !u.visible(row+" .ddt-stack-same") {
		t.Fatal("the row has frames before its stack trace is opened, or no toggle")
	}
	u.click(row + " .ddt-stack-same")
	u.waitFor("the stack trace to open", stack+"[open] .ddt-frame")
	first := u.text(stack + " .ddt-frame:not(.ddt-frame-hidden)")
	if !strings.Contains(first, "toolbar_test.scaleEvaluateFlags") || !strings.Contains(first, "scale_bench_test.go:") {
		t.Errorf("first visible frame = %q, want the loop that evaluated the flags", first)
	}
	if !u.visible(stack + " .ddt-frame:not(.ddt-frame-hidden)") {
		t.Error("the app's frame is not visible in the open stack trace")
	}
	if u.visible(stack + " .ddt-frame-hidden") {
		t.Error("library frames are visible before asking for them")
	}
	u.click(stack + " .ddt-frames-toggle")
	if !u.visible(stack + " .ddt-frame-hidden") {
		t.Error("library frames stay hidden after Show")
	}
	if n := u.count(".ddt-stack[open]"); n != 1 {
		t.Errorf("%d stack traces open, want the one clicked", n)
	}
	u.click(stack + " > summary")
	if u.visible(stack + " .ddt-frame") {
		t.Error("the stack trace did not close")
	}

	// The keyboard opens the next ones, with Enter or Space.
	for i, key := range []string{kb.Enter, " "} {
		next := rows + ":nth-child(" + strconv.Itoa(page-4+i) + ")"
		browsertest.Eval[bool](u.Tab, toolbarRoot+`.querySelector(`+jsString(next+" .ddt-stack-same")+`).focus() === undefined`)
		u.key(key)
		u.waitFor(fmt.Sprintf("the stack trace opened with %q", key), next+" .ddt-stack[open] .ddt-frame")
		if got := browsertest.Eval[string](u.Tab, toolbarRoot+`.activeElement.textContent`); got != "View stack trace" {
			t.Errorf("focus after %q is on %q, want the stack trace's summary", key, got)
		}
	}

	// Esc closes the panel; another panel opens after it, and this one again.
	u.key(kb.Escape)
	if u.visible(".ddt-panel") {
		t.Fatal("the panel is still open after Esc")
	}
	u.openPanel("request")
	if got := u.text(".ddt-panel-body"); !strings.Contains(got, "/flags/"+strconv.Itoa(n)) {
		t.Errorf("Request panel after the flags: %.200q", got)
	}
	u.openPanel("featureflags")
	if got := status(); got != "Rows 1–500 of 10000" {
		t.Errorf("pager when opened again = %q", got)
	}
	u.noJSErrors(t)

	// Ten rows: one page, the first row with the stack trace, the others
	// with a toggle for a copy.
	u.load("/flags/10")
	u.openPanel("featureflags")
	shown, stacks, toggles, pagers := u.count(rows), u.count(rows+" .ddt-stack > summary"), u.count(`.ddt-stack-same[role="button"]`), u.count(".ddt-pager")
	if shown != 10 || stacks != 1 || toggles != 9 || pagers != 0 {
		t.Errorf("10 flags: %d rows, %d stack traces, %d toggles for copies, %d pagers; want 10, 1, 9, 0", shown, stacks, toggles, pagers)
	}
	u.click(rows + ":last-child .ddt-stack-same")
	u.waitFor("the last stack trace to open", rows+":last-child .ddt-stack[open] .ddt-frame")
	if !u.visible(rows+":last-child .ddt-frame:not(.ddt-frame-hidden)") || u.visible(rows+":first-child .ddt-frame") {
		t.Error("opening the last row's stack trace did not show its frames, or showed the first row's")
	}
	u.noJSErrors(t)
}

// BenchmarkFlagsPanelInBrowser opens the Feature Flags panel of a page that
// evaluated n flags in a real browser. ms/open is the time from the click
// to the frame after the content is in place, measured in the page: the
// fetch of the panel's HTML, the server's render, parsing, sanitizing, the
// first page of rows and its layout. ms/next-page is the time from a click
// on Next to the frame that shows the next 500 rows. Each iteration loads
// the page again, so nothing is cached.
func BenchmarkFlagsPanelInBrowser(b *testing.B) {
	browser := browsertest.Start(b)
	srv := httptest.NewServer(toolbar.Middleware(scaleApp(), scaleOptions()))
	defer srv.Close()
	for _, n := range scaleSizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			var total, paging float64
			tab := browser.NewTab(b)
			for b.Loop() {
				tab.Navigate(srv.URL + "/flags/" + strconv.Itoa(n))
				btn := toolbarRoot + `.querySelector('.ddt-nav-btn[data-panel="featureflags"]')`
				tab.WaitJS("the panel list", `document.querySelector("ddt-toolbar") && `+btn)
				total += browsertest.Eval[float64](tab, `new Promise(done => {
					const root = `+toolbarRoot+`.querySelector(".ddt-root");
					const t0 = performance.now();
					new MutationObserver((_, obs) => {
						if (root.getAttribute("data-ddt-loaded") !== "featureflags") return;
						obs.disconnect();
						requestAnimationFrame(() => setTimeout(() => done(performance.now() - t0)));
					}).observe(root, {attributes: true, attributeFilter: ["data-ddt-loaded"]});
					`+btn+`.click();
				})`)
				if got, want := browsertest.Eval[int](tab, toolbarRoot+`.querySelectorAll(".ddt-panel-body tbody tr").length`), min(n, 500); got != want {
					b.Fatalf("%d rows on show, want %d", got, want)
				}
				if n > 500 {
					paging += browsertest.Eval[float64](tab, `new Promise(done => {
						const t0 = performance.now();
						`+toolbarRoot+`.querySelector(".ddt-pager-next").click();
						requestAnimationFrame(() => setTimeout(() => done(performance.now() - t0)));
					})`)
					if got := browsertest.Eval[string](tab, toolbarRoot+`.querySelector(".ddt-pager-status").textContent`); got != "Rows 501–1000 of "+strconv.Itoa(n) {
						b.Fatalf("pager after Next = %q", got)
					}
				}
			}
			b.ReportMetric(total/float64(b.N), "ms/open")
			if n > 500 {
				b.ReportMetric(paging/float64(b.N), "ms/next-page")
			}
		})
	}
}
