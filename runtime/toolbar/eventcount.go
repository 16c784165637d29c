package toolbar

import (
	"strings"

	"github.com/go-ddt/ddt/runtime/event"
)

// count adds e, an event the request keeps, to the counts of its
// Summary: by kind, and as an error when it reports a failure.
func (rec *recording) count(e *event.Event) {
	if rec.lastCount == nil {
		if rec.counts == nil {
			rec.counts = map[string]*int{}
		}
		c := rec.counts[e.Kind]
		if c == nil {
			c = new(int)
			rec.counts[e.Kind] = c
		}
		rec.lastCount = c
	}
	*rec.lastCount++
	if failed(e) {
		rec.errors++
	}
}

// eventCounts returns the counts of the kept events by kind, or nil when
// there were none.
func (rec *recording) eventCounts() map[string]int {
	if len(rec.counts) == 0 {
		return nil
	}
	out := make(map[string]int, len(rec.counts))
	for k, c := range rec.counts {
		out[k] = *c
	}
	return out
}

// failed reports whether e reports a failure: it panicked, it has a
// non-empty "err" result (the integrations' failed query, outbound call
// or template execution), or it is a log record at level ERROR or above
// (ddtslog's "level" result: "ERROR", "ERROR+2").
func failed(e *event.Event) bool {
	if e.Panicked {
		return true
	}
	for i := range e.Results {
		f := &e.Results[i]
		switch f.Name {
		case "err":
			if f.Value != "" && f.Value != "nil" && f.Value != `""` {
				return true
			}
		case "level":
			if s, ok := f.Raw.(string); ok && e.Kind == "log" && strings.HasPrefix(s, "ERROR") {
				return true
			}
		}
	}
	return false
}
