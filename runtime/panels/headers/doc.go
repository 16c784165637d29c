// Package headers is the toolbar's Headers panel: the request's and the
// response's HTTP headers, with Authorization, Cookie, Set-Cookie and every
// secret-looking header redacted.
package headers
