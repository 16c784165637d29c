package debugapi

import (
	"encoding/json"
	"time"
)

// Version is the version of the API these types describe, and the path
// element of its routes.
const Version = "v1"

// Path is where the API is served, under the toolbar's prefix.
const Path = "api/" + Version + "/"

// Request describes one recorded request.
type Request struct {
	ID          string    `json:"id"` // 32 lowercase hex digits
	Method      string    `json:"method"`
	Path        string    `json:"path"` // path and query, secrets redacted
	Status      int       `json:"status"`
	Started     time.Time `json:"started"`
	DurationMS  float64   `json:"duration_ms"`
	Kind        string    `json:"kind"` // "page", "fetch" or "asset": what the request was to the browser
	ContentType string    `json:"content_type"`
	// Events counts the events the request's panels received, by kind:
	// "sql", "flag", "log", "outbound", "template", or a kind of the
	// program's own. Absent when there were none.
	Events map[string]int `json:"events,omitempty"`
	// Errors counts the events that report a failure: a panic, a failed
	// query, outbound call or template execution, a log record at level
	// ERROR or above.
	Errors       int   `json:"errors,omitempty"`
	Dropped      int   `json:"dropped,omitempty"`      // events over the toolbar's per-request cap
	Unattributed int64 `json:"unattributed,omitempty"` // events of no request, process-wide, when it ended
	Streamed     bool  `json:"streamed,omitempty"`
	Hijacked     bool  `json:"hijacked,omitempty"`
	Panicked     bool  `json:"panicked,omitempty"`
	// Instance names the instance of the application that served the
	// request, when toolbars of several instances share a store.
	Instance string `json:"instance,omitempty"`
}

// RequestList is the answer of api/v1/requests.
type RequestList struct {
	// Requests are the page's requests, newest first.
	Requests []Request `json:"requests"`
	// Total is how many stored requests match the filters, on every page.
	Total int `json:"total"`
	// Next, when more requests match than the page holds, is the id of its
	// last (oldest) request: pass it as before to get the next page.
	Next string `json:"next,omitempty"`
}

// RequestDetail is the answer of api/v1/requests/{id}: the request and
// its panels, in the toolbar's order, without their stats.
type RequestDetail struct {
	Request
	Panels []Panel `json:"panels"`
}

// PanelList is the answer of api/v1/requests/{id}/panels: every panel of
// the request, with its stats.
type PanelList struct {
	Request Request `json:"request"`
	Panels  []Panel `json:"panels"`
}

// Panel is one panel of a recorded request.
type Panel struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	NavTitle    string `json:"nav_title"`
	NavSubtitle string `json:"nav_subtitle,omitempty"` // the short summary shown under the title: "3 queries in 1.2 ms"
	// Enabled is false for a panel switched off for this request; it has
	// no stats then.
	Enabled    bool `json:"enabled"`
	HasContent bool `json:"has_content"`
	// Stats is the panel's stats, as the toolbar stored them: the panel's
	// own JSON. Present only in the answers that carry stats, for an
	// enabled panel whose stats could be encoded.
	Stats json.RawMessage `json:"stats,omitempty"`
	// Error says why the panel has no readable stats.
	Error string `json:"error,omitempty"`
}

// Error is the body of every answer but 200.
type Error struct {
	Error string `json:"error"`
}
