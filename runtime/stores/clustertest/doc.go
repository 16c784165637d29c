// Package clustertest runs an application as three instances behind a
// round-robin proxy, sharing a toolbar store, and checks in Chromium that
// the toolbar of the page shows the fetch requests the other instances
// served, with every panel and EXPLAIN working. It holds only tests.
package clustertest
