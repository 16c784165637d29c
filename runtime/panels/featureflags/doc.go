// Package featureflags is the toolbar's Feature Flags panel: every call of
// a function marked //ddt:flag in the request, with the flag's name, its
// result and the stack of the code that evaluated it. It is the panel that
// the article ddt grew from builds in Python, and what "ddt panelgen
// featureflags" generates.
package featureflags
