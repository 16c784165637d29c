package featureflag

// Kind is the event kind of flag evaluations: the Feature Flags panel
// lists it, and //ddt:flag makes it.
const Kind = "flag"

// The names of an evaluation's fields, OpenTelemetry's feature flag
// semantic conventions (attributes of the feature_flag.evaluation event).
const (
	Key          = "feature_flag.key"            // the flag's key; also the event's Name
	Value        = "feature_flag.result.value"   // the value the code received: the event's first result
	Variant      = "feature_flag.result.variant" // the variant's name, when the provider has variants
	Reason       = "feature_flag.result.reason"  // why this value: static, targeting_match, default, error, ...
	ContextID    = "feature_flag.context.id"     // the targeting key of the evaluation context
	ProviderName = "feature_flag.provider.name"  // the provider that resolved it
	SetID        = "feature_flag.set.id"         // the flag set, from the flagSetId metadata entry
	Version      = "feature_flag.version"        // the flag's version, from the version metadata entry
	ErrorType    = "error.type"                  // the error code, lower-case: flag_not_found, type_mismatch, ...
	ErrorMessage = "error.message"               // the error's message
	EventName    = "feature_flag.evaluation"     // the OpenTelemetry event these attributes belong to
)

// MetadataPrefix starts the name of a field that holds a flag metadata
// entry other than the flagSetId and version that [SetID] and [Version]
// name: "feature_flag.metadata.owner".
const MetadataPrefix = "feature_flag.metadata."
