package panel

// GeneratedCodeV1 is referenced by panels that ddt panelgen generates for
// version 1 of this package's API. When the API changes incompatibly, the
// constant is renamed, so an out-of-date generated panel fails to compile
// with an error naming it: regenerate it with "go tool ddt panelgen".
const GeneratedCodeV1 = 1
