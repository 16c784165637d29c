// Package storetest checks that a toolbar store shared by several
// instances keeps its promises: what one instance saves, another reads
// back whole; List filters by client and instance, pages newest first; the
// count and age bounds hold. The PostgreSQL and Redis stores run it
// against real servers.
package storetest
