package profile

import (
	"bytes"
	"embed"
	"github.com/go-ddt/ddt/runtime/event"
	"github.com/go-ddt/ddt/runtime/ext"
	"github.com/go-ddt/ddt/runtime/panel"
	"github.com/go-ddt/ddt/runtime/redact"
	"html/template"
	"net/http"
	"net/url"
	"runtime/pprof"
	"runtime/trace"
	"strconv"
	"sync"
	"time"
)

//go:embed profile.html
var files embed.FS

var tmpl = template.Must(panel.NewTemplate("profile.html").Funcs(template.FuncMap{"pct": Percent}).ParseFS(files, "profile.html"))

// Param is the query parameter that asks for a profile: ?ddt-profile=1.
const Param = "ddt-profile"

// Defaults of [Options].
const (
	DefaultTop        = 30
	DefaultTraceBytes = 32 << 20
)

// Options configure the Profile panel.
type Options struct {
	// DownloadPath is where the panel links its downloads and on/off
	// switches to: by default the panel's own routes, served by the
	// toolbar ({prefix}ext/profile/); set it when the application mounts
	// [Handler] itself.
	DownloadPath string
	// Top is how many functions the table shows; default DefaultTop.
	Top int
	// NoTrace turns off the execution trace taken with the profile.
	NoTrace bool
	// TraceBytes bounds the flight recorder's window; default
	// DefaultTraceBytes. A request that runs longer than the window fits
	// gets the trace of its last part.
	TraceBytes uint64
}

// Panel holds the CPU profile of one request, when one was asked for.
type Panel struct {
	panel.Base
	opts Options

	Requested    bool   // the request asked for a profile
	Busy         string // why none was taken
	ProfileURL   string // the request again, with ?ddt-profile=1 (GET requests)
	SwitchPath   string // the Handler's path, for the on/off links
	Path         string // the request's path, to come back to after them
	Request      string // the toolbar's request id, the profile's label value
	Always       bool   // the ddt_profile cookie is set
	Key          string // of the downloads
	Instance     string // the instance that keeps them (toolbar Options.Instance)
	Samples      int
	AllSamples   int
	CPU          time.Duration
	Period       time.Duration
	Wall         time.Duration
	Top          []Func
	TraceBytes   int
	TraceError   string
	ProfileError string
}

// profiling is held by the request being profiled: the runtime takes one
// CPU profile at a time, and one flight recorder.
var profiling sync.Mutex

// New returns a Profile panel with the default options.
func New() panel.Panel { return &Panel{opts: defaults(Options{})} }

// NewWith returns the constructor of a Profile panel with options, for
// toolbar.Options.Panels.
func NewWith(o Options) func() panel.Panel {
	o = defaults(o)
	return func() panel.Panel { return &Panel{opts: o} }
}

func defaults(o Options) Options {
	if o.Top <= 0 {
		o.Top = DefaultTop
	}
	if o.TraceBytes == 0 {
		o.TraceBytes = DefaultTraceBytes
	}
	return o
}

// DisabledByDefault keeps the panel off until the user switches it on:
// profiling a request slows it down, as in DjDT.
func (*Panel) DisabledByDefault() bool { return true }

// Routes serves the downloads and the on/off switches (see [Handler]);
// the toolbar has already checked that the client may see them.
func (*Panel) Routes() http.Handler { return Handler(func(*http.Request) bool { return true }) }

// GenerateStats sets where the panel's links go.
func (p *Panel) GenerateStats(_ *http.Request, resp *panel.Response) {
	p.SwitchPath = p.opts.DownloadPath
	if p.SwitchPath == "" {
		p.SwitchPath = resp.RoutesURL(p.ID())
	}
}

func (*Panel) ID() string                   { return "profile" }
func (*Panel) Title() string                { return "Profile" }
func (*Panel) Template() *template.Template { return tmpl }

