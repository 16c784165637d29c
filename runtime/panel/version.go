package panel

// GeneratedCodeV2 is referenced by panels that ddt panelgen generates for
// version 2 of this package's API: the package moved from
// runtime/toolbar/panel to runtime/panel, and redaction to runtime/redact.
// When the API changes incompatibly, the constant is renamed, so an
// out-of-date generated panel fails to compile with an error naming it:
// regenerate it with "go tool ddt panelgen".
const GeneratedCodeV2 = 2
