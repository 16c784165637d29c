// Package apitest is a small JSON API, with no HTML page, served behind
// the toolbar: real SQLite (modernc.org/sqlite) through ddtsql, feature
// flag evaluations, a failing query. The tests of the toolbar's JSON API,
// of its standalone page and of ddt mcp start it on loopback and read what
// it recorded.
package apitest
