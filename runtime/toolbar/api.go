package toolbar

import (
	"errors"
	"fmt"
	"net/http"

	"encoding/json"
	"github.com/go-ddt/ddt/runtime/debugapi"
	"github.com/go-ddt/ddt/runtime/toolbar/access"
)

// The versioned JSON API, api/v1/ (package debugapi describes it). It
// reads what the routes of the toolbar's own script read, the Store's
// summaries and records, and answers in debugapi's types, which stay the
// same as the toolbar's storage changes.

func (h *handler) addAPIRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /"+debugapi.Path+"requests", h.apiList)
	mux.HandleFunc("GET /"+debugapi.Path+"requests/{id}", h.apiRequest)
	mux.HandleFunc("GET /"+debugapi.Path+"requests/{id}/panels", h.apiPanels)
	mux.HandleFunc("GET /"+debugapi.Path+"requests/{id}/panels/{panel}", h.apiPanel)
	mux.HandleFunc("/"+debugapi.Path, func(w http.ResponseWriter, r *http.Request) {
		apiError(w, http.StatusNotFound, fmt.Sprintf("no route %s %s: see the README section \"The JSON API\"", r.Method, r.URL.Path))
	})
}

// apiRequestOf converts a stored summary into the API's type.
func apiRequestOf(s *Summary) debugapi.Request {
	return debugapi.Request{
		ID: s.ID, Method: s.Method, Path: s.Path, Status: s.Status, Started: s.Started,
		DurationMS: s.DurationMS, Kind: s.Kind, ContentType: s.ContentType,
		Events: s.Events, Errors: s.Errors, Dropped: s.Dropped, Unattributed: s.Unattributed,
		Streamed: s.Streamed, Hijacked: s.Hijacked, Panicked: s.Panicked,
		Instance: s.Instance,
	}
}

func (h *handler) apiList(w http.ResponseWriter, r *http.Request) {
	q, err := debugapi.ParseListQuery(r.URL.Query())
	if err != nil {
		apiError(w, http.StatusBadRequest, err.Error())
		return
	}
	// The API lists every browser's requests, of every instance sharing
	// the store: its clients are tools, not a browser with a ddt_client
	// cookie.
	all, err := h.store.List(r.Context(), ListFilter{})
	if err != nil {
		apiError(w, storeErrorStatus(err), "listing the stored requests: "+err.Error())
		return
	}
	list, err := page(q, all)
	if err != nil {
		apiError(w, http.StatusBadRequest, err.Error())
		return
	}
	writeJSON(w, list)
}

// page selects the requests of q from all, the stored summaries newest
// first.
func page(q debugapi.ListQuery, all []Summary) (debugapi.RequestList, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = debugapi.DefaultLimit
	}
	// The window is all[from:to]: newer than After, older than Before. An
	// After that is no longer stored is older than every stored request
	// (the store drops the oldest first); a Before must be stored.
	from, to := 0, len(all)
	if q.Before != "" {
		i := indexOf(all, q.Before)
		if i < 0 {
			return debugapi.RequestList{}, fmt.Errorf("before: request %s is no longer stored; start again without before", q.Before)
		}
		from = i + 1
	}
	if q.After != "" {
		if i := indexOf(all, q.After); i >= 0 {
			to = i
		}
	}
	out := debugapi.RequestList{Requests: []debugapi.Request{}}
	for i := range all {
		req := apiRequestOf(&all[i])
		if !q.Matches(&req) {
			continue
		}
		out.Total++
		if i < from || i >= to {
			continue
		}
		if len(out.Requests) == limit {
			out.Next = out.Requests[limit-1].ID
			continue
		}
		out.Requests = append(out.Requests, req)
	}
	return out, nil
}

func indexOf(all []Summary, id string) int {
	for i := range all {
		if all[i].ID == id {
			return i
		}
	}
	return -1
}

// apiLookup returns the record named by the id path value, or answers.
func (h *handler) apiLookup(w http.ResponseWriter, r *http.Request) *StoredRequest {
	id := r.PathValue("id")
	if !validID(id) {
		apiError(w, http.StatusBadRequest, fmt.Sprintf("request id %q: want 32 lowercase hex digits", id))
		return nil
	}
	rec, err := h.store.Get(r.Context(), id)
	switch {
	case errors.Is(err, ErrNotFound):
		apiError(w, http.StatusNotFound, "request "+id+" is not stored: the toolbar keeps the most recent ones")
		return nil
	case err != nil:
		apiError(w, storeErrorStatus(err), "reading request "+id+": "+err.Error())
		return nil
	}
	return rec
}

// storeErrorStatus is the status that answers an error of the store: 503
// while its server is unavailable (the client may try again), else 500.
func storeErrorStatus(err error) int {
	if errors.Is(err, ErrUnavailable) {
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// apiPanelsOf describes the stored panels of rec that this toolbar has,
// with their stats when withStats.
func (h *handler) apiPanelsOf(rec *StoredRequest, withStats bool) []debugapi.Panel {
	out := []debugapi.Panel{}
	for _, pr := range rec.Panels {
		if p, ok := h.apiPanelOf(pr, withStats); ok {
			out = append(out, p)
		}
	}
	return out
}

// apiPanelOf describes one stored panel, with its stats when withStats.
// It returns false for a panel this toolbar does not have.
func (h *handler) apiPanelOf(pr StoredPanel, withStats bool) (debugapi.Panel, bool) {
	p, err := h.restore(pr)
	if p == nil {
		return debugapi.Panel{}, false
	}
	out := debugapi.Panel{ID: pr.ID, Title: p.Title(), NavTitle: p.NavTitle(), Enabled: pr.Enabled, HasContent: p.HasContent()}
	if out.NavTitle == "" {
		out.NavTitle = out.Title
	}
	switch {
	case err != nil:
		out.Error = "the panel's stats cannot be read: " + err.Error()
	case pr.Enabled:
		out.NavSubtitle = p.NavSubtitle()
		if withStats {
			out.Stats = pr.Stats
		}
	}
	return out, true
}

func (h *handler) apiRequest(w http.ResponseWriter, r *http.Request) {
	rec := h.apiLookup(w, r)
	if rec == nil {
		return
	}
	writeJSON(w, debugapi.RequestDetail{Request: apiRequestOf(&rec.Summary), Panels: h.apiPanelsOf(rec, false)})
}

func (h *handler) apiPanels(w http.ResponseWriter, r *http.Request) {
	rec := h.apiLookup(w, r)
	if rec == nil {
		return
	}
	writeJSON(w, debugapi.PanelList{Request: apiRequestOf(&rec.Summary), Panels: h.apiPanelsOf(rec, true)})
}

func (h *handler) apiPanel(w http.ResponseWriter, r *http.Request) {
	rec := h.apiLookup(w, r)
	if rec == nil {
		return
	}
	id := r.PathValue("panel")
	for _, pr := range rec.Panels {
		if pr.ID == id {
			if p, ok := h.apiPanelOf(pr, true); ok {
				writeJSON(w, p)
				return
			}
		}
	}
	apiError(w, http.StatusNotFound, fmt.Sprintf("request %s has no panel %q", rec.ID, id))
}

// apiError answers status with a debugapi.Error.
func apiError(w http.ResponseWriter, status int, msg string) {
	hdr := w.Header()
	hdr.Set("Content-Type", "application/json")
	access.SetPrivateHeaders(hdr)
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(debugapi.Error{Error: msg})
}
