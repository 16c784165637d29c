// Package browsertest runs tests against a real headless Chromium through
// chromedp.
//
// # Starting a browser
//
// [Start] finds Debian's chromium (or the binary named by $DDT_CHROMIUM),
// starts it headless with a fresh, temporary user-data-dir and the flags
// that keep it quiet and local (no background networking, component
// updates, sync or first-run UI; every host but localhost, 127.0.0.1 and
// [::1] fails to resolve, so a page can only reach loopback servers). The
// browser stops when the test ends.
//
// When no browser is installed the test is skipped, unless the environment
// variable DDT_REQUIRE_BROWSER=1 is set, as CI does; then it fails. A browser
// that is installed but does not start always fails the test.
//
// # Tabs
//
// [Browser.NewTab] opens a tab with its own deadline, in a browser context
// of its own (no cookies or storage shared with other tabs). Its helpers fail the
// test with a useful message instead of returning errors: [Tab.Do] runs
// chromedp actions, [Eval] evaluates JavaScript into a Go value,
// [Tab.WaitJS] polls until an expression is truthy, and [Tab.Screenshot]
// writes a PNG of the viewport. A tab records uncaught JavaScript exceptions
// and console errors; [Tab.JSErrors] returns them.
package browsertest
