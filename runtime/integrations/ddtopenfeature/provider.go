package ddtopenfeature

import (
	"context"
	"maps"
	"strconv"
	"time"

	"github.com/go-ddt/ddt/runtime/event"
	"github.com/open-feature/go-sdk/openfeature"
)

// OverrideReason is the reason of a resolution that the toolbar's override
// replaced.
const OverrideReason openfeature.Reason = "DDT_OVERRIDE"

// stampKey is the flag metadata entry through which the provider hands a
// resolution's timing and real result to the hook, which removes it.
const stampKey = "ddt.resolution"

// stamp is what the provider measured of one resolution.
type stamp struct {
	start    time.Time
	duration time.Duration
	// overridden: the toolbar's override replaced real, whose details
	// are realDetail; override is the override's text.
	overridden bool
	override   string
	real       any
	realDetail openfeature.ProviderResolutionDetail
}

// Provider returns p wrapped to time its resolutions and apply the
// toolbar's overrides (see the package doc). Use it with a [Hook].
func Provider(p openfeature.FeatureProvider) *WrappedProvider {
	return &WrappedProvider{inner: p}
}

// WrappedProvider is a provider wrapped by [Provider].
type WrappedProvider struct {
	inner openfeature.FeatureProvider
}

// Unwrap returns the wrapped provider.
func (w *WrappedProvider) Unwrap() openfeature.FeatureProvider { return w.inner }

// Metadata returns the wrapped provider's.
func (w *WrappedProvider) Metadata() openfeature.Metadata { return w.inner.Metadata() }

// Hooks returns the wrapped provider's.
func (w *WrappedProvider) Hooks() []openfeature.Hook { return w.inner.Hooks() }

// stamping reports whether resolutions are stamped now: a request is
// recorded somewhere and a Hook exists to remove the stamp.
func stamping() bool { return event.Active() && hooksMade.Load() > 0 }

// finish stamps d, a resolution that started at start, replacing its
// metadata with a copy that holds the stamp.
func finish(d *openfeature.ProviderResolutionDetail, start time.Time, real any) *stamp {
	st := &stamp{start: start, duration: time.Since(start), real: real}
	md := make(openfeature.FlagMetadata, len(d.FlagMetadata)+1)
	maps.Copy(md, d.FlagMetadata)
	md[stampKey] = st
	d.FlagMetadata = md
	return st
}

// replace makes d the resolution of an override, keeping the real one in
// st.
func (st *stamp) replace(d *openfeature.ProviderResolutionDetail, text string) {
	st.overridden, st.override = true, text
	st.realDetail = *d
	st.realDetail.FlagMetadata = nil
	*d = openfeature.ProviderResolutionDetail{Reason: OverrideReason, FlagMetadata: d.FlagMetadata}
}

// BooleanEvaluation resolves flag with the wrapped provider, or to its
// override ("true" or "false").
func (w *WrappedProvider) BooleanEvaluation(ctx context.Context, flag string, defaultValue bool, flatCtx openfeature.FlattenedContext) openfeature.BoolResolutionDetail {
	if !stamping() {
		return w.inner.BooleanEvaluation(ctx, flag, defaultValue, flatCtx)
	}
	start := time.Now()
	res := w.inner.BooleanEvaluation(ctx, flag, defaultValue, flatCtx)
	st := finish(&res.ProviderResolutionDetail, start, res.Value)
	override(ctx, flag, st, &res.ProviderResolutionDetail, &res.Value, strconv.ParseBool, strconv.FormatBool)
	return res
}

// StringEvaluation resolves flag with the wrapped provider, or to its
// override.
func (w *WrappedProvider) StringEvaluation(ctx context.Context, flag string, defaultValue string, flatCtx openfeature.FlattenedContext) openfeature.StringResolutionDetail {
	if !stamping() {
		return w.inner.StringEvaluation(ctx, flag, defaultValue, flatCtx)
	}
	start := time.Now()
	res := w.inner.StringEvaluation(ctx, flag, defaultValue, flatCtx)
	st := finish(&res.ProviderResolutionDetail, start, res.Value)
	override(ctx, flag, st, &res.ProviderResolutionDetail, &res.Value,
		func(o string) (string, error) { return o, nil }, func(v string) string { return v })
	return res
}

// FloatEvaluation resolves flag with the wrapped provider, or to its
// override (a number).
func (w *WrappedProvider) FloatEvaluation(ctx context.Context, flag string, defaultValue float64, flatCtx openfeature.FlattenedContext) openfeature.FloatResolutionDetail {
	if !stamping() {
		return w.inner.FloatEvaluation(ctx, flag, defaultValue, flatCtx)
	}
	start := time.Now()
	res := w.inner.FloatEvaluation(ctx, flag, defaultValue, flatCtx)
	st := finish(&res.ProviderResolutionDetail, start, res.Value)
	override(ctx, flag, st, &res.ProviderResolutionDetail, &res.Value,
		func(o string) (float64, error) { return strconv.ParseFloat(o, 64) },
		func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) })
	return res
}

// IntEvaluation resolves flag with the wrapped provider, or to its
// override (an integer).
func (w *WrappedProvider) IntEvaluation(ctx context.Context, flag string, defaultValue int64, flatCtx openfeature.FlattenedContext) openfeature.IntResolutionDetail {
	if !stamping() {
		return w.inner.IntEvaluation(ctx, flag, defaultValue, flatCtx)
	}
	start := time.Now()
	res := w.inner.IntEvaluation(ctx, flag, defaultValue, flatCtx)
	st := finish(&res.ProviderResolutionDetail, start, res.Value)
	override(ctx, flag, st, &res.ProviderResolutionDetail, &res.Value,
		func(o string) (int64, error) { return strconv.ParseInt(o, 10, 64) },
		func(v int64) string { return strconv.FormatInt(v, 10) })
	return res
}

// override replaces the resolved value and its detail with the request's
// override of flag, when there is one and parse accepts it (a value that
// does not fit the flag's type is not applied: the panel says so); format
// writes the value as the detail records it.
func override[T any](ctx context.Context, flag string, st *stamp, d *openfeature.ProviderResolutionDetail, value *T,
	parse func(string) (T, error), format func(T) string) {
	o, ok := event.FlagOverride(ctx, flag)
	if !ok {
		return
	}
	if v, err := parse(o); err == nil {
		st.replace(d, format(v))
		*value = v
	}
}

// ObjectEvaluation resolves flag with the wrapped provider, timed: object
// flags are not overridden.
func (w *WrappedProvider) ObjectEvaluation(ctx context.Context, flag string, defaultValue any, flatCtx openfeature.FlattenedContext) openfeature.InterfaceResolutionDetail {
	if !stamping() {
		return w.inner.ObjectEvaluation(ctx, flag, defaultValue, flatCtx)
	}
	start := time.Now()
	res := w.inner.ObjectEvaluation(ctx, flag, defaultValue, flatCtx)
	finish(&res.ProviderResolutionDetail, start, res.Value)
	return res
}
