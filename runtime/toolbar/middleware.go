package toolbar

import (
	"fmt"
	"github.com/go-ddt/ddt/runtime/event"
	"github.com/go-ddt/ddt/runtime/ext"
	"github.com/go-ddt/ddt/runtime/internal/stacks"
	"github.com/go-ddt/ddt/runtime/panel"
	"github.com/go-ddt/ddt/runtime/toolbar/access"
	"net/http"
	"regexp"
	"slices"
	"strings"
)

// RequestIDHeader carries a recorded request's id on every response to it,
// HTML or not, so the toolbar's script can find fetch and XHR requests.
const RequestIDHeader = "X-DDT-Request-Id"

// handler is the toolbar around one application handler.
type handler struct {
	next      http.Handler
	prefix    string
	show      func(*http.Request) bool
	nonce     func(*http.Request) string
	store     Store
	instance  string // Options.Instance
	keyID     string // ext.KeyID of Options.SigningKey
	maxEvents int
	noStacks  bool
	stacks    *stacks.Config

	recordFilter func(*http.Request) bool // Options.Record, nil for all
	recordAssets bool

	panels    []panelDef     // in toolbar order
	byID      map[string]int // index in panels
	kinds     map[string][]int
	unclaimed []int // panels that receive the kinds no panel lists
	every     []int // panels that receive every kind (panel.AllKinds)
	// owners maps each listed kind, and panel.Unclaimed, to the panel
	// that shows it (panel.Response.Owners).
	owners map[string]string

	routes http.Handler            // the toolbar's own routes, under prefix
	ext    map[string]http.Handler // the routes of panels that are panel.Routers, by panel ID
}

// panelDef is one panel of the toolbar: how to make an instance, and what
// every instance says about itself.
type panelDef struct {
	id  string
	new func() panel.Panel
	// on says whether the panel is enabled unless the user switched it
	// off; a panel disabled by default is enabled only when switched on.
	on bool
}

var panelIDPattern = regexp.MustCompile(`^[A-Za-z0-9_.:-]+$`)

// Middleware returns a handler that serves next with the toolbar: requests
// that opts.Show accepts are recorded and get the toolbar injected into
// their HTML pages; the toolbar's own routes are served under opts.Prefix.
//
// When the toolbar is off (see Options.Enable: a plain go build is off
// unless DDT_ENABLE=1 or Enable is On) Middleware returns next itself:
// nothing is recorded, nothing is served under the prefix.
//
// While on, it panics when two panels have the same ID or a panel is
// malformed, as http.ServeMux does for a bad pattern: a programming error,
// found at start-up.
func Middleware(next http.Handler, opts Options) http.Handler {
	if !access.Enabled(opts.Enable) {
		return next
	}
	h := &handler{
		next:         next,
		prefix:       normalizePrefix(opts.Prefix),
		show:         opts.Show,
		nonce:        opts.Nonce,
		store:        opts.Store,
		maxEvents:    opts.MaxEvents,
		noStacks:     opts.NoStacks,
		recordFilter: opts.Record,
		recordAssets: opts.RecordAssets,
		stacks: &stacks.Config{
			Hide:      opts.HideInStacktraces,
			EditorURL: opts.EditorURL,
			PathMap:   opts.PathMap,
		},
		byID:  map[string]int{},
		kinds: map[string][]int{},
	}
	if h.show == nil {
		rule := &access.Rule{AllowedHosts: opts.AllowedHosts, ClientIP: opts.ClientIP, TrustForwarded: opts.TrustForwarded}
		h.show = rule.Allows
	}
	if opts.FollowPointers {
		event.SetFollowPointers(true)
	}
	if h.store == nil {
		h.store = NewMemoryStore(DefaultStoreSize)
	}
	h.instance = opts.Instance
	if h.instance == "" {
		h.instance = DefaultInstance()
	}
	h.keyID = ext.KeyID(opts.SigningKey)
	ext.SetIdentity(h.instance, opts.SigningKey)
	if h.maxEvents <= 0 {
		h.maxEvents = DefaultMaxEvents
	}
	h.addPanels(DefaultPanels(), opts.Panels, opts.OmitPanels)
	h.configurePanels(opts.DisablePanels)
	h.routes = h.newRoutes()
	return h
}

