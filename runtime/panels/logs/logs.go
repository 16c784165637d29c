package logs

import (
	"embed"
	"html/template"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-ddt/ddt/runtime/panel"
)

//go:embed logs.html
var files embed.FS

var tmpl = panel.MustParseFS(files, "logs.html")

// Panel lists the log records of one request.
type Panel struct {
	panel.Base
	Entries  []Entry
	Errors   int // records at slog.LevelError or above
	Warnings int // records at slog.LevelWarn and below LevelError
}

// Entry is one log record.
type Entry struct {
	Offset  time.Duration // since the request started
	Level   string        // "INFO", "ERROR+2"
	Class   string        // the toolbar class that colours the level
	Message string
	Attrs   []panel.Field
	Source  panel.Stack // the logging call: one frame
	start   time.Time
}

// New returns an empty Logs panel.
func New() panel.Panel { return new(Panel) }

func (*Panel) ID() string                   { return "logs" }
func (*Panel) Title() string                { return "Logs" }
func (*Panel) Kinds() []string              { return []string{"log"} }
func (*Panel) Template() *template.Template { return tmpl }

// HasContent is false for a request that logged nothing.
func (p *Panel) HasContent() bool { return len(p.Entries) > 0 }

// NavSubtitle counts the records: "5 messages, 1 error".
func (p *Panel) NavSubtitle() string {
	s := panel.Count(len(p.Entries), "message", "messages")
	if p.Errors > 0 {
		s += ", " + panel.Count(p.Errors, "error", "errors")
	} else if p.Warnings > 0 {
		s += ", " + panel.Count(p.Warnings, "warning", "warnings")
	}
	return s
}

// Record keeps one log record.
func (p *Panel) Record(e *panel.Event) {
	level := ""
	for _, f := range e.Results {
		if f.Name == "level" {
			level = f.Text()
		}
	}
	en := Entry{Level: level, Message: e.Name, Attrs: e.Args, Source: panel.StackOf(e), start: e.Start}
	switch l := parseLevel(level); {
	case l >= slog.LevelError:
		en.Class = "ddt-error"
		p.Errors++
	case l >= slog.LevelWarn:
		en.Class = "ddt-warn"
		p.Warnings++
	case l < slog.LevelInfo:
		en.Class = "ddt-muted"
	}
	p.Entries = append(p.Entries, en)
}

// GenerateStats places the records in the request's time.
func (p *Panel) GenerateStats(_ *http.Request, resp *panel.Response) {
	for i := range p.Entries {
		if e := &p.Entries[i]; !e.start.IsZero() && !resp.Start.IsZero() {
			e.Offset = max(e.start.Sub(resp.Start), 0)
		}
	}
}

// parseLevel reads a level as slog.Level.String writes it: "WARN",
// "INFO-2", "ERROR+4".
func parseLevel(s string) slog.Level {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err == nil {
		return l
	}
	if n, err := strconv.Atoi(strings.TrimPrefix(s, "LEVEL")); err == nil {
		return slog.Level(n)
	}
	return slog.LevelInfo
}
