// Package redact decides which values are secrets and replaces them before
// they are stored: headers, cookies, form fields, query parameters, log
// attributes and SQL arguments whose names look secret.
//
// It is a leaf of the runtime, the standard library only, so that the
// integrations (runtime/integrations) and panels can share one rule without
// importing the panel API.
//
// A name looks secret — [IsSecret] — when it contains KEY, TOKEN, SECRET,
// PASS, AUTH, SIGNATURE, COOKIE, CREDENTIAL or SESSION, in any case. Its value
// is replaced by [Redacted]: use [Redact] for one value, [Pairs] and
// [HeaderPairs] for maps such as http.Header and url.Values, and [RedactURI]
// for a request's path and query.
package redact
