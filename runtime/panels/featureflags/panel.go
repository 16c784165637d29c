package featureflags

import (
	"embed"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/go-ddt/ddt/runtime/event"
	"github.com/go-ddt/ddt/runtime/featureflag"
	"github.com/go-ddt/ddt/runtime/panel"
)

//go:embed featureflags.html overrides.js
var files embed.FS

var tmpl = template.Must(panel.NewTemplate("featureflags.html").Funcs(template.FuncMap{"flagRow": rowHTML}).ParseFS(files, "featureflags.html"))

// Panel is the Feature Flags panel. Its exported fields are its stats,
// stored as JSON.
type Panel struct {
	panel.Base
	Rows []Row `json:"rows"`
	// Overrides are the ones the request's override cookie held, applied
	// to its evaluations; OverrideError says why the cookie applied
	// nothing.
	Overrides     featureflag.Overrides `json:"overrides,omitempty"`
	OverrideError string                `json:"override_error,omitempty"`
	Overridden    int                   `json:"overridden,omitempty"`
	// ScriptURL is where the toolbar serves the panel's script.
	ScriptURL string `json:"script_url,omitempty"`
}

// Row is one evaluation, from a //ddt:flag function or an integration,
// with OpenTelemetry's names for its fields.
type Row struct {
	Key   string `json:"feature_flag.key"`
	Value string `json:"feature_flag.result.value"`
	// Type is what an override of this flag may be: "bool", "string",
	// "number", or "" when it cannot be overridden (GoType says why).
	Type         string        `json:"type,omitempty"`
	GoType       string        `json:"go_type,omitempty"`
	Variant      string        `json:"feature_flag.result.variant,omitempty"`
	Reason       string        `json:"feature_flag.result.reason,omitempty"`
	ErrorType    string        `json:"error.type,omitempty"`
	ErrorMessage string        `json:"error.message,omitempty"`
	ContextID    string        `json:"feature_flag.context.id,omitempty"`
	Provider     string        `json:"feature_flag.provider.name,omitempty"`
	Metadata     []Entry       `json:"feature_flag.metadata,omitempty"`
	Func         string        `json:"func,omitempty"`         // the marked function; "" for an integration's
	Override     string        `json:"override,omitempty"`     // the value the code received instead of Value
	InCookie     bool          `json:"in_cookie,omitempty"`    // the override cookie holds Key
	CookieValue  string        `json:"cookie_value,omitempty"` // what it holds for Key, applied or not
	Panic        string        `json:"panic,omitempty"`
	Duration     time.Duration `json:"duration,omitempty"`
	Stack        panel.Stack   `json:"stack"`
}

// Entry is one flag metadata entry.
type Entry struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// New returns an empty Feature Flags panel.
func New() panel.Panel { return new(Panel) }

func (*Panel) ID() string                   { return "featureflags" }
func (*Panel) Title() string                { return "Feature Flags" }
func (*Panel) Kinds() []string              { return []string{featureflag.Kind} }
func (*Panel) Template() *template.Template { return tmpl }

// NavSubtitle counts the evaluations: "3 evaluations, 1 overridden".
func (p *Panel) NavSubtitle() string {
	s := panel.Count(len(p.Rows), "evaluation", "evaluations")
	if p.Overridden > 0 {
		s += ", " + panel.Count(p.Overridden, "overridden", "overridden")
	}
	return s
}

// Scripts is the panel's script, which sets and clears overrides.
func (p *Panel) Scripts() []string {
	if p.ScriptURL == "" {
		return nil
	}
	return []string{p.ScriptURL}
}

// Routes serves the panel's script.
func (*Panel) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /overrides.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		http.ServeFileFS(w, r, files, "overrides.js")
	})
	return mux
}

// Wrap hands the request's overrides, from its cookie, to the events
// bus: the panel wraps only requests the toolbar records, which are shown
// to the client.
func (p *Panel) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie(featureflag.OverrideCookie); err == nil {
			o, err := featureflag.ParseOverrides(c.Value)
			switch {
			case err != nil:
				p.OverrideError = err.Error()
			case len(o) > 0:
				p.Overrides = o
				event.SetFlagOverrides(r.Context(), o)
			}
		}
		next.ServeHTTP(w, r)
	})
}

// ReadEvents makes a row of each evaluation, once the handler has
// returned: the panel shares the toolbar's one record of each event with
// the Timeline, and keeps nothing of its own while the handler runs.
func (p *Panel) ReadEvents(events panel.Events) {
	p.Rows = make([]Row, 0, events.Len())
	for e := range events.All() {
		p.Rows = append(p.Rows, rowOf(e))
	}
}

// rowOf returns the row of one evaluation.
func rowOf(e *panel.Event) Row {
	row := Row{Key: e.Name, Func: e.Func, Override: e.Override, Panic: e.Panic, Duration: e.Duration, Stack: panel.StackOf(e)}
	if len(e.Results) > 0 {
		v := e.Results[0]
		row.Value, row.Type, row.GoType = v.Text(), overridable(v.Raw), v.Type
	}
	for i, f := range e.Results {
		switch {
		case i == 0:
		case e.Site != nil:
			// A marked function's (bool, error): the error.
			if f.Value != "nil" {
				row.ErrorMessage = f.Text()
			}
		case f.Name == featureflag.Variant:
			row.Variant = f.Text()
		case f.Name == featureflag.Reason:
			row.Reason = f.Text()
		case f.Name == featureflag.ErrorType:
			row.ErrorType = f.Text()
		case f.Name == featureflag.ErrorMessage:
			row.ErrorMessage = f.Text()
		case f.Name == featureflag.ContextID:
			row.ContextID = f.Text()
		case f.Name == featureflag.ProviderName:
			row.Provider = f.Text()
		case f.Name == featureflag.SetID, f.Name == featureflag.Version:
			row.Metadata = append(row.Metadata, Entry{Key: f.Name, Value: f.Text()})
		case strings.HasPrefix(f.Name, featureflag.MetadataPrefix):
			row.Metadata = append(row.Metadata, Entry{Key: strings.TrimPrefix(f.Name, featureflag.MetadataPrefix), Value: f.Text()})
		}
	}
	return row
}

// overridable says what an override of a value like raw may be.
func overridable(raw any) string {
	switch raw.(type) {
	case bool:
		return "bool"
	case string:
		return "string"
	case int64, float64:
		return "number"
	}
	return ""
}

// GenerateStats sets the rows, what the cookie forced for each, and where
// the panel's script is.
func (p *Panel) GenerateStats(r *http.Request, resp *panel.Response) {
	p.Overridden = 0
	for i := range p.Rows {
		row := &p.Rows[i]
		row.CookieValue, row.InCookie = p.Overrides[row.Key]
		if row.Override != "" {
			p.Overridden++
		}
	}
	p.ScriptURL = resp.RoutesURL(p.ID()) + "overrides.js"
}
