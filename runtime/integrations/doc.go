// Package integrations is the index of ddt's integrations: packages that
// record what a request does through libraries, each in its own package so
// that the toolbar itself imports nothing but the standard library, and
// each feeding a panel of runtime/panels.
//
//	ddtsql          database/sql statements        panels/sql (SQL)
//	ddtslog         log/slog records               panels/logs (Logs)
//	ddthttp         outbound HTTP requests         panels/outbound (Outbound HTTP)
//	ddttemplate     html/template executions       panels/templates (Templates)
//	ddtopenfeature  OpenFeature flag evaluations   panels/featureflags (Feature Flags)
//	ddtotel         OpenTelemetry spans, both ways panels/calls (Calls), panels/timeline
//
// The Redirects and Profile panels (panels/redirects, panels/profile) need
// no integration: they work on the request itself.
//
// Wiring all of them into an application:
//
//	db, _ := ddtsql.Open("sqlite", "app.db")
//	slog.SetDefault(slog.New(ddtslog.NewHandler(slog.NewTextHandler(os.Stderr, nil), nil)))
//	client := &http.Client{Transport: ddthttp.Transport(nil)}
//	// in handlers: ddttemplate.ExecuteTemplate(r.Context(), tmpl, w, "page.html", data)
//	openfeature.AddHooks(ddtopenfeature.NewHook())
//	openfeature.SetProviderAndWait(ddtopenfeature.Provider(provider))
//
//	http.ListenAndServe(addr, toolbar.Middleware(mux, toolbar.Options{}))
//
// Their panels are among the toolbar's defaults; Redirects and Profile are
// off until switched on in the toolbar. The SQL panel's EXPLAIN and the
// Profile panel's downloads are routes the panels serve through the
// toolbar (panel.Router): nothing to mount. The panels import no
// integration: ddtsql registers the EXPLAIN route with package
// runtime/ext, and integrations hand panels typed values (event.Headers)
// rather than structure encoded in field names.
//
// This package's tests drive every one of these panels in a real browser.
package integrations
