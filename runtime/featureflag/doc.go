// Package featureflag names what ddt records about a feature flag
// evaluation, and reads the toolbar's flag overrides.
//
// # Field names
//
// An evaluation is an event of kind [Kind] whose Name is the flag's key and
// whose first result is the value the code received. The other results
// are named after OpenTelemetry's semantic conventions for feature flags
// (https://opentelemetry.io/docs/specs/semconv/feature-flags/), so that
// whatever exports ddt's events can pass them on unchanged: [Variant],
// [Reason], [ErrorType], [ErrorMessage], [ContextID], [ProviderName],
// [SetID], [Version], and one field per flag metadata entry, named
// [MetadataPrefix] + its key. Reasons and error types are lower-case, as
// the conventions have them ("targeting_match", "flag_not_found").
// Functions marked //ddt:flag record the value only; integrations such as
// ddtopenfeature record the rest.
//
// # Overrides
//
// A developer forces flags from the toolbar's Feature Flags panel, for
// their own browser: the panel's script keeps the overrides in the
// [OverrideCookie] cookie, and the panel hands them to the requests the
// toolbar records (event.SetFlagOverrides). [ParseOverrides] reads that
// cookie, which comes from the client and is bounded and checked here:
// [MaxOverrides] entries, keys of at most [MaxKeyLength] bytes and values
// of at most [MaxValueLength], valid UTF-8 without control characters.
package featureflag
