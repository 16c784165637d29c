package ddtotel

// Names of the OpenTelemetry semantic conventions the Exporter writes
// (https://opentelemetry.io/docs/specs/semconv/: registry/attributes/code/,
// exceptions/, http/), defined here
// rather than imported from go.opentelemetry.io/otel/semconv, whose package
// path changes with every version of the conventions. The feature-flag
// names are runtime/featureflag's, shared with ddtopenfeature and the
// Feature Flags panel.
const (
	// Values of feature_flag.result.reason for a marked function: ddt
	// sees the result, not why the function chose it, unless it failed or
	// the toolbar overrode it (OpenFeature's DDT_OVERRIDE, lower-case as
	// the convention's values are).
	flagReasonUnknown  = "unknown"
	flagReasonError    = "error"
	flagReasonOverride = "ddt_override"

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
