// Package demo is the app behind "ddt demo": the seed article's example in
// Go. A school dashboard whose feature flags are evaluated with the current
// user as context — in handlers, in a helper called from a template, and in
// a goroutine a handler starts — with its data in a SQLite database created
// and seeded on start.
//
// The //ddt:flag function in flags.go is instrumented in place by ddt
// itself ("ddt instrument -w"); CI checks with "ddt instrument --check" that
// the committed instrumentation is what ddt generates today.
package demo
