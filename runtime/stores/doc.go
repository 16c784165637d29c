// Package stores holds the toolbar's stores for applications that run as
// several instances, each in a package of its own so that the toolbar
// links none of their clients unless the application imports one:
//
//   - [github.com/go-ddt/ddt/runtime/stores/ddtpg] keeps the records in
//     PostgreSQL (pgx);
//   - [github.com/go-ddt/ddt/runtime/stores/ddtredis] keeps them in Redis
//     (go-redis);
//   - [github.com/go-ddt/ddt/runtime/stores/storequeue] is what both are
//     built on: records are written off the request path, in batches,
//     from a bounded queue, and a server that is down or slow costs the
//     application nothing but the records it drops.
package stores
