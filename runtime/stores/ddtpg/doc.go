// Package ddtpg is a toolbar store in PostgreSQL, for an application that
// runs as several instances: the toolbar of any of them shows and switches
// to the requests that all of them served.
//
//	store, err := ddtpg.Open(os.Getenv("DDT_POSTGRES"), ddtpg.Options{})
//	if err != nil { ... }
//	defer store.Close()
//	handler = toolbar.Middleware(handler, toolbar.Options{Store: store, SigningKey: key})
//
// The store creates its table on first use, in one transaction under an
// advisory lock so that instances starting together agree, and records
// the schema's version (SchemaVersion) in the table ddt_schema: a table
// of another version is reported, never changed. Records are bounded by
// count (Options.MaxRequests) and by age (Options.MaxAge): each batch of
// writes deletes what is over either bound, at most once a second, so no
// cron job is needed.
//
// Records are written by package storequeue: off the request path, in
// batches of one round trip, from a bounded queue; a server that is down
// or slow costs the application nothing but the records it drops. Reading
// a record (a panel) is one SELECT by primary key.
package ddtpg
