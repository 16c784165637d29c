package panel

// GeneratedCodeV2 is referenced by panels that ddt panelgen generates for
// version 2 of this package's API: the package moved from
// runtime/toolbar/panel to runtime/panel, and redaction to runtime/redact.
// When the API changes incompatibly, the constant is renamed, so an
// out-of-date generated panel fails to compile with an error naming it:
// regenerate it with "go tool ddt panelgen".
const GeneratedCodeV2 = 2

// GeneratedCodeV3 is referenced by panels that ddt panelgen generates for
// version 3: a generated panel reads its events once the handler has
// returned ([EventReader]) instead of copying each in Record. Panels
// generated for version 2 still compile and work.
const GeneratedCodeV3 = 3
