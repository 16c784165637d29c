// Package profile is the toolbar's Profile panel: on demand, a CPU profile
// of one request, shown as a table of the functions that used the most
// CPU, and downloadable for go tool pprof, with an execution trace of the
// request's time window (from a runtime/trace flight recorder) for go tool
// trace.
//
// # Asking for a profile
//
// Profiling costs CPU and the runtime takes one CPU profile at a time, so
// the panel profiles only the requests that ask: a URL with the query
// parameter ddt-profile=1 (the panel links to the page with it), or every
// request while the ddt_profile cookie is set (the panel links to the
// [Handler]'s on and off routes). A request that asks while another is
// being profiled, or while something else in the process holds the CPU
// profiler (net/http/pprof, go test -cpuprofile), is served unprofiled and
// its panel says why.
//
// # Which samples are the request's
//
// The toolbar gives a request's goroutines, and the goroutines they start,
// the pprof label ddt_request with the request's id. The table counts only
// the samples with that label; the downloaded profile holds the whole
// process's, and go tool pprof -tagfocus=ddt_request=ID picks the
// request's out. The profiler samples every 10 ms: a request that uses
// less CPU than that may have no sample at all.
//
// # Downloads
//
// The profile and trace are kept in memory, for the last [KeepProfiles]
// profiled requests, and served by [Handler], which the panel serves as a
// route of the toolbar ({prefix}ext/profile/, see panel.Router).
//
// The panel is one of the toolbar's default panels, off until the user
// switches it on in the toolbar (panel.DisabledByDefault), as DjDT's
// profiling panel is.
package profile
