// Package debugapi holds the types of the toolbar's versioned JSON API,
// served under the toolbar's prefix at api/v1/ (by default
// /__debug__/api/v1/): a program or a tool that reads a running app's
// recorded requests decodes the answers into them. It imports only the
// standard library, so a client links nothing of the toolbar.
//
// The routes, all GET, behind the toolbar's access rule:
//
//	api/v1/requests                        a RequestList: the recorded requests, newest first, filtered and paged
//	api/v1/requests/{id}                   a RequestDetail: one request and its panels, without their stats
//	api/v1/requests/{id}/panels            a PanelList: every panel of the request with its stats
//	api/v1/requests/{id}/panels/{panel}    a Panel: one panel with its stats
//
// Any other answer than 200 carries an [Error]. The query parameters of
// api/v1/requests are described by [ListQuery]; [ListQuery.Values] encodes
// them.
//
// Within v1, fields are only added: a client should ignore fields it does
// not know. A panel's Stats are the panel's own JSON encoding (its exported
// fields), versioned with the panel rather than with this API: for the
// built-in panels, the Go types of runtime/panels decode them (the SQL
// panel's sql.Panel, the Feature Flags panel's featureflags.Panel, ...).
package debugapi
