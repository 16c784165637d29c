// Package ddthttp records the HTTP requests an application makes, for the
// toolbar's Outbound HTTP panel: [Transport] wraps an http.RoundTripper
// and records each request's method, URL (credentials stripped, secret
// query values redacted), status, duration and phases (DNS, connect, TLS,
// time to first byte), headers (redacted), body sizes and error.
//
//	client := &http.Client{Transport: ddthttp.Transport(nil)} // around http.DefaultTransport
//
// # Attribution
//
// A request belongs to the toolbar request of its own context
// (http.NewRequestWithContext(r.Context(), ...)), or else to the request
// whose handler, or a goroutine it started, sent it.
//
// # Events
//
// Each exchange is an event of kind [Kind] ("outbound"), delivered when
// its response body has been read to the end or closed (or at once, for
// an error or a response without a body), so that its duration and
// response size are complete: a body never closed is never recorded. Its
// Name is "METHOD URL"; its Args are the method, the URL and the request
// headers, named "> Name"; its Results:
//
//	status     the status code (0 on error)
//	proto      HTTP/1.1, HTTP/2.0
//	err        the error's message
//	req_bytes  request body bytes sent
//	resp_bytes response body bytes read
//	reused     the connection was reused
//	dns, connect, tls, ttfb   phase durations (Raw: nanoseconds)
//	< Name     response headers
//
// Header values of Authorization, Cookie, Set-Cookie and secret-looking
// names are redacted before they are recorded.
//
// When no request is being recorded anywhere, RoundTrip costs one atomic
// load more than the wrapped transport's.
package ddthttp
