package versions

import (
	"embed"
	"github.com/go-ddt/ddt/runtime/redact"
	"html/template"
	"net/http"
	"runtime"
	"runtime/debug"

	"github.com/go-ddt/ddt/runtime/panel"
)

//go:embed versions.html
var files embed.FS

var tmpl = panel.MustParseFS(files, "versions.html")

// Panel describes the running program.
type Panel struct {
	panel.Base
	GoVersion string
	Platform  string // GOOS/GOARCH
	Main      Module
	Settings  []redact.Pair // build settings: -tags, vcs.revision, GOFLAGS...
	Deps      []Module
}

// Module is one module of the build.
type Module struct {
	Path    string
	Version string
	Replace string // path@version of the replacement, if replaced
}

// New returns an empty Versions panel.
func New() panel.Panel { return new(Panel) }

func (*Panel) ID() string                   { return "versions" }
func (*Panel) Title() string                { return "Versions" }
func (*Panel) Template() *template.Template { return tmpl }

// NavSubtitle is the Go version.
func (p *Panel) NavSubtitle() string { return p.GoVersion }

// GenerateStats reads the build information.
func (p *Panel) GenerateStats(*http.Request, *panel.Response) {
	p.GoVersion = runtime.Version()
	p.Platform = runtime.GOOS + "/" + runtime.GOARCH
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return
	}
	p.Main = moduleOf(&bi.Main)
	for _, s := range bi.Settings {
		p.Settings = append(p.Settings, redact.Pair{Name: s.Key, Value: redact.Redact(s.Key, s.Value)})
	}
	for _, d := range bi.Deps {
		p.Deps = append(p.Deps, moduleOf(d))
	}
}

func moduleOf(m *debug.Module) Module {
	out := Module{Path: m.Path, Version: m.Version}
	if r := m.Replace; r != nil {
		out.Replace = r.Path
		if r.Version != "" {
			out.Replace += "@" + r.Version
		}
	}
	return out
}
