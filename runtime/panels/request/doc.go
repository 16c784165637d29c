// Package request is the toolbar's Request panel: the method and URL, the
// ServeMux pattern that matched and its path values, the query, the form
// (when the handler parsed one) and the cookies' names. Values whose names
// look secret are redacted, and cookie values always are.
//
// The pattern and path values are those that an http.ServeMux set on the
// request the toolbar handed to the application's handler, which is the
// case when the middleware wraps the ServeMux itself. A router that routes
// a copy of the request (http.StripPrefix in front of a ServeMux, or a
// third-party router) leaves them empty; the URL is still shown.
package request
