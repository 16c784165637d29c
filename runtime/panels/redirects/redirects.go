package redirects

import (
	"bufio"
	"bytes"
	"embed"
	"errors"
	"github.com/go-ddt/ddt/runtime/redact"
	"html/template"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-ddt/ddt/runtime/panel"
)

//go:embed redirects.html
var files embed.FS

var tmpl = panel.MustParseFS(files, "redirects.html")

// page is what the browser gets in place of a redirect. The toolbar is
// injected into it like into any page.
var page = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Redirect ({{.Status}})</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font: 16px system-ui, sans-serif; margin: 2em">
<h1>Redirect ({{.Status}} {{.StatusText}})</h1>
<p>Location: <a id="ddt-redirect" href="{{.Location}}">{{.Location}}</a></p>
<p>The debug toolbar intercepted this redirect so that you can inspect the request that made it.
Follow the link to continue as the redirect would have. Switch the Redirects panel off in the toolbar
to stop intercepting.</p>
</body></html>
`))

// Panel records the redirect it intercepted, if any.
type Panel struct {
	panel.Base
	Status     int    // the redirect's status; 0 when none was intercepted
	StatusText string // "Found"
	Location   string // its target, secret-looking query values redacted
}

// New returns a Redirects panel, which intercepts redirects while it is
// enabled.
func New() panel.Panel { return new(Panel) }

// DisabledByDefault keeps the panel off until the user switches it on: it
// changes what the browser sees, as DjDT's Redirects panel does.
func (*Panel) DisabledByDefault() bool { return true }

func (*Panel) ID() string                   { return "redirects" }
func (*Panel) Title() string                { return "Redirects" }
func (*Panel) Template() *template.Template { return tmpl }

// NavSubtitle shows an intercepted redirect: "302 → /login".
func (p *Panel) NavSubtitle() string {
	if p.Status == 0 {
		return "intercepting"
	}
	return strconv.Itoa(p.Status) + " → " + p.Location
}

// Wrap intercepts the redirects of page navigations.
func (p *Panel) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isNavigation(r) {
			next.ServeHTTP(w, r)
			return
		}
		iw := &interceptor{ResponseWriter: w}
		next.ServeHTTP(iw, r)
		if iw.status == 0 {
			return
		}
		p.Status, p.StatusText = iw.status, http.StatusText(iw.status)
		p.Location = redactLocation(iw.location)
		writePage(w, iw.status, iw.location)
	})
}

// isNavigation reports whether r is a browser loading a page.
func isNavigation(r *http.Request) bool {
	if r.Method == http.MethodHead {
		return false
	}
	if mode := r.Header.Get("Sec-Fetch-Mode"); mode != "" {
		return mode == "navigate"
	}
	return r.Header.Get("X-Requested-With") == "" && strings.Contains(r.Header.Get("Accept"), "text/html")
}

func writePage(w http.ResponseWriter, status int, location string) {
	var b bytes.Buffer
	page.Execute(&b, map[string]any{"Status": status, "StatusText": http.StatusText(status), "Location": location})
	h := w.Header()
	h.Del("Location")
	h.Del("Content-Length")
	h.Del("Content-Encoding")
	h.Del("Content-Security-Policy") // the page is ours, not the handler's
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(b.Bytes())
}

// redactLocation redacts the secret-looking query values of a redirect's
// target (an OAuth callback's code or token, say) for the stats.
func redactLocation(loc string) string {
	u, err := url.Parse(loc)
	if err != nil {
		return "(unparsable location)"
	}
	u.User = nil
	prefix := ""
	if u.Scheme != "" {
		prefix = u.Scheme + "://" + u.Host
	} else if u.Host != "" {
		prefix = "//" + u.Host
	}
	return prefix + redact.RedactURI(u)
}

// interceptor holds back a redirect, and passes everything else through.
type interceptor struct {
	http.ResponseWriter
	status   int // the redirect held back, or 0
	location string
	wrote    bool // a response that is not a redirect has started
}

// Unwrap lets http.ResponseController reach the toolbar's writer.
func (iw *interceptor) Unwrap() http.ResponseWriter { return iw.ResponseWriter }

func (iw *interceptor) WriteHeader(code int) {
	if iw.status != 0 || iw.wrote {
		if !iw.wrote {
			return
		}
		iw.ResponseWriter.WriteHeader(code)
		return
	}
	loc := iw.Header().Get("Location")
	if code >= 300 && code < 400 && code != http.StatusNotModified && loc != "" {
		iw.status, iw.location = code, loc
		return
	}
	if code >= 200 {
		iw.wrote = true
	}
	iw.ResponseWriter.WriteHeader(code)
}

func (iw *interceptor) Write(b []byte) (int, error) {
	if iw.status != 0 {
		return len(b), nil // the redirect's own body: replaced by the page
	}
	iw.wrote = true
	return iw.ResponseWriter.Write(b)
}

func (iw *interceptor) Flush() {
	if iw.status != 0 {
		return
	}
	if f, ok := iw.ResponseWriter.(http.Flusher); ok {
		iw.wrote = true
		f.Flush()
	}
}

// Hijack hands the connection over, for handlers that assert
// http.Hijacker instead of using http.ResponseController.
func (iw *interceptor) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if h, ok := iw.ResponseWriter.(http.Hijacker); ok {
		iw.wrote = true
		return h.Hijack()
	}
	return nil, nil, errors.New("redirects: the response writer cannot be hijacked")
}
