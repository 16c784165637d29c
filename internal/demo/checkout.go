package demo

import (
	"net/http"

	"github.com/go-ddt/ddt/runtime/integrations/ddtopenfeature"
	"github.com/open-feature/go-sdk/openfeature"
	"github.com/open-feature/go-sdk/openfeature/memprovider"
)

// openFeatureDomain is the OpenFeature domain the demo's provider is
// registered under, so that it leaves the default provider alone.
const openFeatureDomain = "ddt-demo"

// checkoutFlags are the checkout page's flags, served by OpenFeature's
// in-memory provider: new-checkout is on for teachers, checkout-theme is a
// string flag with three variants, free-shipping-over an integer.
func checkoutFlags() map[string]memprovider.InMemoryFlag {
	byRole := func(f memprovider.InMemoryFlag, flat openfeature.FlattenedContext) (any, openfeature.ProviderResolutionDetail) {
		variant, reason := f.DefaultVariant, openfeature.DefaultReason
		if flat["role"] == "teacher" {
			variant, reason = "on", openfeature.TargetingMatchReason
		}
		return f.Variants[variant], openfeature.ProviderResolutionDetail{
			Variant: variant, Reason: reason,
			FlagMetadata: openfeature.FlagMetadata{"flagSetId": "checkout", "owner": "payments-team"},
		}
	}
	return map[string]memprovider.InMemoryFlag{
		"new-checkout": {Key: "new-checkout", State: memprovider.Enabled, DefaultVariant: "off",
			Variants: map[string]any{"on": true, "off": false}, ContextEvaluator: &byRole},
		"checkout-theme": {Key: "checkout-theme", State: memprovider.Enabled, DefaultVariant: "classic",
			Variants: map[string]any{"classic": "classic", "compact": "compact", "festive": "festive"}},
		"free-shipping-over": {Key: "free-shipping-over", State: memprovider.Enabled, DefaultVariant: "fifty",
			Variants: map[string]any{"fifty": int64(50), "twenty": int64(20)}},
	}
}

// newOpenFeatureClient registers the in-memory provider, wrapped so that
// the toolbar times its resolutions and applies overrides, and returns a
// client with ddt's hook, which records every evaluation.
func newOpenFeatureClient() (*openfeature.Client, error) {
	provider := ddtopenfeature.Provider(memprovider.NewInMemoryProvider(checkoutFlags()))
	if err := openfeature.SetNamedProviderAndWait(openFeatureDomain, provider); err != nil {
		return nil, err
	}
	client := openfeature.NewClient(openFeatureDomain)
	client.AddHooks(ddtopenfeature.NewHook())
	return client, nil
}

// checkout is the OpenFeature-backed page: its flags are evaluated for the
// current user through an OpenFeature client, with the request's context.
func (a *App) checkout(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	user := UserFrom(ctx)
	who := openfeature.NewEvaluationContext(user.Name, map[string]any{"role": user.Role, "beta": user.Beta})
	newCheckout, _ := a.openFeature.BooleanValue(ctx, "new-checkout", false, who)
	theme, _ := a.openFeature.StringValue(ctx, "checkout-theme", "classic", who)
	freeOver, _ := a.openFeature.IntValue(ctx, "free-shipping-over", 50, who)
	a.render(w, r, "checkout.html", map[string]any{
		"User": user, "NewCheckout": newCheckout, "Theme": theme, "FreeOver": freeOver,
	})
}
