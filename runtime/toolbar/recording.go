package toolbar

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"github.com/go-ddt/ddt/runtime/event"
	"github.com/go-ddt/ddt/runtime/internal/bus"
	"github.com/go-ddt/ddt/runtime/internal/stacks"
	"github.com/go-ddt/ddt/runtime/panel"
	"github.com/go-ddt/ddt/runtime/redact"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// recording is one request being recorded: its panel instances and the
// sink that delivers the request's events to them.
type recording struct {
	h       *handler
	id      string
	client  string // the browser's ClientCookie
	start   time.Time
	panels  []panel.Panel // one per h.panels
	enabled []bool
	// readers are the enabled panels that read the request's events from
	// log once the handler has returned (panel.EventReader).
	readers []int
	log     eventLog

	// ctx is the handler's context, bound to the recording. The event bus
	// serializes the Record calls and sends none after the handler's
	// binding is undone (event.Sink): what follows needs no lock of its
	// own, and serverTiming reads the panels under the bus's (Exclusive).
	ctx     context.Context
	kept    int
	dropped int
	// lastKind and lastTargets are the last kind Record looked up and the
	// indexes of the panels that receive it; lastLogged says whether one of
	// them is a reader.
	lastKind    string
	lastTargets []int
	lastLogged  bool
	// counts counts the kept events by kind, lastCount is the count of
	// lastKind, and errors counts those that report a failure
	// (Summary.Events, Summary.Errors; see count).
	counts    map[string]*int
	lastCount *int
	errors    int
}

// record serves one request that is shown the toolbar, in DjDT's order:
// new panel instances, EnableInstrumentation, the handler (bound to the
// recording), DisableInstrumentation, GenerateStats, save, inject.
func (h *handler) record(w http.ResponseWriter, r *http.Request) {
	rec := &recording{h: h, id: newID(), start: time.Now()}
	disabled, enabled := panelCookie(r, "ddt_disabled"), panelCookie(r, "ddt_enabled")
	rec.panels = make([]panel.Panel, len(h.panels))
	rec.enabled = make([]bool, len(h.panels))
	for i, d := range h.panels {
		rec.panels[i] = d.new()
		rec.enabled[i] = (d.on || enabled[d.id]) && !disabled[d.id]
		if _, ok := rec.panels[i].(panel.EventReader); ok && rec.enabled[i] {
			rec.readers = append(rec.readers, i)
		}
	}
	w.Header().Set(RequestIDHeader, rec.id)
	rec.client = clientID(w, r)
	for i, p := range rec.panels {
		if rec.enabled[i] {
			p.EnableInstrumentation()
		}
	}

	ctx, unbind := bus.Bind(r.Context(), rec.id, rec)
	rec.ctx = ctx
	// The handler gets req, and so does GenerateStats: a ServeMux that
	// routes req sets its Pattern and path values for the Request panel.
	req := r.WithContext(ctx)
	rw := &responseWriter{w: w, method: r.Method, rec: rec}
	next := h.next
	for i := len(rec.panels) - 1; i >= 0; i-- {
		if rec.enabled[i] {
			next = rec.panels[i].Wrap(next)
		}
	}

	returned := false
	defer func() {
		if !returned {
			// The handler panicked. Keep what was recorded, write nothing,
			// and let the panic go on with its own stack.
			unbind()
			rec.finish(req, rw, true)
		}
	}()
	next.ServeHTTP(rw, req)
	returned = true
	unbind()
	rec.finish(req, rw, false)
}

// connectionLevel reports whether r opens an HTTP/2 connection over
// cleartext (h2c): "PRI *" with prior knowledge, or an Upgrade: h2c. Its
// handler (golang.org/x/net/http2/h2c's) serves the connection's streams,
// each a request of its own, until the connection closes; recorded as one
// request, it would take in every stream's events. It is served unrecorded:
// with the toolbar inside h2c.NewHandler, or with http.Server's own
// unencrypted HTTP/2 (Protocols), each stream is recorded as a request.
func connectionLevel(r *http.Request) bool {
	if r.Method == "PRI" && r.URL.Path == "*" {
		return true
	}
	for _, v := range r.Header.Values("Upgrade") {
		for p := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(p), "h2c") {
				return true
			}
		}
	}
	return false
}

