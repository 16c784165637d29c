package toolbar

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"github.com/go-ddt/ddt/runtime/internal/stacks"
	"github.com/go-ddt/ddt/runtime/toolbar/access"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/go-ddt/ddt/runtime/panel"
)

// assets are the toolbar's script and stylesheet.
//
//go:embed assets
var assets embed.FS

// panelNav describes one panel of a recorded request in the toolbar's list.
type panelNav struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	NavTitle    string `json:"nav_title"`
	NavSubtitle string `json:"nav_subtitle"`
	HasContent  bool   `json:"has_content"`
	Enabled     bool   `json:"enabled"`
	// DefaultOn is false for a panel that is off until the user switches
	// it on (panel.DisabledByDefault, Options.DisablePanels).
	DefaultOn bool `json:"default_on"`
	// Scripts are the panel's own scripts (panel.Scripter), loaded by the
	// toolbar before it first shows the panel.
	Scripts []string `json:"scripts,omitempty"`
}

// requestDetail is the answer of api/requests/{id}: a request's summary and
// its panels.
type requestDetail struct {
	Summary
	Panels []panelNav `json:"panels"`
}

// newRoutes returns the handler of the toolbar's own routes. Requests
// reach it only when Show accepted them, and are never recorded.
func (h *handler) newRoutes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /static/{file}", serveAsset)
	mux.HandleFunc("GET /api/requests", h.serveList)
	mux.HandleFunc("GET /api/requests/{id}", h.serveRequest)
	mux.HandleFunc("GET /panels/{id}/{panel}", h.servePanel)
	mux.HandleFunc("/ext/{panel}/", h.servePanelRoutes)
	h.addAPIRoutes(mux)        // api.go
	h.addStandaloneRoutes(mux) // standalone.go
	return http.StripPrefix(strings.TrimSuffix(h.prefix, "/"), mux)
}

// servePanelRoutes serves the routes of a panel that is a panel.Router.
func (h *handler) servePanelRoutes(w http.ResponseWriter, r *http.Request) {
	routes, ok := h.ext[r.PathValue("panel")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	routes.ServeHTTP(w, r)
}

func serveAsset(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	if ext := path.Ext(name); ext != ".js" && ext != ".css" {
		http.NotFound(w, r)
		return
	}
	data, err := fs.ReadFile(assets, "assets/"+name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	sum := sha256.Sum256(data)
	w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:8])+`"`)
	w.Header().Set("Cache-Control", "no-cache") // revalidate: a new ddt version must not be stale
	w.Header().Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(data))
}

// listAnswer is the answer of api/requests.
type listAnswer struct {
	Requests []Summary `json:"requests"`
	// Instance is the instance that answered (Options.Instance).
	Instance string `json:"instance"`
	// Everyone says the list holds every browser's requests, not only
	// those of the browser that asked.
	Everyone bool `json:"everyone"`
	// Store is the store's health, for stores that report it.
	Store *StoreStatus `json:"store,omitempty"`
}

// serveList answers api/requests: the summaries of the stored requests of
// the browser that asks (its ClientCookie) or, with all=1, of everyone,
// newest first. instance=NAME keeps those that instance served; before
// (RFC 3339) and limit page through them.
func (h *handler) serveList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := ListFilter{Instance: q.Get("instance")}
	everyone := q.Get("all") == "1"
	if !everyone {
		// A browser with no cookie yet has recorded nothing as itself.
		f.Client = requestClient(r)
		everyone = f.Client == ""
	}
	if v := q.Get("before"); v != "" {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			http.Error(w, "api/requests: before: not an RFC 3339 time: "+v, http.StatusBadRequest)
			return
		}
		f.Before = t
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			http.Error(w, "api/requests: limit: not a count: "+v, http.StatusBadRequest)
			return
		}
		f.Limit = n
	}
	list, err := h.store.List(r.Context(), f)
	if err != nil {
		storeError(w, err)
		return
	}
	if list == nil {
		list = []Summary{}
	}
	out := listAnswer{Requests: list, Instance: h.instance, Everyone: everyone}
	if sr, ok := h.store.(StatusReporter); ok {
		st := sr.Status()
		out.Store = &st
	}
	writeJSON(w, out)
}

// storeError answers an error of the store: 503 when its server is
// unavailable, so that the toolbar says so, else 500.
func storeError(w http.ResponseWriter, err error) {
	status := storeErrorStatus(err)
	if status == http.StatusServiceUnavailable {
		access.SetPrivateHeaders(w.Header())
	}
	http.Error(w, err.Error(), status)
}

// lookup returns the record named by the id path value, or answers 404.
func (h *handler) lookup(w http.ResponseWriter, r *http.Request) *StoredRequest {
	id := r.PathValue("id")
	if !validID(id) {
		http.NotFound(w, r)
		return nil
	}
	rec, err := h.store.Get(r.Context(), id)
	switch {
	case errors.Is(err, ErrNotFound):
		http.NotFound(w, r)
		return nil
	case err != nil:
		storeError(w, err)
		return nil
	}
	return rec
}

