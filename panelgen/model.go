package panelgen

import (
	"fmt"
	"strings"
	"unicode"
)

// model is what the code templates are executed with: the spec, resolved
// into Go names and expressions.
type model struct {
	Spec       *Spec
	SpecName   string // the spec's file name, for the generated header
	Fields     []field
	Columns    []column
	HasStack   bool
	SortField  *field // nil: recording order
	SortDesc   bool
	GroupField *field
	Summary    []summary
	Example    example // what the generated test emits and expects
	NeedsFmt   bool    // grouping or counting by a value that is not a string
}

// field is one field of the generated Row type.
type field struct {
	Name   string // Go name
	JSON   string
	Type   string // string, time.Duration, time.Time or panel.Stack
	Expr   string // Go expression reading it from the event e
	Source Source
}

// column is one column of the table.
type column struct {
	Title   string
	Index   bool   // the row number
	Field   string // the Row field shown
	Format  string
	Numeric bool
	Result  bool // shows the panic instead when the call panicked
}

type summary struct {
	Title string
	Kind  string
	Field string // Panel field holding it
	Of    string // Row field counted, for count_by
}

// example is the event that the generated test emits.
type example struct {
	Kind     string
	Name     string
	Args     []exampleArg
	Expected []string // texts that the rendered panel must contain
}

type exampleArg struct{ Name, Value string }

func newModel(s *Spec, specName string) *model {
	m := &model{Spec: s, SpecName: specName}
	byName := map[string]*field{}
	add := func(src Source) *field {
		f := fieldFor(src)
		if f == nil {
			return nil
		}
		if prev := byName[f.Name]; prev != nil {
			return prev
		}
		m.Fields = append(m.Fields, *f)
		byName[f.Name] = &m.Fields[len(m.Fields)-1]
		return f
	}
	// Panic and Duration are always kept: results show the panic, and
	// duration summaries need the time.
	add("panic")
	add("duration")
	for _, c := range s.Columns {
		if c.From == "stack" {
			m.HasStack = true
		}
		add(c.From)
	}
	if s.Order.By != "" {
		add(s.Order.By)
	}
	if s.GroupBy != "" {
		add(Source(s.GroupBy))
	}
	for _, sum := range s.Summary {
		if sum.Of != "" {
			add(sum.Of)
		}
	}
	// Pointers into m.Fields are taken only now that it stops growing.
	lookup := func(src Source) *field {
		name := fieldFor(src).Name
		for i := range m.Fields {
			if m.Fields[i].Name == name {
				return &m.Fields[i]
			}
		}
		return nil
	}
	for _, c := range s.Columns {
		col := column{Title: c.Title, Format: c.Format}
		if c.From == "index" {
			col.Index, col.Numeric = true, true
		} else {
			col.Field = lookup(c.From).Name
			col.Numeric = c.From == "duration"
			col.Result = c.From == "result" || strings.HasPrefix(string(c.From), "result.")
		}
		m.Columns = append(m.Columns, col)
	}
	if s.Order.By != "" {
		m.SortField, m.SortDesc = lookup(s.Order.By), s.Order.Desc
	}
	if s.GroupBy != "" {
		m.GroupField = lookup(Source(s.GroupBy))
	}
	for i, sum := range s.Summary {
		sm := summary{Title: sum.Title, Kind: sum.Kind}
		switch sum.Kind {
		case "count":
			sm.Field = fmt.Sprintf("Count%d", i)
		case "total_duration":
			sm.Field = fmt.Sprintf("TotalDuration%d", i)
		case "count_by":
			sm.Field = fmt.Sprintf("CountBy%d", i)
			of := lookup(sum.Of)
			sm.Of = of.Name
			m.NeedsFmt = m.NeedsFmt || of.Type != "string"
		}
		m.Summary = append(m.Summary, sm)
	}
	if m.GroupField != nil && m.GroupField.Type != "string" {
		m.NeedsFmt = true
	}
	m.Example = newExample(s)
	return m
}

// fieldFor returns the Row field that holds src, or nil for the row number.
func fieldFor(src Source) *field {
	f := &field{Source: src, Type: "string"}
	switch s := string(src); {
	case s == "index":
		return nil
	case s == "name":
		f.Name, f.Expr = "Name", "e.Name"
	case s == "kind":
		f.Name, f.Expr = "Kind", "e.Kind"
	case s == "func":
		f.Name, f.Expr = "Func", "e.Func"
	case s == "panic":
		f.Name, f.Expr = "Panic", "e.Panic"
	case s == "duration":
		f.Name, f.Expr, f.Type = "Duration", "e.Duration", "time.Duration"
	case s == "start":
		f.Name, f.Expr, f.Type = "Start", "e.Start", "time.Time"
	case s == "via":
		f.Name, f.Expr = "Via", "e.Via"
	case s == "goroutine":
		f.Name, f.Expr, f.Type = "Goroutine", "e.Goroutine", "uint64"
	case s == "stack":
		f.Name, f.Expr, f.Type = "Stack", "panel.StackOf(e)", "panel.Stack"
	case s == "result":
		f.Name, f.Expr = "Result", "e.ResultText(0)"
	case src.Param() != "":
		f.Name, f.Expr = "Arg"+exported(src.Param()), fmt.Sprintf("e.Arg(%q)", src.Param())
	default:
		r := strings.TrimPrefix(s, "result.")
		if isDigits(r) {
			f.Name, f.Expr = "Result"+r, "e.ResultText("+r+")"
		} else {
			f.Name, f.Expr = "Result"+exported(r), fmt.Sprintf("e.ResultNamed(%q)", r)
		}
	}
	f.JSON = jsonName(f.Name)
	return f
}

func exported(s string) string {
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

func jsonName(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// newExample picks an event that exercises every column: the first kind,
// a name, and one argument per arg.<param> source.
func newExample(s *Spec) example {
	ex := example{Kind: s.Kinds[0], Name: "example-" + s.Kinds[0]}
	seen := map[string]bool{}
	sources := []Source{}
	for _, c := range s.Columns {
		sources = append(sources, c.From)
	}
	for _, src := range sources {
		if p := src.Param(); p != "" && !seen[p] {
			seen[p] = true
			v := "value-of-" + p
			ex.Args = append(ex.Args, exampleArg{Name: p, Value: v})
			ex.Expected = append(ex.Expected, v)
		}
	}
	for _, c := range s.Columns {
		if c.From == "name" {
			ex.Expected = append(ex.Expected, ex.Name)
		}
	}
	return ex
}
