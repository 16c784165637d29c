package ddtopenfeature

import (
	"context"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/go-ddt/ddt/runtime/event"
	"github.com/go-ddt/ddt/runtime/featureflag"
	"github.com/go-ddt/ddt/runtime/integrations/internal/callers"
	"github.com/go-ddt/ddt/runtime/redact"
	"github.com/open-feature/go-sdk/openfeature"
)

// skipper drops the frames of the SDK (the client, its hook runner) and of
// this package from an evaluation's stack, so that it starts where the
// application asked for the flag.
var skipper = callers.NewSkipper("github.com/open-feature/go-sdk", "github.com/go-ddt/ddt/runtime/integrations/ddtopenfeature")

// hooksMade counts the Hooks made: a Provider stamps its resolutions only
// when one may remove the stamp.
var hooksMade atomic.Int32

// Hook records OpenFeature evaluations for the toolbar (see the package
// doc). Make it with [NewHook].
type Hook struct {
	openfeature.UnimplementedHook
}

var _ openfeature.Hook = (*Hook)(nil)

// NewHook returns a hook that records every evaluation it runs for.
func NewHook() *Hook {
	hooksMade.Add(1)
	return &Hook{}
}

// Finally records the evaluation whose details are d.
func (h *Hook) Finally(ctx context.Context, hc openfeature.HookContext, d openfeature.InterfaceEvaluationDetails, _ openfeature.HookHints) {
	var st *stamp
	if d.FlagMetadata != nil {
		if s, ok := d.FlagMetadata[stampKey].(*stamp); ok {
			st = s
			// The application's details share this map.
			delete(d.FlagMetadata, stampKey)
		}
	}
	if !event.Active() {
		return
	}
	e := event.New()
	*e = event.Event{Kind: featureflag.Kind, Name: d.FlagKey}
	value, detail := d.Value, d.ResolutionDetail
	if st != nil {
		e.Start, e.Duration = st.start, st.duration
		if st.overridden {
			e.Override = st.override
			value = st.real
			detail = st.realDetail.ResolutionDetail()
			detail.FlagMetadata = d.FlagMetadata
		}
	} else {
		e.Start = time.Now()
	}
	e.Results = append(e.Results, event.NewField(featureflag.Value, value))
	add := func(name, v string) {
		if v != "" {
			e.Results = append(e.Results, event.Field{Name: name, Type: "string", Value: v, Raw: v})
		}
	}
	add(featureflag.Variant, detail.Variant)
	add(featureflag.Reason, strings.ToLower(string(detail.Reason)))
	add(featureflag.ErrorType, strings.ToLower(string(detail.ErrorCode)))
	add(featureflag.ErrorMessage, detail.ErrorMessage)
	add(featureflag.ContextID, hc.EvaluationContext().TargetingKey())
	add(featureflag.ProviderName, hc.ProviderMetadata().Name)
	e.Results = appendMetadata(e.Results, detail.FlagMetadata)
	if event.WantStacks(ctx) {
		e.Stack = skipper.Capture(0)
	} else {
		e.Stack = []uintptr{}
	}
	event.Emit(ctx, e)
	event.Release(e)
}

// appendMetadata appends the flag's metadata, sorted by key: flagSetId
// and version under OpenTelemetry's names, the others under
// featureflag.MetadataPrefix, secret-looking ones redacted.
func appendMetadata(fs []event.Field, md openfeature.FlagMetadata) []event.Field {
	keys := make([]string, 0, len(md))
	for k := range md {
		if k != stampKey {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		name := featureflag.MetadataPrefix + k
		switch k {
		case "flagSetId":
			name = featureflag.SetID
		case "version":
			name = featureflag.Version
		}
		if redact.IsSecret(k) {
			fs = append(fs, event.Field{Name: name, Value: redact.Redacted})
			continue
		}
		fs = append(fs, event.NewField(name, md[k]))
	}
	return fs
}
