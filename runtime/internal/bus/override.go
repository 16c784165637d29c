package bus

import (
	"context"
	"strconv"
)

// flagKind is the kind of flag evaluations (featureflag.Kind, which this
// package cannot import: it is below it).
const flagKind = "flag"

// SetFlagOverrides makes the flag evaluations of the request bound to ctx
// return the values in o (flag key to value) instead of their own: the
// toolbar's overrides, which its Feature Flags panel reads from the
// developer's cookie. It reports whether ctx carries a bound request; o
// must not be modified afterwards. Only evaluations certain to be that
// request's work receive them: those attributed by a context argument or
// made on the handler's goroutine, while it is bound; never those of other
// goroutines attributed by inherited labels, which may be a worker's
// serving someone else.
func SetFlagOverrides(ctx context.Context, o map[string]string) bool {
	b := bindingFromContext(ctx)
	if b == nil {
		return false
	}
	if len(o) == 0 {
		b.overrides.Store(nil)
	} else {
		b.overrides.Store(&o)
	}
	return true
}

// FlagOverride returns the override of the flag called key for the request
// that ctx carries, or, when it carries none, for the request whose handler
// is the current goroutine; false when there is none. Integrations call it
// where they resolve a flag.
func FlagOverride(ctx context.Context, key string) (string, bool) {
	if !Active() {
		return "", false
	}
	b := bindingFromContext(ctx)
	if b == nil {
		g, _ := current()
		if g == nil {
			return "", false
		}
		v, ok := handlers.Load(g)
		if !ok {
			return "", false
		}
		b = v.(*binding)
	}
	return b.flagOverride(key)
}

func (b *binding) flagOverride(key string) (string, bool) {
	if b == nil || b.unbound.Load() {
		return "", false
	}
	m := b.overrides.Load()
	if m == nil {
		return "", false
	}
	v, ok := (*m)[key]
	return v, ok
}

// override returns the value that replaces the call's first result, real,
// or nil: only for a bool or a string result, and only when the call was
// attributed for certain (see SetFlagOverrides). It sets the event's
// Override.
func (c *Call) override(real any) any {
	switch c.ev.Via {
	case ViaContext, ViaRequest, ViaHandler:
	default:
		return nil
	}
	v, ok := c.b.flagOverride(c.ev.Name)
	if !ok {
		return nil
	}
	switch real.(type) {
	case bool:
		on, err := strconv.ParseBool(v)
		if err != nil {
			return nil
		}
		c.ev.Override = strconv.FormatBool(on)
		return on
	case string:
		c.ev.Override = v
		return v
	}
	return nil
}
