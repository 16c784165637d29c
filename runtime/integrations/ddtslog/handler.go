package ddtslog

import (
	"context"
	"github.com/go-ddt/ddt/runtime/event"
	"github.com/go-ddt/ddt/runtime/redact"
	"log/slog"
	"strings"
	"time"
)

// Kind is the event kind of captured records; the Logs panel lists it.
const Kind = "log"

// MaxMessage bounds the message kept for an event, in bytes.
const MaxMessage = 4 << 10

// Options configure a [Handler].
type Options struct {
	// Level is the lowest level captured for the toolbar; default
	// slog.LevelDebug.
	Level slog.Leveler
}

// Handler is a slog.Handler that passes records on to another and
// captures them for the toolbar.
type Handler struct {
	next  slog.Handler
	level slog.Leveler
	attrs []event.Field // of WithAttrs, rendered, with their groups
	group string        // the groups of WithGroup, each followed by "."
}

// NewHandler returns a handler that passes every record to next and
// captures it for the toolbar; opts may be nil. A nil next drops the
// records once captured: the toolbar is then their only reader.
func NewHandler(next slog.Handler, opts *Options) *Handler {
	if next == nil {
		next = slog.DiscardHandler
	}
	h := &Handler{next: next, level: slog.LevelDebug}
	if opts != nil && opts.Level != nil {
		h.level = opts.Level
	}
	return h
}

// Enabled reports whether the wrapped handler wants records of level l,
// or a request is being recorded and l is at least Options.Level.
func (h *Handler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l) || event.Active() && l >= h.level.Level()
}

// Handle captures r for the toolbar, then passes it to the wrapped
// handler if that wants it.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	if event.Active() && r.Level >= h.level.Level() {
		h.capture(ctx, r)
	}
	if !h.next.Enabled(ctx, r.Level) {
		return nil
	}
	return h.next.Handle(ctx, r)
}

// WithAttrs implements slog.Handler.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return h
	}
	h2 := *h
	h2.next = h.next.WithAttrs(attrs)
	h2.attrs = append([]event.Field(nil), h.attrs...)
	for _, a := range attrs {
		h2.attrs = appendAttr(h2.attrs, h.group, a)
	}
	return &h2
}

// WithGroup implements slog.Handler.
func (h *Handler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	h2 := *h
	h2.next = h.next.WithGroup(name)
	h2.group = h.group + name + "."
	return &h2
}

func (h *Handler) capture(ctx context.Context, r slog.Record) {
	msg := r.Message
	if len(msg) > MaxMessage {
		msg = truncate(msg, MaxMessage)
	}
	e := event.New()
	*e = event.Event{Kind: Kind, Name: msg, Start: r.Time, Stack: []uintptr{}}
	if r.PC != 0 {
		e.Stack = []uintptr{r.PC}
	}
	if e.Start.IsZero() {
		e.Start = time.Now()
	}
	if n := len(h.attrs) + r.NumAttrs(); n > 0 {
		e.Args = make([]event.Field, 0, n)
		e.Args = append(e.Args, h.attrs...)
		r.Attrs(func(a slog.Attr) bool {
			e.Args = appendAttr(e.Args, h.group, a)
			return true
		})
	}
	level := r.Level.String()
	e.Results = []event.Field{{Name: "level", Value: level, Raw: level}}
	event.Emit(ctx, e)
	event.Release(e)
}

// appendAttr renders a as fields named with prefix, flattening groups and
// redacting secret-looking names, by slog's rules: an attribute with an
// empty key is dropped, an empty group too, and a group with an empty key
// is inlined.
func appendAttr(fs []event.Field, prefix string, a slog.Attr) []event.Field {
	v := a.Value.Resolve()
	if v.Kind() == slog.KindGroup {
		group := v.Group()
		if len(group) == 0 {
			return fs
		}
		if a.Key != "" {
			prefix += a.Key + "."
		}
		for _, g := range group {
			fs = appendAttr(fs, prefix, g)
		}
		return fs
	}
	if a.Key == "" {
		return fs
	}
	name := prefix + a.Key
	if redact.IsSecret(name) {
		return append(fs, event.Field{Name: name, Value: redact.Redacted})
	}
	return append(fs, field(name, v))
}

func field(name string, v slog.Value) event.Field {
	switch v.Kind() {
	case slog.KindTime:
		return event.Field{Name: name, Type: "time.Time", Value: v.Time().Format(time.RFC3339Nano)}
	case slog.KindDuration:
		return event.Field{Name: name, Type: "time.Duration", Value: v.Duration().String()}
	case slog.KindAny:
		if err, ok := v.Any().(error); ok {
			return errorField(name, err)
		}
	}
	return event.NewField(name, v.Any())
}

// errorField shows an error by its message, as every log handler does;
// an Error method that panics is shown as such instead.
func errorField(name string, err error) (f event.Field) {
	f = event.Field{Name: name, Type: "error"}
	defer func() {
		if r := recover(); r != nil {
			f.Value = "<Error panicked: " + event.Render(r) + ">"
		}
	}()
	msg := err.Error()
	if len(msg) > event.MaxRenderString {
		msg = truncate(msg, event.MaxRenderString)
	}
	f.Value, f.Raw = msg, msg
	return f
}

func truncate(s string, n int) string {
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return strings.Clone(s[:n]) + event.Truncated
}
