// Package ext is where integrations add routes to panels: the handlers a
// panel serves under the toolbar's ext/{panel}/ that need what only the
// integration has, such as the SQL panel's EXPLAIN, which needs the
// database connections that ddtsql wraps.
//
// The integration registers its handler when it is linked (in an init
// function); the panel serves whatever is registered for its id from its
// Routes method. So the toolbar and its built-in panels import no
// integration: a program that does not use database/sql does not link it.
//
// Handlers registered here are served behind the toolbar's Show check and
// do none of their own: register only handlers meant for that.
package ext

import (
	"net/http"
	"sync"
)

var (
	mu     sync.RWMutex
	routes = map[string]*http.ServeMux{}
)

// Handle registers h for pattern (as http.ServeMux patterns, relative to
// the panel's routes: "GET /explain") among the routes of the panel
// called id. It panics, as ServeMux.Handle does, on a conflicting pattern.
func Handle(id, pattern string, h http.Handler) {
	mu.Lock()
	defer mu.Unlock()
	mux := routes[id]
	if mux == nil {
		mux = http.NewServeMux()
		routes[id] = mux
	}
	mux.Handle(pattern, h)
}

// Routes returns the handler of the routes registered for the panel called
// id, for its Routes method: 404 for a path nothing was registered for.
func Routes(id string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.RLock()
		mux := routes[id]
		mu.RUnlock()
		if mux == nil {
			http.NotFound(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	})
}
