// Package request is the toolbar's Request panel: the method and URL, the
// ServeMux pattern that matched and its path values, the query, the form
// (when the handler parsed one) and the cookies' names. Values whose names
// look secret are redacted, and cookie values always are.
package request
