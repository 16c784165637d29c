// Package ddtopenfeature files OpenFeature flag evaluations
// (github.com/open-feature/go-sdk) into the toolbar's Feature Flags panel,
// next to those of functions marked //ddt:flag, and applies the panel's
// overrides to them.
//
//	openfeature.AddHooks(ddtopenfeature.NewHook())                    // record every evaluation
//	openfeature.SetProviderAndWait(ddtopenfeature.Provider(provider)) // time them, apply overrides
//
// # The hook
//
// [Hook] records each evaluation when it finishes (its Finally stage), as
// an event of kind featureflag.Kind named after the flag's key, with the
// value the code received and OpenTelemetry's fields: variant, reason,
// error code and message, targeting key, provider name and flag metadata
// (see package runtime/featureflag; secret-looking metadata keys are
// redacted). The event belongs to the request that the evaluation's
// context.Context carries, or else to the request whose goroutine made
// it, by the runtime's usual rules (package runtime/event). Its stack
// starts at the code that called the OpenFeature client: the SDK's frames
// and this package's are left out. Register it globally
// (openfeature.AddHooks) or on a client (Client.AddHooks); once.
//
// # The provider
//
// A hook sees neither how long the provider took nor can it change the
// result. [Provider] wraps a provider to do both: it times each
// resolution, and, for a request whose developer forced the flag from the
// toolbar, resolves to the override (reason DDT_OVERRIDE) after resolving
// the real value, which the panel shows next to it. Boolean, string,
// integer and float flags can be overridden; object flags cannot. It hands
// what it measured to the hook through a flag metadata entry that the
// hook removes before the application sees the evaluation's details; it
// does so only while a request is recorded and once a Hook has been made.
// Everything else (its name, hooks, initialization, events, tracking) is
// the wrapped provider's.
//
// While no request is recorded, the hook and the provider cost one atomic
// load per evaluation (see BENCHMARKS.md).
package ddtopenfeature
