// Package redirects is the toolbar's Redirects panel, Django Debug
// Toolbar's: while it is enabled, a redirect (a 3xx status with a
// Location) answering a page navigation is replaced by a page that shows
// the status and the target as a link, so that the toolbar of the
// redirecting request — a form post that redirects, say — can be
// inspected before following the link.
//
// The panel intercepts only requests that are page navigations (the
// browser's Sec-Fetch-Mode: navigate, or, from older clients, an Accept
// header that asks for HTML without X-Requested-With); fetch and XHR
// requests, HEAD requests and 304 responses pass unchanged. The headers
// the handler set are kept, so cookies it sets are still set; the body it
// wrote for the redirect is dropped.
//
// Add it to turn interception on, and switch it off from the toolbar like
// any other panel; Django Debug Toolbar ships it switched off:
//
//	toolbar.Options{Panels: []func() panel.Panel{redirects.New}}
package redirects
