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
// Each SELECT links to ddtsql's EXPLAIN handler, which the application
// mounts at ddtsql.ExplainPath (or at Options.ExplainURL):
//
//	import sqlpanel "github.com/go-ddt/ddt/runtime/panels/sql"
//
//	mux.Handle(ddtsql.ExplainPath, ddtsql.ExplainHandler(nil))
//	h := toolbar.Middleware(mux, toolbar.Options{
//		Panels: []func() panel.Panel{sqlpanel.New},
//	})
//
// The package is named sql after its directory; import it under another
// name next to database/sql.
package sql
