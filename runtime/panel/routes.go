package panel

import "net/http"

// Router is implemented by a panel that serves HTTP routes of its own, such
// as the SQL panel's EXPLAIN or the Profile panel's downloads: the Go
// counterpart of a DjDT panel's get_urls. The toolbar calls Routes once, on
// an instance made when the toolbar is built, and serves the handler under
// the panel's routes URL (see [Response.RoutesURL]), with that prefix
// stripped from the request's path. Only clients the toolbar's Show function
// accepts reach it, and its requests are never recorded.
type Router interface {
	Routes() http.Handler
}

// DisabledByDefault is implemented by a panel that is off until the user
// switches it on in the toolbar, like DjDT's DISABLE_PANELS: the panel is
// listed, but not instantiated for requests. Use it for panels that change
// what the application does (the Redirects panel intercepts redirects) or
// that cost much when on.
type DisabledByDefault interface {
	DisabledByDefault() bool
}

// RoutesURL returns the path under which the toolbar serves the routes of
// the panel called id (see [Router]), ending in "/": with the default
// prefix, "/__debug__/ext/{id}/". Panels use it in GenerateStats to link to
// their routes.
func (r *Response) RoutesURL(id string) string {
	prefix := r.Prefix
	if prefix == "" {
		prefix = "/__debug__/"
	}
	return prefix + "ext/" + id + "/"
}
