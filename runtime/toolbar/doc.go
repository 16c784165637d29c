// Package toolbar is ddt's debug toolbar for net/http applications: the
// Django Debug Toolbar, for Go, with panels fed by the functions you mark
// with //ddt:<kind> directives.
//
//	http.ListenAndServe(addr, toolbar.Middleware(mux, toolbar.Options{}))
//
// # Middleware
//
// [Middleware] wraps any http.Handler — a ServeMux, chi, gorilla/mux — and
// records the requests that [Options].Show accepts: by default those from
// a loopback address whose Host names the machine (a request that carries
// forwarded headers is refused unless Options.TrustForwarded or
// Options.ClientIP say otherwise). Every other request goes straight to
// the handler, at the cost of one address check.
//
// The toolbar is off unless something turns it on: a build by ddt build,
// run or test, DDT_ENABLE=1 or Options.Enable = [On]. DDT_DISABLE=1 and
// [Off] turn it off whatever else says. Off, Middleware returns the
// handler itself: a plain go build of the same code serves the program
// alone (see package [github.com/go-ddt/ddt/runtime/toolbar/access]).
//
// For a recorded request the toolbar makes new panel instances, enables
// the panels the user has not switched off, binds the request (its context
// and its goroutine, inherited by the goroutines the handler starts) so
// that events reach its panels, runs the handler, then has the panels
// generate their stats, stores them as JSON in the [Store], and injects
// the toolbar into the page. The panel API and this lifecycle are
// described in package [github.com/go-ddt/ddt/runtime/panel].
//
// # Panels
//
// The built-in panels ([DefaultPanels]) are History, Versions, Timer,
// Request, Headers, SQL, Templates, Logs, Outbound HTTP (fed by the
// packages of runtime/integrations), Feature Flags (events of kind "flag")
// and Calls (kind "trace", and every kind no other panel receives, so
// nothing marked is lost). Redirects and Profile are opt-in. Options.Panels adds panels to them; a panel with a built-in
// panel's ID takes its place, and Options.OmitPanels removes built-in ones.
//
// # Events
//
// Functions marked //ddt:<kind> and instrumented by ddt deliver an event
// per call. Code that is not instrumented can deliver events with [Emit]
// and [Start]. An event that belongs to no request — made by a goroutine
// no recorded request started, with no request's context — is counted as
// unattributed and shown as such in the Calls panel, never put into
// another request.
//
// # Injection
//
// The toolbar adds one tag, an external script, before the last </body>
// of HTML pages (text/html and application/xhtml+xml) that are not
// encoded, partial, flushed or hijacked, and corrects Content-Length. A
// page's Content-Security-Policy nonce is copied to the tag, or taken from
// Options.Nonce. A response is held back only while it looks like such a
// page: anything else, and any response the handler flushes, passes
// through unbuffered, so streaming (server-sent events, websockets) works.
// HEAD, 204 and 304 responses are left alone. The response writer supports
// http.Flusher, http.Hijacker and http.ResponseController.
//
// Every recorded response, HTML or not, carries its request id in the
// [RequestIDHeader] header and a Server-Timing header with the total time
// and the panels' entries, so the toolbar's History finds fetch and XHR
// requests too.
//
// # Routes
//
// Under Options.Prefix ("/__debug__/" by default) the toolbar serves its
// script and stylesheet (static/toolbar.js, static/toolbar.css), the
// recorded requests (api/requests, api/requests/{id}) and panel content
// rendered from stored stats (panels/{id}/{panel}). These requests are
// never recorded, and clients that Show rejects get 404.
//
// # Store
//
// A [Store] keeps [StoredRequest]s: a request's [Summary] and each panel's stats
// as JSON. The default [MemoryStore] keeps the 25 most recent. Request ids
// are 128 random bits. A request keeps at most Options.MaxEvents events
// (10000 by default); the rest are counted as dropped in its summary.
//
// # Security
//
// The toolbar is a development tool: it shows stack traces, headers and
// arguments. It is shown to loopback clients only unless configured
// otherwise; everything it captures is escaped when shown, and values
// whose names look secret (Authorization, cookies, and names containing
// KEY, TOKEN, SECRET, PASS, AUTH, SIGNATURE, COOKIE...) are redacted before
// they are stored.
package toolbar
