package cli

import (
	"context"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/go-ddt/ddt/internal/browsertest"
	"github.com/go-ddt/ddt/internal/demo"
)

// TestDemoFlagOverridesInBrowser forces flags from the Feature Flags panel
// as a developer would: an OpenFeature flag on the checkout page and a
// //ddt:flag function on the dashboard. Each click reloads the page, which
// changes; the override survives a reload; the panel shows it with the
// real result; Clear and Clear all undo it.
func TestDemoFlagOverridesInBrowser(t *testing.T) {
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
	tab.Do(chromedp.EmulateViewport(1280, 900))

	openFlags := func() {
		t.Helper()
		tab.WaitJS("the toolbar's panel list", `document.querySelector("ddt-toolbar") && `+inToolbar(`.ddt-nav-btn[data-panel="featureflags"]`))
		tab.Do(chromedp.Click(chromedp.JSPath(inToolbar(`.ddt-nav-btn[data-panel="featureflags"]`))))
		tab.WaitJS("the Feature Flags panel", inToolbar(".ddt-root")+`.getAttribute("data-ddt-loaded") === "featureflags"`)
	}
	// click clicks a control of the panel, which reloads the page, and
	// waits for the reloaded page to satisfy expr.
	click := func(css, what, expr string) {
		t.Helper()
		tab.Do(chromedp.Evaluate[chromedp.Void](`window.ddtBeforeReload = true`))
		tab.Do(chromedp.Click(chromedp.JSPath(inToolbar(".ddt-panel-body " + css))))
		waitReloaded(t, tab, what, `!window.ddtBeforeReload && document.readyState === "complete" && (`+expr+`)`)
	}
	text := func(css string) string {
		t.Helper()
		return browsertest.Eval[string](tab, `document.querySelector(`+strconv.Quote(css)+`).textContent`)
	}

	// OpenFeature: alice is a student, so new-checkout is off for her.
	tab.Navigate(base + "checkout")
	if got := text("#checkout h2"); got != "The classic checkout" {
		t.Fatalf("checkout page: %q", got)
	}
	openFlags()
	click(`button[data-ddt-flag-set="new-checkout"][data-ddt-flag-to="true"]`, "the new checkout", `document.querySelector("#checkout h2").textContent === "The new one-page checkout"`)
	openFlags()
	if got := browsertest.Eval[string](tab, inToolbar(`.ddt-panel-body tr[data-ddt-flag="new-checkout"] td[data-ddt-flag-value]`)+".textContent"); got != "true overriddenreal: false" {
		t.Errorf("the overridden row's value cell: %q", got)
	}
	// A string flag, set to a value typed in.
	tab.Do(chromedp.Evaluate[chromedp.Void](inToolbar(`.ddt-panel-body input[data-ddt-flag-input="checkout-theme"]`) + `.value = "festive"`))
	click(`button[data-ddt-flag-set="checkout-theme"]`, "the festive theme", `document.querySelector("#theme").textContent === "festive"`)
	// The overrides are the browser's: a reload keeps them.
	tab.Navigate(base + "checkout")
	if got := text("#checkout h2") + " / " + text("#theme"); got != "The new one-page checkout / festive" {
		t.Errorf("after a reload: %q", got)
	}

	// A //ddt:flag function: the dashboard's redesign, forced off.
	tab.Navigate(base)
	openFlags()
	click(`tr[data-ddt-flag="redesigned-dashboard"] button[data-ddt-flag-to="false"]`, "the classic dashboard", `document.body.textContent.includes("The classic dashboard")`)
	openFlags()
	if got := browsertest.Eval[string](tab, inToolbar(".ddt-nav-item[data-panel=featureflags]")+".textContent"); !strings.Contains(got, "overridden") {
		t.Errorf("nav item %q does not count the override", got)
	}
	click(`tr[data-ddt-flag="redesigned-dashboard"] button[data-ddt-flag-clear="redesigned-dashboard"]`, "the redesigned dashboard", `!document.body.textContent.includes("The classic dashboard")`)

	// Clear all, from the checkout page.
	tab.Navigate(base + "checkout")
	openFlags()
	click(`button[data-ddt-flags-clear-all]`, "the classic checkout", `document.querySelector("#checkout h2").textContent === "The classic checkout" && document.querySelector("#theme").textContent === "classic"`)
	if c := browsertest.Eval[string](tab, `document.cookie`); strings.Contains(c, "ddt_flags") {
		t.Errorf("cookies after Clear all: %q", c)
	}
	if errs := tab.JSErrors(); len(errs) > 0 {
		t.Errorf("JavaScript errors: %q", errs)
	}
}

// waitReloaded polls expr until it is true, through the reload that the
// click started: evaluations fail while the old page goes away.
func waitReloaded(t *testing.T, tab *browsertest.Tab, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(browsertest.WaitTimeout)
	for time.Now().Before(deadline) {
		ok, err := chromedp.Run(tab.Ctx, chromedp.Evaluate[bool](expr))
		if err == nil && ok {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("waiting for %s after the reload (%s)", what, expr)
}
