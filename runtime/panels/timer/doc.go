// Package timer is the toolbar's Timer panel: how long the server took,
// and, filled in by the toolbar's script for the page's own request, the
// browser's navigation timing.
package timer
