package sql

import (
	"embed"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"github.com/go-ddt/ddt/runtime/ext"
	"github.com/go-ddt/ddt/runtime/panel"
)

//go:embed sql.html
var files embed.FS

var tmpl = panel.MustParseFS(files, "sql.html")

// Defaults of [Options].
const (
	DefaultSlow     = 500 * time.Millisecond
	DefaultNPlusOne = 3
)

// Options configure the SQL panel.
type Options struct {
	// Slow is the duration from which a statement is highlighted as slow;
	// default DefaultSlow.
	Slow time.Duration
	// ExplainURL is where the panel links EXPLAIN to, with ?ref=...: by
	// default the panel's own route, served by the toolbar
	// ({prefix}ext/sql/explain); set it when the application mounts
	// ddtsql.ExplainHandler itself. "-" shows no EXPLAIN links.
	ExplainURL string
	// NPlusOne is how many times one call site must run a statement with
	// different arguments to be named as a likely N+1 pattern; default
	// DefaultNPlusOne.
	NPlusOne int
}

// Panel lists the SQL statements of one request.
type Panel struct {
	panel.Base
	opts Options

	Queries    []Query
	Count      int           // statements (queries and execs; not begin, commit, rollback)
	Total      time.Duration // their time
	Duplicates int           // statements that repeat an earlier one with the same arguments
	Similar    int           // statements that repeat an earlier one with other arguments
	SlowCount  int
	Errors     int
	Hints      []Hint // likely N+1 patterns
	Databases  int    // how many databases the statements ran on
	Slow       time.Duration
	ExplainURL string
}

// Query is one statement, or the begin or end of a transaction.
type Query struct {
	Op       string // query, exec, begin, commit, rollback
	DB       string
	SQL      string
	Args     []panel.Field
	Offset   time.Duration // since the request started
	Duration time.Duration
	Rows     int64 // rows affected, when HasRows
	HasRows  bool
	Err      string
	Tx       uint64 // transaction number, or 0
	Explain  string // signed reference for EXPLAIN
	Same     int    // statements with the same SQL and arguments (1: no duplicate)
	Alike    int    // statements with the same SQL (1: none similar)
	Slow     bool
	Stack    panel.Stack
	CallSite string // the first frame of Stack: "pkg.Func file:line"
	start    time.Time
	argsKey  string
}

// Statement reports whether q is a query or exec, not the begin or end
// of a transaction.
func (q Query) Statement() bool { return q.Op != "begin" && q.Op != "commit" && q.Op != "rollback" }

// Hint names a likely N+1 pattern.
type Hint struct {
	SQL    string
	Count  int    // times the statement ran from the call site
	Site   string // the function and line that ran it
	Caller string // the function and line that called Site
}

// New returns a SQL panel with the default options.
func New() panel.Panel { return &Panel{opts: defaults(Options{})} }

// NewWith returns the constructor of a SQL panel with options, for
// toolbar.Options.Panels.
func NewWith(o Options) func() panel.Panel {
	o = defaults(o)
	return func() panel.Panel { return &Panel{opts: o} }
}

func defaults(o Options) Options {
	if o.Slow <= 0 {
		o.Slow = DefaultSlow
	}
	if o.NPlusOne <= 1 {
		o.NPlusOne = DefaultNPlusOne
	}
	return o
}

// Routes serves what integrations registered for the panel (package ext):
// ddtsql's EXPLAIN at explain, under the panel's routes URL. The toolbar
// has already checked that the client may see it.
func (*Panel) Routes() http.Handler { return ext.Routes("sql") }

func (*Panel) ID() string                   { return "sql" }
func (*Panel) Title() string                { return "SQL" }
func (*Panel) Kinds() []string              { return []string{"sql"} }
func (*Panel) Template() *template.Template { return tmpl }

// HasContent is false for a request that ran no SQL.
func (p *Panel) HasContent() bool { return len(p.Queries) > 0 }

// NavSubtitle sums up: "12 queries in 3.1 ms, 4 duplicates".
func (p *Panel) NavSubtitle() string {
	s := panel.Count(p.Count, "query", "queries") + " in " + shortMS(p.Total)
	if p.Duplicates > 0 {
		s += ", " + panel.Count(p.Duplicates, "duplicate", "duplicates")
	}
	return s
}

// shortMS formats d as "3.1 ms", with two decimals under a millisecond.
func shortMS(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	prec := 1
	if ms < 1 {
		prec = 2
	}
	return strconv.FormatFloat(ms, 'f', prec, 64) + " ms"
}

// Record keeps one statement.
func (p *Panel) Record(e *panel.Event) {
	q := Query{
		Op:       result(e, "op"),
		DB:       result(e, "db"),
		SQL:      e.Name,
		Args:     e.Args,
		Duration: e.Duration,
		Err:      result(e, "err"),
		Explain:  result(e, "explain"),
		Stack:    panel.StackOf(e),
		start:    e.Start,
		argsKey:  result(e, "args"),
	}
	if q.Op == "" {
		q.Op = "query" // an event emitted by hand with only a statement
	}
	if f := field(e, "rows"); f != nil {
		q.Rows, q.HasRows = toInt64(f), true
	}
	if f := field(e, "tx"); f != nil {
		q.Tx = uint64(toInt64(f))
	}
	if q.Statement() {
		p.Count++
		p.Total += e.Duration
	}
	p.Queries = append(p.Queries, q)
}

// ServerTiming reports the statements: sql;dur=3.1;desc="12 queries".
func (p *Panel) ServerTiming() []panel.Timing {
	if p.Count == 0 {
		return nil
	}
	return []panel.Timing{{Name: "sql", Duration: p.Total, Desc: panel.Count(p.Count, "query", "queries")}}
}

func field(e *panel.Event, name string) *panel.Field {
	for i := range e.Results {
		if e.Results[i].Name == name {
			return &e.Results[i]
		}
	}
	return nil
}

func result(e *panel.Event, name string) string {
	if f := field(e, name); f != nil {
		return f.Text()
	}
	return ""
}

func toInt64(f *panel.Field) int64 {
	switch v := f.Raw.(type) {
	case int64:
		return v
	case uint64:
		return int64(v)
	case int:
		return int64(v)
	case float64: // a field that went through JSON
		return int64(v)
	}
	n, _ := strconv.ParseInt(f.Value, 10, 64)
	return n
}
