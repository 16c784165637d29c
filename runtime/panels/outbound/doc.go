// Package outbound is the toolbar's Outbound HTTP panel: the HTTP
// requests a request's handler made through a transport wrapped by
// package github.com/go-ddt/ddt/runtime/integrations/ddthttp (events of
// kind "outbound"): method, URL, status, duration and its phases (DNS,
// connect, TLS, first byte), body sizes, headers (redacted), errors and
// the stack of the code that sent each. The toolbar's list shows "3
// requests in 120 ms", and the Server-Timing header an "outbound" entry.
//
//	client := &http.Client{Transport: ddthttp.Transport(nil)}
//	h := toolbar.Middleware(mux, toolbar.Options{Panels: []func() panel.Panel{outbound.New}})
package outbound
