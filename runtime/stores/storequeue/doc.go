// Package storequeue turns a [Backend], a store on a remote server, into a
// toolbar.Store that never makes the application wait for that server.
//
// Save puts the record in a bounded queue and returns at once; one
// goroutine writes what the queue holds in batches (Backend.SaveBatch).
// When the queue is full, or a batch fails, records are dropped and
// counted. After a failed batch the store is unavailable: the writer pings
// the server with a growing back-off (up to Config.MaxRetry) and, when it
// answers, writes again, by itself. Reads (Get, List) are bounded by
// Config.Timeout and answer errors that wrap toolbar.ErrUnavailable, so
// the toolbar says "store unavailable" instead of waiting.
//
// Records still in the queue are read from it: the toolbar of the instance
// that served a request shows it at once, before the batch is written.
package storequeue
