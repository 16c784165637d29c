package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// TabTimeout bounds everything one tab does; a browser test that takes
// longer is stuck, not slow.
const TabTimeout = 45 * time.Second

// WaitTimeout is how long [Tab.WaitJS] waits for its condition.
const WaitTimeout = 10 * time.Second

// Tab is one browser tab, closed when the test that opened it ends.
type Tab struct {
	// Ctx is the tab's chromedp context, for actions the helpers lack.
	Ctx context.Context
	tb  testing.TB

	mu     sync.Mutex
	errors []string // uncaught exceptions and console.error calls
}

// NewTab opens a tab for tb in a browser context of its own, so tabs share
// no cookies, storage or cache: tests that share one browser stay
// independent. The viewport is 1280x800, and JavaScript errors are recorded
// from before the first page loads.
func (b *Browser) NewTab(tb testing.TB) *Tab {
	tb.Helper()
	ctx, cancelTab := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	ctx, cancelTimeout := context.WithTimeout(ctx, TabTimeout)
	tb.Cleanup(func() {
		cancelTimeout()
		cancelTab()
	})
	t := &Tab{Ctx: ctx, tb: tb}
	if err := chromedp.Listen(ctx, t.observe); err != nil {
		tb.Fatalf("browsertest: opening a tab: %v\nbrowser output:\n%s", err, b.output.String())
	}
	t.Do(chromedp.EmulateViewport(1280, 800))
	return t
}

func (t *Tab) observe(ev any) {
	var msg string
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg = d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
		msg = fmt.Sprintf("exception at %s:%d:%d: %s", d.URL, d.LineNumber+1, d.ColumnNumber+1, msg)
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError && ev.Type != runtime.ConsoleAPICalledTypeAssert {
			return
		}
		parts := make([]string, 0, len(ev.Args))
		for _, a := range ev.Args {
			if len(a.Value) > 0 {
				parts = append(parts, string(a.Value))
			} else {
				parts = append(parts, a.Description)
			}
		}
		msg = "console." + string(ev.Type) + ": " + strings.Join(parts, " ")
	default:
		return
	}
	t.mu.Lock()
	t.errors = append(t.errors, msg)
	t.mu.Unlock()
}

// JSErrors returns the uncaught exceptions and console.error messages seen
// so far, oldest first.
func (t *Tab) JSErrors() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]string(nil), t.errors...)
}

// Do runs actions in order and fails the test at the first error.
func (t *Tab) Do(actions ...chromedp.Action[chromedp.Void]) {
	t.tb.Helper()
	if err := chromedp.Do(t.Ctx, actions...); err != nil {
		t.fatalf("browser: %v", err)
	}
}

// Navigate loads url and waits for its load event.
func (t *Tab) Navigate(url string) {
	t.tb.Helper()
	t.Do(chromedp.Navigate(url))
}

// Eval evaluates a JavaScript expression in the page of t and decodes its
// result into T (see [chromedp.Evaluate]). Promises are awaited.
func Eval[T any](t *Tab, expr string) T {
	t.tb.Helper()
	v, err := chromedp.Run(t.Ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// WaitJS polls the JavaScript expression until it is truthy, and fails the
// test with what (a description of the awaited state) after [WaitTimeout].
func (t *Tab) WaitJS(what, expr string) {
	t.tb.Helper()
	_, err := chromedp.Run(t.Ctx, chromedp.Poll[chromedp.Void](expr,
		chromedp.WithPollingInterval(20*time.Millisecond),
		chromedp.WithPollingTimeout(WaitTimeout)))
	if err != nil {
		t.fatalf("waiting for %s (%s): %v", what, expr, err)
	}
}

// Screenshot writes a PNG of the viewport to path, creating its directory.
// The file is written to a temporary name first, so a failed capture never
// leaves a truncated image behind.
func (t *Tab) Screenshot(path string) {
	t.tb.Helper()
	png, err := chromedp.Run(t.Ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.fatalf("screenshot: %v", err)
	}
	if err := writeFileAtomic(path, png); err != nil {
		t.fatalf("screenshot: %v", err)
	}
}

func writeFileAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".screenshot-*.png")
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	cerr := f.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(f.Name(), 0o644)
	}
	if werr == nil {
		werr = os.Rename(f.Name(), path)
	}
	if werr != nil {
		os.Remove(f.Name())
	}
	return werr
}

// fatalf fails the test, adding the page's JavaScript errors, which usually
// explain why an expected element never appeared.
func (t *Tab) fatalf(format string, args ...any) {
	t.tb.Helper()
	msg := fmt.Sprintf(format, args...)
	if errs := t.JSErrors(); len(errs) > 0 {
		msg += "\nJavaScript errors:\n  " + strings.Join(errs, "\n  ")
	}
	t.tb.Fatal(msg)
}
