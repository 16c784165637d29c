package search

// This file is yours to edit: ddt panelgen wrote it once and will not
// overwrite it (unless run with --force). The generated part of the panel
// is in panel_gen.go and panel_gen.html, rewritten from search.yaml.

import (
	"net/http"

	"github.com/go-ddt/ddt/runtime/panel"
)

// New returns an empty Search queries panel. Register it with the toolbar:
//
//	toolbar.Middleware(mux, toolbar.Options{Panels: []func() panel.Panel{search.New}})
func New() panel.Panel { return new(Panel) }

// keep decides which events become rows: all of them, unless you say
// otherwise here. It is called once the handler has returned, for each
// event of the panel's kinds in the order they happened; p.Rows holds the
// rows kept so far.
func (p *Panel) keep(e *panel.Event) bool { return true }

// generateStats runs after the rows are ordered and summed up; use r and
// resp to add what the request and response tell.
func (p *Panel) generateStats(r *http.Request, resp *panel.Response) {}
