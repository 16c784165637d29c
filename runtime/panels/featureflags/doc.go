// Package featureflags is the toolbar's Feature Flags panel: every flag
// evaluation of the request, from functions marked //ddt:flag and from
// OpenFeature (runtime/integrations/ddtopenfeature), in one table: the
// flag's key, the value the code received, the variant, the reason, the
// error, the targeting key, the provider, the flag's metadata, the time it
// took and the stack of the code that asked. Rows are stored with
// OpenTelemetry's feature flag field names (package runtime/featureflag).
//
// # Overrides
//
// From the panel, a developer forces a flag to a value for their own
// browser: on or off, or a variant. The panel's script keeps the overrides
// in the featureflag.OverrideCookie cookie and reloads the page; for the
// requests the toolbar records (so only for clients it is shown to), the
// panel reads the cookie (bounded and checked, featureflag.ParseOverrides)
// and hands it to the request (event.SetFlagOverrides). A marked function
// then returns the override, and ddtopenfeature's provider resolves to
// it; the row says "overridden" and shows the real result too. An
// override cookie that does not parse is shown in the panel and applies
// nothing.
//
// The article ddt grew from builds a simpler Feature Flags panel, which
// ddt panelgen featureflags still generates (panelgen's golden tests
// check it): this one grew past what a panel spec describes.
package featureflags
