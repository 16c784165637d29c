package toolbar

import (
	"net/http"
	"net/netip"
	"strings"

	"github.com/go-ddt/ddt/runtime/panel"
	"github.com/go-ddt/ddt/runtime/toolbar/access"
)

// Options configure a toolbar. The zero value is a toolbar with the
// built-in panels, on in programs built by ddt (see Enable) and shown
// there to loopback clients only.
type Options struct {
	// Enable turns the toolbar on or off in code. The zero value, Auto,
	// leaves it to the build and the environment: on when the program was
	// built by ddt build, run or test, or when DDT_ENABLE=1; off in a plain
	// go build. On turns it on in any build; Off, DDT_DISABLE=1 and
	// DDT_ENABLE=0 turn it off whatever else says (see package
	// [github.com/go-ddt/ddt/runtime/toolbar/access]). Off, Middleware
	// returns the application's handler itself.
	Enable Switch

	// Show decides whether a request is recorded and may use the toolbar's
	// routes, while the toolbar is on. By default it is true when the
	// client's address (see ClientIP) is a loopback address, the request
	// carries no forwarded header (unless TrustForwarded or ClientIP is
	// set), and its Host is a loopback name, an IP address or one of
	// AllowedHosts.
	Show func(r *http.Request) bool
	// AllowedHosts are host names (without port) that the default Show
	// accepts besides localhost, *.localhost and IP addresses: "app.test",
	// or ".test" for test and every name under it. The check defends
	// against DNS rebinding: a page of another site whose name the
	// attacker points at 127.0.0.1 would otherwise read the toolbar's
	// data with the browser of a developer who visits it.
	AllowedHosts []string

	// ClientIP returns the client's address for the default Show. By
	// default it is the host of r.RemoteAddr, and a request that carries
	// forwarded headers is not shown unless TrustForwarded is set. Setting
	// ClientIP says that you handle proxies: forwarded headers no longer
	// turn a request away.
	ClientIP func(r *http.Request) netip.Addr
	// TrustForwarded says that a reverse proxy of your own sets forwarded
	// headers: the default ClientIP takes the last address of
	// X-Forwarded-For (else of Forwarded's for=, else X-Real-IP), the one
	// your proxy added, and the Host check reads X-Forwarded-Host (else
	// Forwarded's host=). Set it only behind such a proxy, or anyone can
	// claim loopback.
	TrustForwarded bool

	// Record decides, before the handler runs, whether a request that Show
	// accepts is recorded; one it refuses goes to the handler untouched,
	// while the toolbar's routes stay open to its client. Show says who,
	// Record what: func(r *http.Request) bool { return r.URL.Path !=
	// "/healthz" }. nil records every request but static assets.
	Record func(r *http.Request) bool
	// RecordAssets records static assets too: stylesheets, scripts, fonts,
	// images, audio, video and manifests, known by the request's
	// Sec-Fetch-Dest header (then not recorded at all) or by the
	// response's Content-Type (then recorded but not stored). A page load
	// of a real app makes a dozen of them, which would push the pages out
	// of the Store. The History labels them "asset".
	RecordAssets bool

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

	// Store keeps the recorded requests; default NewMemoryStore(25). A
	// store that several instances of the application share (the
	// PostgreSQL and Redis stores of runtime/stores) lets the toolbar of
	// any instance show the requests that the others served.
	Store Store
	// Instance names this instance of the application in the History of a
	// shared Store; default "hostname:pid".
	Instance string
	// SigningKey signs what integrations hand to the browser and take back,
	// such as the SQL panel's EXPLAIN references. By default each process
	// makes its own at random, which only that process accepts. Instances
	// that share a Store must share a key (at least 32 random bytes) for
	// EXPLAIN to work from any of them; an instance with another key
	// refuses the references and says so. It applies to the whole process
	// (runtime/ext.SetIdentity).
	SigningKey []byte
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
	// (event.SetFollowPointers); set it only while you need it.
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

// Switch is an explicit decision to turn the toolbar on or off: see
// Options.Enable.
type Switch = access.Switch

// Values of Options.Enable.
const (
	Auto = access.Auto // on when built by ddt or DDT_ENABLE=1
	On   = access.On   // on in any build, unless DDT_DISABLE=1
	Off  = access.Off  // off
)

// DefaultPrefix is where the toolbar serves its routes unless
// Options.Prefix says otherwise.
const DefaultPrefix = "/__debug__/"

// Defaults of Options.
const (
	DefaultMaxEvents = 10000
	DefaultStoreSize = 25
)

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
