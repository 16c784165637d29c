// Package featureflags is the toolbar's Feature Flags panel: every call of
// a function marked //ddt:flag in the request, with the flag's name, its
// result and the stack of the code that evaluated it. It is the panel that
// the article ddt grew from builds in Python. panel_gen.go and
// panel_gen.html are generated from panelgen's featureflags spec by
//
//	ddt panelgen featureflags -o runtime/panels/featureflags
//
// and CI fails when regenerating them changes anything.
package featureflags
