// Package panelgen generates toolbar panels from specs.
//
// A spec (YAML) names a panel, the event kinds it receives (the <kind> of a
// //ddt:<kind> directive), its columns and where each value comes from in an
// event, the nav subtitle's noun, and optional ordering, grouping and
// summary figures. [ParseSpec] reads and checks one, reporting every problem
// as file:line:col: field: message.
//
// # Built-in specs
//
// The specs/ directory holds the specs that "ddt panelgen NAME" knows by
// name; featureflags reproduces the Feature Flags panel of the article that
// ddt grew from, and the toolbar's own Feature Flags panel is generated from
// it.
package panelgen