// addPanels sets the toolbar's panels: the defaults but those omitted,
// then the extra ones, each of which takes the place of a default with its
// ID; then it routes event kinds to the panels that list them.
func (h *handler) addPanels(defaults, extra []func() panel.Panel, omit []string) {
	for _, newPanel := range defaults {
		if id := checkPanel(newPanel); !slices.Contains(omit, id) {
			h.byID[id] = len(h.panels)
			h.panels = append(h.panels, panelDef{id: id, new: newPanel})
		}
	}
	builtin := len(h.panels)
	replaced := map[string]bool{}
	for _, newPanel := range extra {
		id := checkPanel(newPanel)
		i, dup := h.byID[id]
		switch {
		case dup && i < builtin && !replaced[id]:
			replaced[id] = true
			h.panels[i].new = newPanel
		case dup:
			panic(fmt.Sprintf("toolbar: two panels with ID %q", id))
		default:
			h.byID[id] = len(h.panels)
			h.panels = append(h.panels, panelDef{id: id, new: newPanel})
		}
	}
	h.owners = map[string]string{}
	for i, d := range h.panels {
		for _, k := range d.new().Kinds() {
			switch {
			case k == panel.AllKinds:
				if !slices.Contains(h.every, i) {
					h.every = append(h.every, i)
				}
				continue
			case k == panel.Unclaimed:
				h.unclaimed = append(h.unclaimed, i)
			case !slices.Contains(h.kinds[k], i):
				h.kinds[k] = append(h.kinds[k], i)
			}
			if _, ok := h.owners[k]; !ok {
				h.owners[k] = d.id
			}
		}
	}
	// The panels of every kind join each kind's list, so that routing an
	// event stays one lookup.
	for _, i := range h.every {
		for k, targets := range h.kinds {
			if !slices.Contains(targets, i) {
				h.kinds[k] = append(targets, i)
			}
		}
		if !slices.Contains(h.unclaimed, i) {
			h.unclaimed = append(h.unclaimed, i)
		}
	}
}

// configurePanels decides which panels are on by default and collects the
// routes of those that serve some.
func (h *handler) configurePanels(disable []string) {
	h.ext = map[string]http.Handler{}
	for i := range h.panels {
		d := &h.panels[i]
		p := d.new()
		off, _ := p.(panel.DisabledByDefault)
		d.on = !slices.Contains(disable, d.id) && (off == nil || !off.DisabledByDefault())
		if r, ok := p.(panel.Router); ok {
			if routes := r.Routes(); routes != nil {
				h.ext[d.id] = http.StripPrefix("/ext/"+d.id, routes)
			}
		}
	}
}

func checkPanel(newPanel func() panel.Panel) string {
	p := newPanel()
	id := p.ID()
	switch {
	case !panelIDPattern.MatchString(id):
		panic(fmt.Sprintf("toolbar: panel %T: ID %q: use letters, digits, '-', '_', '.' and ':'", p, id))
	case p.Template() == nil:
		panic(fmt.Sprintf("toolbar: panel %q: Template returns nil", id))
	}
	return id
}

// ServeHTTP implements http.Handler.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, h.prefix) {
		if !h.show(r) {
			http.NotFound(w, r)
			return
		}
		h.routes.ServeHTTP(w, r)
		return
	}
	if !h.show(r) || !h.wants(r) {
		h.next.ServeHTTP(w, r)
		return
	}
	h.record(w, r)
}

// wants reports whether a request that Show accepted is to be recorded:
// it is not one that opens an h2c connection (see connectionLevel),
// Options.Record says so and, unless Options.RecordAssets, the browser does
// not say that it loads a static asset. Assets known only by their
// response's type are recorded and dropped by finish.
func (h *handler) wants(r *http.Request) bool {
	if connectionLevel(r) || !h.recordAssets && assetDestination(r) {
		return false
	}
	return h.recordFilter == nil || h.recordFilter(r)
}