func (h *handler) serveRequest(w http.ResponseWriter, r *http.Request) {
	rec := h.lookup(w, r)
	if rec == nil {
		return
	}
	out := requestDetail{Summary: rec.Summary, Panels: []panelNav{}}
	for _, pr := range rec.Panels {
		p, err := h.restore(pr)
		if p == nil {
			continue // a panel this toolbar does not have
		}
		nav := panelNav{ID: pr.ID, Title: p.Title(), NavTitle: p.NavTitle(), HasContent: p.HasContent(),
			Enabled: pr.Enabled, DefaultOn: h.panels[h.byID[pr.ID]].on}
		if nav.NavTitle == "" {
			nav.NavTitle = nav.Title
		}
		if sc, ok := p.(panel.Scripter); ok {
			nav.Scripts = sc.Scripts()
		}
		switch {
		case err != nil:
			nav.NavSubtitle = "stats unreadable"
		case pr.Enabled:
			nav.NavSubtitle = p.NavSubtitle()
		}
		out.Panels = append(out.Panels, nav)
	}
	writeJSON(w, out)
}

// restore returns a new instance of the panel of pr, filled from its
// stored stats. It returns nil when the toolbar has no such panel.
func (h *handler) restore(pr StoredPanel) (panel.Panel, error) {
	i, ok := h.byID[pr.ID]
	if !ok {
		return nil, nil
	}
	p := h.panels[i].new()
	if pr.Error != "" {
		return p, errors.New(pr.Error)
	}
	if pr.Enabled && len(pr.Stats) > 0 {
		if err := json.Unmarshal(pr.Stats, p); err != nil {
			return p, err
		}
		stacks.Resolve(p) // for templates that read a repeated stack's Frames
	}
	return p, nil
}

var panelMessage = template.Must(template.New("msg").Parse(`<p class="{{.Class}}">{{.Text}}</p>`))

func (h *handler) servePanel(w http.ResponseWriter, r *http.Request) {
	rec := h.lookup(w, r)
	if rec == nil {
		return
	}
	id := r.PathValue("panel")
	var pr *StoredPanel
	for i := range rec.Panels {
		if rec.Panels[i].ID == id {
			pr = &rec.Panels[i]
		}
	}
	if pr == nil {
		http.NotFound(w, r)
		return
	}
	p, err := h.restore(*pr)
	if p == nil {
		http.NotFound(w, r)
		return
	}
	var b bytes.Buffer
	status := http.StatusOK
	if _, routed := h.ext[id]; routed && pr.Enabled {
		h.keyWarning(&b, rec)
	}
	switch {
	case err != nil:
		status = http.StatusInternalServerError
		panelMessage.Execute(&b, map[string]string{"Class": "ddt-error", "Text": "The panel's stats cannot be read: " + err.Error()})
	case !pr.Enabled:
		panelMessage.Execute(&b, map[string]string{"Class": "ddt-empty", "Text": "This panel was disabled for this request."})
	default:
		if err := p.Template().Execute(&b, p); err != nil {
			b.Reset()
			status = http.StatusInternalServerError
			panelMessage.Execute(&b, map[string]string{"Class": "ddt-error", "Text": "The panel's template failed: " + err.Error()})
		}
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	access.SetPrivateHeaders(hdr)
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

// keyWarning explains, above a panel that has routes of its own (such as
// the SQL panel's EXPLAIN), why they fail for a request recorded by an
// instance whose signing key is not this one's.
func (h *handler) keyWarning(b *bytes.Buffer, rec *StoredRequest) {
	if rec.Instance == "" || rec.Instance == h.instance {
		return
	}
	var text string
	switch {
	case rec.KeyID == "" && h.keyID == "":
		text = "This request was served by instance " + rec.Instance + ", and no Options.SigningKey is set: " +
			"each instance signs with a key of its own, so this panel's links (EXPLAIN) fail here. " +
			"Give every instance the same Options.SigningKey."
	case rec.KeyID != h.keyID:
		text = "This request was served by instance " + rec.Instance + ", whose signing key (id " + orNone(rec.KeyID) +
			") is not this instance's (id " + orNone(h.keyID) + "): this panel's links (EXPLAIN) fail here. " +
			"Give every instance the same Options.SigningKey."
	default:
		return
	}
	panelMessage.Execute(b, map[string]string{"Class": "ddt-error ddt-key-mismatch", "Text": text})
}

func orNone(keyID string) string {
	if keyID == "" {
		return "none: a key of its own"
	}
	return keyID
}

func writeJSON(w http.ResponseWriter, v any) {
	hdr := w.Header()
	hdr.Set("Content-Type", "application/json")
	access.SetPrivateHeaders(hdr)
	json.NewEncoder(w).Encode(v)
}
