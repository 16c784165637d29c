package toolbar

import (
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/go-ddt/ddt/runtime/toolbar/panel"
)

// Options configure a toolbar. The zero value is a toolbar with the
// built-in panels, shown to loopback clients only.
type Options struct {
	// Show decides whether a request is recorded and may use the toolbar's
	// routes. By default it is true when the client's address (see
	// ClientIP) is a loopback address and the request's Host is a loopback
	// name, an IP address or one of AllowedHosts.
	Show func(r *http.Request) bool
	// AllowedHosts are host names (without port) that the default Show
	// accepts besides localhost, *.localhost and IP addresses: "app.test",
	// or ".test" for test and every name under it. The check defends
	// against DNS rebinding: a page of another site whose name the
	// attacker points at 127.0.0.1 would otherwise read the toolbar's
	// data with the browser of a developer who visits it.
	AllowedHosts []string

	// ClientIP returns the client's address for the default Show. By
	// default it is the host of r.RemoteAddr; forwarded headers are
	// ignored unless TrustForwarded is set.
	ClientIP func(r *http.Request) netip.Addr
	// TrustForwarded makes the default ClientIP take the last address of
	// X-Forwarded-For, the one your own reverse proxy added. Set it only
	// behind a proxy that sets the header, or anyone can claim loopback.
	TrustForwarded bool

	// Prefix is the path under which the toolbar serves its script and
	// API; default "/__debug__/". Requests under it are never recorded.
	Prefix string

	// Panels are added to the built-in ones (see [DefaultPanels]), in
	// order; a panel with the ID of a built-in one takes its place.
	Panels []func() panel.Panel
	// OmitPanels lists the IDs of built-in panels to leave out.
	OmitPanels []string
	// DisablePanels lists the IDs of panels that are off until the user
	// switches them on in the toolbar (a cookie remembers it), in addition
	// to those that implement panel.DisabledByDefault (Redirects, Profile).
	DisablePanels []string

	// Store keeps the recorded requests; default NewMemoryStore(25).
	Store Store
	// MaxEvents caps the events kept per request; default 10000. Events
	// over the cap are counted in the request's summary as dropped.
	MaxEvents int
	// NoStacks turns off the capture of stack traces for events of the
	// requests this toolbar records.
	NoStacks bool
	// FollowPointers renders what pointer and map arguments of marked
	// functions refer to, instead of &T{…}. That memory may be written by
	// other goroutines while it is read: a data race, and a fatal error for
	// a map being written. It applies to the whole process
	// (ddtrt.SetFollowPointers); set it only while you need it.
	FollowPointers bool

	// HideInStacktraces lists import paths whose frames are collapsed in
	// stack traces, in addition to the runtime, net/http and ddt's own
	// packages (panel.DefaultHidden).
	HideInStacktraces []string
	// EditorURL makes each stack frame a link: {path} and {line} are
	// replaced, as in "vscode://file/{path}:{line}".
	EditorURL string
	// PathMap rewrites file paths in editor links, longest prefix first,
	// for binaries built in a container: {"/app/": "/home/me/src/app/"}.
	PathMap map[string]string

	// Nonce returns the CSP nonce for the injected script tag of pages
	// whose Content-Security-Policy header has none to copy.
	Nonce func(r *http.Request) string
}

// DefaultPrefix is where the toolbar serves its routes unless
// Options.Prefix says otherwise.
const DefaultPrefix = "/__debug__/"

// Defaults of Options.
const (
	DefaultMaxEvents = 10000
	DefaultStoreSize = 25
)

// clientIP returns the client's address as o configures it.
func (o *Options) clientIP(r *http.Request) netip.Addr {
	if o.ClientIP != nil {
		return o.ClientIP(r)
	}
	if o.TrustForwarded {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			last := xff[len(xff)-1]
			if i := strings.LastIndexByte(last, ','); i >= 0 {
				last = last[i+1:]
			}
			if a, err := netip.ParseAddr(strings.TrimSpace(last)); err == nil {
				return a.Unmap()
			}
		}
	}
	return remoteAddr(r)
}

// hostAllowed reports whether the Host header host names the machine
// itself or a host o allows (see AllowedHosts).
func (o *Options) hostAllowed(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	if _, err := netip.ParseAddr(host); err == nil {
		return true // a name, not an address, is what rebinding needs
	}
	if host == "" || host == "localhost" || strings.HasSuffix(host, ".localhost") {
		// No Host at all (HTTP/1.0, or a request made in-process) names no
		// other site either.
		return true
	}
	for _, allowed := range o.AllowedHosts {
		allowed = strings.ToLower(allowed)
		if host == allowed || (strings.HasPrefix(allowed, ".") && (host == allowed[1:] || strings.HasSuffix(host, allowed))) {
			return true
		}
	}
	return false
}

func remoteAddr(r *http.Request) netip.Addr {
	if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
		return ap.Addr().Unmap()
	}
	a, _ := netip.ParseAddr(r.RemoteAddr)
	return a.Unmap()
}

func normalizePrefix(p string) string {
	if p == "" {
		return DefaultPrefix
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}
