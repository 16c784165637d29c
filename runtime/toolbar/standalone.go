package toolbar

import (
	"bytes"
	"html/template"
	"net/http"

	"github.com/go-ddt/ddt/runtime/toolbar/access"
)

// The standalone page, served at the prefix itself (/__debug__/): the
// recorded requests, live and filterable, for apps that serve no HTML page
// to inject the toolbar into. It is made of standalone.js, which lists the
// requests from the JSON API (api.go), and the toolbar's own script in its
// standalone mode, which shows the panels of the request picked in the
// list exactly as it does in a page.

func (h *handler) addStandaloneRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", h.serveStandalone)
}

var standalonePage = template.Must(template.New("standalone").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>ddt · recorded requests</title>
<link rel="stylesheet" href="{{.Prefix}}static/standalone.css">
<script src="{{.Prefix}}static/standalone.js" data-ddt-prefix="{{.Prefix}}" defer></script>
<script src="{{.Prefix}}static/toolbar.js" data-ddt-prefix="{{.Prefix}}" data-ddt-request="" data-ddt-standalone="" defer></script>
</head>
<body>
<main class="ddt-sa">
<header class="ddt-sa-head">
<h1><span class="ddt-sa-logo">ddt</span> Recorded requests</h1>
<label class="ddt-sa-live"><input type="checkbox" id="ddt-sa-live" checked> Live</label>
</header>
<form class="ddt-sa-filters" id="ddt-sa-filters" role="search" aria-label="Filter the requests">
<label>Method <select name="method">
<option value="">any</option>{{range .Methods}}<option>{{.}}</option>{{end}}
</select></label>
<label>Path <input name="path" type="search" placeholder="contains…" size="18"></label>
<label>Status <input name="status" placeholder="200, 4xx, 500-599" size="14"></label>
<label>Duration <input name="min_ms" type="number" min="0" step="any" placeholder="min" aria-label="Minimum duration (ms)"> – <input name="max_ms" type="number" min="0" step="any" placeholder="max" aria-label="Maximum duration (ms)"> ms</label>
<fieldset><legend>Has</legend>
<label><input type="checkbox" name="has" value="sql"> SQL</label>
<label><input type="checkbox" name="has" value="flag"> flags</label>
<label><input type="checkbox" name="has" value="errors"> errors</label>
</fieldset>
<button type="reset">Clear</button>
</form>
<p class="ddt-sa-status" id="ddt-sa-status" aria-live="polite">Loading…</p>
<table class="ddt-sa-table">
<thead><tr><th scope="col">Time</th><th scope="col">Method</th><th scope="col">Path</th><th scope="col">Status</th><th scope="col" class="ddt-sa-num">Duration</th><th scope="col">Type</th><th scope="col">Recorded</th></tr></thead>
<tbody id="ddt-sa-rows"></tbody>
</table>
<p class="ddt-sa-more"><button type="button" id="ddt-sa-more" hidden>Older requests</button></p>
<noscript><p>This page needs JavaScript. The same data is served as JSON at <a href="{{.Prefix}}api/v1/requests">{{.Prefix}}api/v1/requests</a>.</p></noscript>
</main>
</body>
</html>
`))

// serveStandalone serves the standalone page.
func (h *handler) serveStandalone(w http.ResponseWriter, r *http.Request) {
	var b bytes.Buffer
	err := standalonePage.Execute(&b, map[string]any{
		"Prefix":  h.prefix,
		"Methods": []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"},
	})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	access.SetPrivateHeaders(hdr)
	// Not to be framed, nor to load plugins; scripts are the toolbar's
	// and its panels' own, from files.
	hdr.Set("Content-Security-Policy", "frame-ancestors 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; script-src 'self'")
	hdr.Set("Referrer-Policy", "no-referrer")
	w.Write(b.Bytes())
}
