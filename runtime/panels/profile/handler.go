package profile

import (
	"bytes"
	"net/http"
	"strings"
	"time"

	"github.com/go-ddt/ddt/runtime/ext"
	"github.com/go-ddt/ddt/runtime/toolbar/access"
)

// Cookie is the cookie that, set to "1", has every request profiled: the
// panel links to the Handler's on and off routes, which set and clear it.
const Cookie = "ddt_profile"

// Handler serves what the Profile panel links to, under the path it is
// mounted at:
//
//	{key}/cpu.pprof   the request's CPU profile, for go tool pprof
//	{key}/trace.out   the execution trace of its window, for go tool trace
//	on?next=/path     profile every request (sets the ddt_profile cookie)
//	off?next=/path    stop doing so
//
// The panel serves it itself, as a route of the toolbar; mount it only to
// serve it elsewhere, and set Options.DownloadPath to the same path:
//
//	mux.Handle("/debug/profiles/", profile.Handler(nil))
//
// show decides who may use it, as toolbar.Options.Show does. nil applies
// the toolbar's default rule ([access.Default]): no one unless the program
// was built by ddt or DDT_ENABLE=1, then loopback clients whose Host names
// the machine and whose requests carry no forwarded headers. A show of
// your own decides alone. Keys are 128 random bits, made when the profile
// was taken; the process keeps the last KeepProfiles profiles.
func Handler(show func(*http.Request) bool) http.Handler {
	if show == nil {
		show = access.Default()
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !show(r) || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
			http.NotFound(w, r)
			return
		}
		parts := strings.Split(strings.TrimSuffix(r.URL.Path, "/"), "/")
		last := parts[len(parts)-1]
		if last == "on" || last == "off" {
			switchProfiling(w, r, last == "on")
			return
		}
		if len(parts) < 2 {
			http.NotFound(w, r)
			return
		}
		c := lookup(parts[len(parts)-2])
		var data []byte
		var name string
		switch {
		case c == nil && r.URL.Query().Get("instance") != "" && r.URL.Query().Get("instance") != ext.Instance():
			http.Error(w, "profile: this profile is kept in the memory of instance "+r.URL.Query().Get("instance")+
				", and this is instance "+ext.Instance()+": downloads stay with the instance that took them; "+
				"download it through that instance's own address", http.StatusNotFound)
			return
		case c == nil:
			http.Error(w, "profile: no such profile; it may have expired (the last "+
				"few are kept): profile the request again", http.StatusNotFound)
			return
		case last == "cpu.pprof":
			data, name = c.cpu, "ddt-"+short(c.request)+".pprof"
		case last == "trace.out" && c.trace != nil:
			data, name = c.trace, "ddt-"+short(c.request)+".trace"
		default:
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "application/octet-stream")
		h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
		access.SetPrivateHeaders(h)
		http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(data))
	})
}

// switchProfiling sets or clears the cookie, then sends the browser back
// to the page it came from: next, when it is a path of this site.
func switchProfiling(w http.ResponseWriter, r *http.Request, on bool) {
	c := &http.Cookie{Name: Cookie, Value: "1", Path: "/", SameSite: http.SameSiteLaxMode, HttpOnly: true}
	if !on {
		c.Value, c.MaxAge = "", -1
	}
	http.SetCookie(w, c)
	next := r.URL.Query().Get("next")
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func short(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	if id == "" {
		return "request"
	}
	return id
}