// finish ends the recording, generates and saves the stats and writes what
// the response writer still holds.
func (rec *recording) finish(req *http.Request, rw *responseWriter, panicked bool) {
	end := time.Now()
	for i, p := range rec.panels {
		if rec.enabled[i] {
			p.DisableInstrumentation()
		}
	}
	resp := rw.response(rec.start, end.Sub(rec.start), panicked)
	resp.Prefix = rec.h.prefix
	resp.Owners = rec.h.owners
	for _, i := range rec.readers {
		reads := func(kind string) bool { return slices.Contains(rec.h.targets(kind), i) }
		n := 0
		for kind, c := range rec.counts {
			if reads(kind) {
				n += *c
			}
		}
		rec.panels[i].(panel.EventReader).ReadEvents(panel.NewEvents(n, rec.log.events(reads)))
	}
	rec.log = eventLog{}
	for i, p := range rec.panels {
		if rec.enabled[i] {
			p.GenerateStats(req, resp)
			stacks.All(p, rec.h.stacks)
		}
	}
	unattributed, _ := event.Unattributed()
	kind := requestKind(req, resp.ContentType)
	stored := &StoredRequest{
		Summary: Summary{
			ID:           rec.id,
			Method:       req.Method,
			Path:         redact.RedactURI(req.URL),
			Status:       resp.Status,
			Started:      rec.start,
			DurationMS:   float64(resp.Duration) / float64(time.Millisecond),
			Kind:         kind,
			XHR:          kind != KindPage,
			ContentType:  resp.ContentType,
			Dropped:      rec.dropped,
			Unattributed: unattributed,
			Streamed:     resp.Streamed,
			Hijacked:     resp.Hijacked,
			Panicked:     panicked,
			Instance:     rec.h.instance,
			Client:       rec.client,
			KeyID:        rec.h.keyID,

			Events: rec.eventCounts(),
			Errors: rec.errors,
		},
		Panels: make([]StoredPanel, len(rec.panels)),
	}
	for i, p := range rec.panels {
		pr := StoredPanel{ID: rec.h.panels[i].id, Enabled: rec.enabled[i]}
		if pr.Enabled {
			stats, err := json.Marshal(p)
			if err != nil {
				pr.Error = err.Error()
			} else {
				pr.Stats = stats
			}
		}
		stored.Panels[i] = pr
	}
	// The request's own context may be cancelled by now (the client went
	// away); the record is still worth keeping. An asset known only by its
	// response's Content-Type is not (Options.RecordAssets).
	if kind != KindAsset || rec.h.recordAssets {
		_ = rec.h.store.Save(context.WithoutCancel(req.Context()), stored)
	}
	if !panicked {
		rw.finish(rec.h.scriptTag(req, rw.w.Header(), rec.id))
	}
}

// Record implements event.Sink: it hands e to the enabled panels that
// receive its kind, up to the toolbar's cap, and keeps it once in the log
// when one of them reads events after the handler (panel.EventReader). Events that reach the request
// after it ended are the bus's to turn away (unattributed): none come here.
func (rec *recording) Record(e *event.Event) {
	// A request's events are mostly of one kind: remember the last lookup.
	// Kinds are mostly the same string constant, which compares in one step.
	if e.Kind != rec.lastKind || rec.lastTargets == nil {
		targets := rec.h.targets(e.Kind)
		rec.lastKind, rec.lastTargets, rec.lastCount = e.Kind, targets, nil
		rec.lastLogged = slices.ContainsFunc(targets, func(i int) bool { return slices.Contains(rec.readers, i) })
	}
	targets := rec.lastTargets
	counted := false
	for _, i := range targets {
		if !rec.enabled[i] {
			continue
		}
		if !counted {
			if rec.kept >= rec.h.maxEvents {
				rec.dropped++
				return
			}
			rec.kept++
			rec.count(e)
			counted = true
		}
		rec.panels[i].Record(e)
	}
	if counted && rec.lastLogged {
		rec.log.add(e)
	}
}

// targets returns the indexes of the panels that receive events of kind.
func (h *handler) targets(kind string) []int {
	if targets, ok := h.kinds[kind]; ok {
		return targets
	}
	return h.unclaimed
}

// WantStacks implements event.StackWanter: whether to capture stacks for
// this request.
func (rec *recording) WantStacks() bool { return !rec.h.noStacks }

// serverTiming returns the Server-Timing header: the time so far and the
// entries of the enabled panels.
func (rec *recording) serverTiming() string {
	var entries []panel.Timing
	bus.Exclusive(rec.ctx, func() {
		for i, p := range rec.panels {
			if rec.enabled[i] {
				entries = append(entries, p.ServerTiming()...)
			}
		}
	})
	return formatServerTiming(time.Since(rec.start), entries)
}

// newID returns a request id: 128 random bits, in hex.
func newID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// validID reports whether id can be a request id, so that malformed ones
// are turned away before the store sees them.
func validID(id string) bool {
	if len(id) != 32 {
		return false
	}
	_, err := hex.DecodeString(id)
	return err == nil && strings.ToLower(id) == id
}

// panelCookie reads a cookie that lists panel IDs: ddt_disabled, the panels
// the user switched off, or ddt_enabled, those switched on.
func panelCookie(r *http.Request, name string) map[string]bool {
	c, err := r.Cookie(name)
	if err != nil || c.Value == "" {
		return nil
	}
	v := c.Value
	if u, err := url.QueryUnescape(v); err == nil {
		v = u
	}
	m := map[string]bool{}
	for id := range strings.SplitSeq(v, ",") {
		if id = strings.TrimSpace(id); id != "" {
			m[id] = true
		}
	}
	return m
}
