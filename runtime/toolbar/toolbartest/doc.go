// Package toolbartest runs a handler behind the toolbar on a real loopback
// server, for tests of panels and of apps that use the toolbar.
//
//	s := toolbartest.NewServer(t, mux, toolbar.Options{Panels: ...})
//	resp, body := s.Get("/dashboard")
//	html := s.Panel(s.RequestID(resp), "featureflags")
//
// Every helper fails the test on an error instead of returning it.
package toolbartest
