// Package ddtredis is a toolbar store in Redis, for an application that
// runs as several instances: the toolbar of any of them shows and switches
// to the requests that all of them served.
//
//	store, err := ddtredis.Open(os.Getenv("DDT_REDIS"), ddtredis.Options{})
//	if err != nil { ... }
//	defer store.Close()
//	handler = toolbar.Middleware(handler, toolbar.Options{Store: store, SigningKey: key})
//
// Its keys start with Options.Prefix and the schema's version
// ("ddt:v1:"): a record (rec:ID, a string that expires after
// Options.MaxAge), its summary (in the hash sum), the index of every
// record by start time (the sorted set idx) and one per browser (cli:ID).
// The meta hash records the version when the store is first written. Each
// batch of writes is one Lua script that also deletes the records over
// the bounds, by age (Options.MaxAge) and by count (Options.MaxRequests):
// no cron job is needed.
//
// Records are written by package storequeue: off the request path, in
// batches of one round trip, from a bounded queue; a server that is down
// or slow costs the application nothing but the records it drops. Reading
// a record (a panel) is one GET; listing is one script.
package ddtredis
