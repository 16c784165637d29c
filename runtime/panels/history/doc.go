// Package history is the toolbar's History panel. The toolbar's script
// builds its content from the toolbar's api/requests route: a row per
// recent request, fetch and XHR ones included, with a button to switch the
// toolbar to it. The server-side content is only what shows without the
// script.
package history
