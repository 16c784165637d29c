package ddtotel

// Names of the OpenTelemetry semantic conventions the Exporter writes
// (https://opentelemetry.io/docs/specs/semconv/feature-flags/feature-flags-events/,
// .../registry/attributes/code/, .../exceptions/). They are defined here
// rather than imported from go.opentelemetry.io/otel/semconv, whose
// package path changes with every version of the conventions, or from
// another ddt integration, so that ddtotel depends on neither.
const (
	flagEvaluationEvent = "feature_flag.evaluation"
	flagKey             = "feature_flag.key"
	flagResultValue     = "feature_flag.result.value"
	flagResultVariant   = "feature_flag.result.variant"
	flagResultReason    = "feature_flag.result.reason"
	flagProviderName    = "feature_flag.provider.name"

	// Values of feature_flag.result.reason: ddt sees the result, not why
	// the provider chose it, unless the evaluation failed.
	flagReasonUnknown = "unknown"
	flagReasonError   = "error"

	errorType           = "error.type"
	errorMessage        = "error.message"
	codeFunctionName    = "code.function.name"
	exceptionEvent      = "exception"
	exceptionMessage    = "exception.message"
	httpRequestMethod   = "http.request.method"
	httpRoute           = "http.route"
	httpResponseStatus  = "http.response.status_code"
	urlPath             = "url.path"
	ddtKind             = "ddt.kind"
	ddtName             = "ddt.name"
	ddtGoroutine        = "ddt.goroutine"
	ddtVia              = "ddt.via"
	ddtArgPrefix        = "ddt.arg."
	ddtResultPrefix     = "ddt.result."
	instrumentationName = "github.com/go-ddt/ddt/runtime/integrations/ddtotel"
)