// NavSubtitle sums the profile up: "23 samples, 230 ms CPU".
func (p *Panel) NavSubtitle() string {
	switch {
	case !p.Requested:
		return "add ?" + Param + "=1"
	case p.Busy != "":
		return "busy: not profiled"
	case p.ProfileError != "":
		return "failed"
	}
	return panel.Count(p.Samples, "sample", "samples") + ", " + panel.Milliseconds(p.CPU) + " CPU"
}

// Wanted reports whether r asks for a profile: ?ddt-profile=1, or the
// ddt_profile cookie.
func Wanted(r *http.Request) bool {
	if v := r.URL.Query().Get(Param); v != "" && v != "0" {
		return true
	}
	c, err := r.Cookie(Cookie)
	return err == nil && c.Value == "1"
}

// Wrap profiles the request when it asks for a profile.
func (p *Panel) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.Path = r.URL.Path
		if c, err := r.Cookie(Cookie); err == nil && c.Value == "1" {
			p.Always = true
		}
		if !Wanted(r) {
			p.ProfileURL = profileURL(r)
			next.ServeHTTP(w, r)
			return
		}
		p.Requested = true
		if !profiling.TryLock() {
			p.Busy = "Another request was being profiled: the Go runtime takes one CPU profile at a time. Try again."
			next.ServeHTTP(w, r)
			return
		}
		defer profiling.Unlock()
		p.profile(w, r, next)
	})
}

func (p *Panel) profile(w http.ResponseWriter, r *http.Request, next http.Handler) {
	var cpu bytes.Buffer
	if err := pprof.StartCPUProfile(&cpu); err != nil {
		p.Busy = "The CPU profiler is in use by something else (" + err.Error() + ")."
		next.ServeHTTP(w, r)
		return
	}
	var fr *trace.FlightRecorder
	if !p.opts.NoTrace {
		fr = trace.NewFlightRecorder(trace.FlightRecorderConfig{MinAge: time.Hour, MaxBytes: p.opts.TraceBytes})
		if err := fr.Start(); err != nil {
			p.TraceError = "No execution trace: " + err.Error()
			fr = nil
		}
	}
	start := time.Now()
	defer func() {
		// Runs even when the handler panics, so the profiler is freed.
		p.Wall = time.Since(start)
		pprof.StopCPUProfile()
		c := &capture{request: label(r), cpu: cpu.Bytes()}
		p.Request = c.request
		if fr != nil {
			var tb bytes.Buffer
			if _, err := fr.WriteTo(&tb); err != nil {
				p.TraceError = "No execution trace: " + err.Error()
			} else {
				c.trace = tb.Bytes()
				p.TraceBytes = tb.Len()
			}
			fr.Stop()
		}
		p.Key = keep(c)
		p.Instance = ext.Instance()
		prof, err := parseProfile(c.cpu)
		if err != nil {
			p.ProfileError = err.Error()
			return
		}
		p.Period = time.Duration(prof.period)
		t := top(prof, event.RequestLabel, c.request, p.opts.Top)
		p.Top, p.Samples, p.CPU, p.AllSamples = t.Funcs, t.Samples, t.CPU, t.AllSamples
	}()
	next.ServeHTTP(w, r)
}

// label returns the request's id from the pprof labels of ctx.
func label(r *http.Request) string {
	v, _ := pprof.Label(r.Context(), event.RequestLabel)
	return v
}

// profileURL is r again with ?ddt-profile=1, for a GET request whose query
// holds nothing secret-looking (the link would repeat it).
func profileURL(r *http.Request) string {
	if r.Method != http.MethodGet {
		return ""
	}
	q := r.URL.Query()
	for name := range q {
		if redact.IsSecret(name) {
			return ""
		}
	}
	q.Set(Param, "1")
	u := url.URL{Path: r.URL.Path, RawQuery: q.Encode()}
	return u.String()
}

// Percent formats a share: "12.5%".
func Percent(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) + "%" }
