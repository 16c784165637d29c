package cli

import (
	"context"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/go-ddt/ddt/internal/browsertest"
	"github.com/go-ddt/ddt/internal/demo"
)

// TestDemoStandalonePage opens /__debug__/ of the demo after a few
// requests, as someone debugging an API would: the requests are listed
// with their facts, and picking one shows its panels. With
// DDT_STANDALONE_SCREENSHOT set, it saves the README's screenshot of it.
func TestDemoStandalonePage(t *testing.T) {
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
	for _, path := range []string{"", "students", "api/students", "reports", "api/students?q=ada", "old-dashboard"} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}

	tab := browser.NewTab(t)
	tab.Do(chromedp.EmulateViewport(1280, 640))
	tab.Navigate(base + "__debug__/")
	tab.WaitJS("the recorded requests", `document.querySelectorAll("#ddt-sa-rows tr").length >= 6`)
	rows := browsertest.Eval[string](tab, `Array.from(document.querySelectorAll("#ddt-sa-rows tr")).map(tr => tr.textContent).join("\n")`)
	for _, want := range []string{"/api/students", "/reports", "SQL"} {
		if !strings.Contains(rows, want) {
			t.Errorf("the list lacks %q:\n%s", want, rows)
		}
	}
	tab.Do(chromedp.Click(chromedp.JSPath(`Array.from(document.querySelectorAll("#ddt-sa-rows tr")).find(tr => tr.querySelector(".ddt-sa-path").textContent === "/").querySelector(".ddt-sa-pick")`)))
	tab.WaitJS("the dashboard's panels", `document.querySelector("ddt-toolbar") && `+inToolbar(`.ddt-nav-item[data-panel="featureflags"]`))
	if got := browsertest.Eval[string](tab, inToolbar(`.ddt-nav-item[data-panel="featureflags"]`)+".textContent"); !strings.Contains(got, "5 evaluations") {
		t.Errorf("Feature Flags of the dashboard = %q, want 5 evaluations", got)
	}
	if path := os.Getenv("DDT_STANDALONE_SCREENSHOT"); path != "" {
		tab.Do(chromedp.MouseEvent(chromedp.MouseMoved, 5, 630))
		tab.Screenshot(path)
	}
	if errs := tab.JSErrors(); len(errs) > 0 {
		t.Errorf("JavaScript errors: %q", errs)
	}
}
