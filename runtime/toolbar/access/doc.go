// Package access decides who may use ddt's debug toolbar and its debug
// handlers (the SQL panel's EXPLAIN, the Profile panel's downloads): the
// one rule they all apply, as Django Debug Toolbar's DEBUG and
// INTERNAL_IPS do.
//
// # On or off
//
// The toolbar shows stack traces, headers and arguments, so it is off
// unless something turns it on, and nothing turns it off (see [Enabled]):
//
//   - ddt build, ddt run and ddt test turn it on: their overlay adds a
//     file to this package that says so (so does the go build -overlay
//     command that ddt instrument prints). A plain go build does not.
//   - DDT_ENABLE=1 in the environment turns it on, in any build.
//   - An explicit [On] in code (toolbar.Options.Enable) turns it on.
//   - DDT_DISABLE=1 (or DDT_ENABLE=0) and an explicit [Off] turn it off,
//     whatever else says on.
//
// Off, the toolbar's middleware is the application's handler itself and
// the debug handlers answer 404 to everyone.
//
// # Who
//
// On, a [Rule] says which requests may see it: those from a loopback
// address, with a Host header that names the machine (a defence against
// DNS rebinding), and without forwarded headers unless the rule trusts
// them: behind a reverse proxy every request comes from loopback.
package access
