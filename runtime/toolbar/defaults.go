package toolbar

import (
	"github.com/go-ddt/ddt/runtime/panel"
	"github.com/go-ddt/ddt/runtime/panels/calls"
	"github.com/go-ddt/ddt/runtime/panels/featureflags"
	"github.com/go-ddt/ddt/runtime/panels/headers"
	"github.com/go-ddt/ddt/runtime/panels/history"
	"github.com/go-ddt/ddt/runtime/panels/logs"
	"github.com/go-ddt/ddt/runtime/panels/outbound"
	"github.com/go-ddt/ddt/runtime/panels/profile"
	"github.com/go-ddt/ddt/runtime/panels/redirects"
	"github.com/go-ddt/ddt/runtime/panels/request"
	sqlpanel "github.com/go-ddt/ddt/runtime/panels/sql"
	"github.com/go-ddt/ddt/runtime/panels/templates"
	"github.com/go-ddt/ddt/runtime/panels/timeline"
	"github.com/go-ddt/ddt/runtime/panels/timer"
	"github.com/go-ddt/ddt/runtime/panels/versions"
)

// DefaultPanels returns the constructors of the built-in panels, in the
// toolbar's order. Options.Panels adds to them; Options.OmitPanels takes
// some away.
func DefaultPanels() []func() panel.Panel {
	return []func() panel.Panel{
		history.New,
		versions.New,
		timer.New,
		timeline.New,
		request.New,
		headers.New,
		sqlpanel.New,
		templates.New,
		logs.New,
		outbound.New,
		featureflags.New,
		calls.New,
		redirects.New, // off by default
		profile.New,   // off by default
	}
}
