package cli

import (
	"context"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/go-ddt/ddt/internal/browsertest"
	"github.com/go-ddt/ddt/internal/demo"
)

const demoToolbar = `document.querySelector("ddt-toolbar").shadowRoot`

func inToolbar(css string) string {
	return demoToolbar + ".querySelector(" + strconv.Quote(css) + ")"
}

// TestDemoInBrowser opens the demo in chromium as a newcomer would: the
// toolbar is there, the Feature Flags panel lists the dashboard's five
// evaluations with their stack traces, and the students page's fetch shows
// up in History. With DDT_SCREENSHOT set, it saves the README's screenshot.
func TestDemoInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	browser := browsertest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- demo.Serve(ctx, demo.ServeOptions{Out: io.Discard, Err: io.Discard, Addr: "127.0.0.1:0", Ready: func(u string) { ready <- u }})
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("demo: %v", err)
		}
	})
	base := <-ready

	tab := browser.NewTab(t)
	tab.Do(chromedp.EmulateViewport(1280, 760))
	tab.Navigate(base)
	tab.WaitJS("the toolbar's panel list", `document.querySelector("ddt-toolbar") && `+inToolbar(`.ddt-nav-btn[data-panel="featureflags"]`))
	if got := browsertest.Eval[string](tab, inToolbar(`.ddt-nav-item[data-panel="featureflags"]`)+".textContent"); !strings.Contains(got, "5 evaluations") {
		t.Errorf("Feature Flags nav item = %q, want 5 evaluations", got)
	}
	tab.Do(chromedp.Click(chromedp.JSPath(inToolbar(`.ddt-nav-btn[data-panel="featureflags"]`))))
	tab.WaitJS("the Feature Flags panel", inToolbar(".ddt-root")+`.getAttribute("data-ddt-loaded") === "featureflags"`)
	rows := browsertest.Eval[[]string](tab, `Array.from(`+demoToolbar+`.querySelectorAll(".ddt-panel-body tbody tr"), tr => tr.cells[1].querySelector("code").textContent + "=" + tr.cells[2].textContent.trim())`)
	joined := strings.Join(rows, " ")
	for _, want := range []string{"redesigned-dashboard=true", "weekly-digest=true", "weekly-digest=false", "grade-insights=true", "attendance-widget=true"} {
		if !strings.Contains(joined, want) {
			t.Errorf("Feature Flags rows %q lack %q", rows, want)
		}
	}
	tab.Do(chromedp.Click(chromedp.JSPath(inToolbar(".ddt-panel-body details.ddt-stack summary"))))
	tab.WaitJS("an open stack trace", inToolbar(".ddt-panel-body details.ddt-stack[open] .ddt-frame .ddt-func"))
	if got := browsertest.Eval[string](tab, inToolbar(".ddt-panel-body details.ddt-stack[open] .ddt-frame:not(.ddt-frame-hidden) .ddt-func")+".textContent"); !strings.Contains(got, "(*App).dashboard") {
		t.Errorf("first frame of the first evaluation = %q, want the dashboard handler", got)
	}
	if path := os.Getenv("DDT_SCREENSHOT"); path != "" {
		tab.Screenshot(path)
	}

	// The students page loads its table with fetch: that request is in
	// History with a toolbar of its own.
	tab.Navigate(base + "students")
	tab.WaitJS("the students table", `document.querySelectorAll("#students tbody tr").length > 1`)
	tab.WaitJS("the toolbar", `document.querySelector("ddt-toolbar") && `+inToolbar(`.ddt-nav-btn[data-panel="history"]`))
	tab.Do(chromedp.Click(chromedp.JSPath(inToolbar(`.ddt-nav-btn[data-panel="history"]`))))
	tab.WaitJS("/api/students in History", `Array.from(`+demoToolbar+`.querySelectorAll(".ddt-panel-body tr")).some(tr => tr.textContent.includes("/api/students"))`)
	if errs := tab.JSErrors(); len(errs) > 0 {
		t.Errorf("JavaScript errors: %q", errs)
	}
}
