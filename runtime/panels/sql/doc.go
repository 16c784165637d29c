// Package sql is the toolbar's SQL panel: the statements a request ran
// through a database opened with package
// github.com/go-ddt/ddt/runtime/integrations/ddtsql (events of kind
// "sql"), with their arguments (secrets redacted), durations, rows
// affected, errors, transactions and stack traces.
//
// It flags what Django Debug Toolbar's SQL panel flags: duplicates (the
// same statement with the same arguments, run again) and similar queries
// (the same statement with other arguments), and names the call site of
// statements that look like an N+1 pattern (the same statement run many
// times from one place with different arguments). Statements slower than
// Options.Slow (500 ms by default) are highlighted. The toolbar's list
// shows "12 queries in 3.1 ms, 4 duplicates", and the response's
// Server-Timing header an "sql" entry.
//
// Each SELECT links to its EXPLAIN, which the panel serves as a route of
// the toolbar ({prefix}ext/sql/explain, see panel.Router) with the handler
// that ddtsql registers in package ext when it is linked: the panel does
// not import ddtsql, so the toolbar does not link database/sql for
// programs that do not use it. It is one of the toolbar's default panels;
// sqlpanel.NewWith configures it:
//
//	import sqlpanel "github.com/go-ddt/ddt/runtime/panels/sql"
//
//	h := toolbar.Middleware(mux, toolbar.Options{
//		Panels: []func() panel.Panel{sqlpanel.NewWith(sqlpanel.Options{Slow: 100 * time.Millisecond})},
//	})
//
// The package is named sql after its directory; import it under another
// name next to database/sql.
package sql
