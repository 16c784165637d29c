package toolbar

import (
	"fmt"
	"net/http"
	"os"
)

// ClientCookie is the cookie that identifies a browser to the toolbar: a
// random id set on the first recorded response that finds none. Each
// record carries it (Summary.Client), and the History lists the requests
// of the browser that asks unless it asks for everyone's: with a Store
// shared by the instances of an application, each developer sees their
// own requests.
const ClientCookie = "ddt_client"

// clientID returns the browser's id from its ClientCookie and, when it has
// none or a malformed one, sets a new one on w.
func clientID(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(ClientCookie); err == nil && validID(c.Value) {
		return c.Value
	}
	id := newID()
	http.SetCookie(w, &http.Cookie{Name: ClientCookie, Value: id, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, MaxAge: 365 * 24 * 60 * 60})
	return id
}

// requestClient returns the browser's id from its ClientCookie, or "" when
// it has none.
func requestClient(r *http.Request) string {
	if c, err := r.Cookie(ClientCookie); err == nil && validID(c.Value) {
		return c.Value
	}
	return ""
}

// DefaultInstance returns the instance name that Options.Instance defaults
// to: the host name and the process id, "web-1:4242".
func DefaultInstance() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "localhost"
	}
	return fmt.Sprintf("%s:%d", host, os.Getpid())
}
