package timeline_test

import (
	"context"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/go-ddt/ddt/internal/browsertest"
	"github.com/go-ddt/ddt/internal/demo"
)

// TestDemoBrowser opens the demo's dashboard and its Timeline: the five
// flag evaluations, the queries and the template, on the handler's lane
// and the two goroutines the dashboard starts. With
// DDT_TIMELINE_SCREENSHOT set to a path, it saves the README's screenshot
// there (docs/timeline.png), a flag's event open.
func TestDemoBrowser(t *testing.T) {
	b := browsertest.Start(t)
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
	u := tab{b.NewTab(t), t}
	u.Do(chromedp.EmulateViewport(1280, 800))
	u.load(<-ready)
	u.open("timeline")
	if n := u.num(root + `.querySelectorAll(".ddt-tl-k-flag").length`); n != 5 {
		t.Errorf("%v flag bars, want the dashboard's 5 evaluations", n)
	}
	if n := u.num(root + `.querySelectorAll(".ddt-tl-lane").length`); n < 3 {
		t.Errorf("%v lanes, want the handler's and the dashboard's two goroutines", n)
	}
	if n := u.num(root + `.querySelectorAll(".ddt-tl-k-sql").length`); n == 0 {
		t.Error("no query on the timeline")
	}
	// A flag evaluated on one of the goroutines (the axis is the first
	// div of the canvas, the handler's lane the second).
	u.click(".ddt-tl-lane:nth-of-type(3) .ddt-tl-k-flag")
	u.WaitJS("the flag's event", q(".ddt-tl-detail:not([hidden]) .ddt-stack[open] .ddt-frame"))
	if got := u.eval(q(".ddt-tl-detail") + ".textContent"); !strings.Contains(got, "demo.") {
		t.Errorf("event box %q lacks the demo's frames", got)
	}
	// Zoomed in 2×, the selected bar stays in view: all of it when it is
	// narrower than the view, else part of it (under load an evaluation can
	// take long enough to be wider than the view).
	u.click(".ddt-tl-zoom-in")
	bar, view := u.box(".ddt-tl-selected"), u.box(".ddt-tl-scroll")
	inside := bar[0] >= view[0] && bar[0]+bar[1] <= view[0]+view[1]
	overlaps := bar[0] < view[0]+view[1] && bar[0]+bar[1] > view[0]
	if bar[1] <= view[1] && !inside || !overlaps {
		t.Errorf("zoomed in, the selected bar %v is out of the view %v", bar, view)
	}
	if path := os.Getenv("DDT_TIMELINE_SCREENSHOT"); path != "" {
		u.Screenshot(path)
	}
	if errs := u.JSErrors(); len(errs) > 0 {
		t.Errorf("JavaScript errors: %q", errs)
	}
}
