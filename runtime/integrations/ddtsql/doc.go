// Package ddtsql records the queries that a database/sql database makes
// for the toolbar's SQL panel: each query and exec with its SQL, its
// arguments, duration, rows affected, error, the transaction it belongs
// to and the stack of the code that made it, attributed to the request
// that made it.
//
// # Wrapping a database
//
// Open a database through ddtsql instead of database/sql; nothing is
// registered globally:
//
//	db, err := ddtsql.Open("sqlite", "app.db")  // instead of sql.Open
//	db := ddtsql.OpenDB(connector)              // instead of sql.OpenDB
//
// [WrapConnector] and [WrapDriver] wrap a driver.Connector or a
// driver.Driver for code that opens the database itself. Options name the
// database in the panel ([Name]) and set its SQL dialect ([Dialect]),
// which is otherwise guessed from the driver.
//
// The wrapper keeps the driver's behaviour: it implements the optional
// driver interfaces by deferring to the driver's own, and reports
// driver.ErrSkip where the driver lacks one, so database/sql falls back
// exactly as it would. When no request is being recorded anywhere, a
// query costs one atomic load more than without ddtsql.
//
// # Attribution
//
// A query belongs to the request of the context given to QueryContext,
// ExecContext or BeginTx; for Query and Exec, which have none, to the
// request whose handler (or a goroutine it started) made the call. A
// query of no request is counted as unattributed, never put into another
// request. A transaction's commit and rollback belong to the request of
// its BeginTx context.
//
// # Events
//
// Every statement is an event of kind [Kind] ("sql"), which the SQL panel
// (package github.com/go-ddt/ddt/runtime/panels/sql) receives; a panel of
// your own can list the kind too. An event's Name is the statement (at
// most [MaxSQL] bytes), its Args are the statement's arguments, named by
// sql.Named or by position ("1", "2", ...), and its Results are:
//
//	op       "query", "exec", "begin", "commit" or "rollback"
//	db       the database's label
//	tx       the transaction's number, when in one
//	rows     rows affected (exec)
//	err      the error's message
//	args     a digest of the arguments: equal for equal arguments
//	explain  a signed reference for [Explain] (explainable SELECTs)
//
// Begin, commit and rollback are events too, with the op as their Name.
// The stack starts at the application's frame that called database/sql.
//
// # Redaction
//
// An argument is redacted (replaced by "********") when its name, or the
// column it is compared with or stored in, looks secret to
// redact.IsSecret: in "UPDATE users SET password = ?" and "WHERE api_key
// = $2" and "INSERT INTO t (name, token) VALUES (?, ?)" the values of
// password, api_key and token are. Literals in the statement's text are
// redacted by the same rule. The digest of the arguments is keyed with a
// random seed of the process, so it reveals nothing of them.
//
// # EXPLAIN
//
// The SQL panel links each SELECT to [ExplainHandler], which it serves as
// a route of the toolbar ({prefix}ext/sql/explain). The link carries only a reference:
// a sequence number and its HMAC under a key made at random when the
// process starts. The server looks the query up among the last
// [KeepExplainable] it kept, with its arguments, and runs EXPLAIN (EXPLAIN
// QUERY PLAN on SQLite) in a transaction that it rolls back. SQL from the
// client is never run. Queries are explained on the pool that [Open] or
// [OpenDB] returned; with [WrapConnector] or [WrapDriver], on a pool of one
// connection that ddtsql opens.
//
// Instances of an application that share a toolbar store (see
// runtime/stores) show each other's requests, so an EXPLAIN link may reach
// another instance than the one that ran the query. Give them the same
// toolbar Options.SigningKey: the reference then carries the query and its
// arguments themselves, encrypted and authenticated under that key
// (AES-256-GCM, at most [MaxSealedBytes]), and any instance explains it on
// its database of the same [Name]. An instance with another key, or none,
// answers [ErrOtherKey] with both keys' ids; a query whose arguments are
// too large to travel is explained by its own instance only, and the
// others answer [ErrOtherInstance] naming it.
package ddtsql
