package panelgen

import (
	"bytes"
	"cmp"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Spec describes one panel. Its YAML form is documented field by field in
// the README and in spec.schema.json.
type Spec struct {
	ID       string    // panel id: lower-case letters, digits, "-" and "_"
	Title    string    // shown at the top of the open panel
	NavTitle string    // shown in the toolbar's list; defaults to Title
	Kinds    []string  // event kinds received: the <kind> of //ddt:<kind>
	Noun     string    // one row, for the nav subtitle: "evaluation"
	Plural   string    // several rows; defaults to Noun + "s"
	Empty    string    // shown when nothing was recorded
	Columns  []Column  // the table's columns, in order
	Order    Order     // row order; by default the order of recording
	GroupBy  string    // a source to group rows by, or ""
	Summary  []Summary // figures above the table
	Package  string    // Go package name of the output; defaults from ID

	File string // where the spec came from, for messages

	fieldPos map[string][2]int // line and column of each top-level field's value
}

// ErrorAt returns an error about a top-level field of s, such as "id".
func (s *Spec) ErrorAt(field, format string, args ...any) *Error {
	pos := s.fieldPos[field]
	return &Error{File: s.File, Line: pos[0], Col: pos[1], Field: field, Msg: fmt.Sprintf(format, args...)}
}

// Column is one column of the panel's table.
type Column struct {
	Title  string
	From   Source
	Format string // "text" (default), "code", "duration", "stack"

	fromLine, fromCol int // where From is in the spec
}

// Order says how rows are sorted.
type Order struct {
	By   Source // "" keeps recording order
	Desc bool
}

// Summary is one figure shown above the table.
type Summary struct {
	Kind  string // "count", "total_duration" or "count_by"
	Of    Source // for count_by: the source whose values are counted
	Title string
}

// Source says where a value comes from in an event.
//
//	index        the row's number, from 1
//	name         what the event is about (the flag's name for kind flag)
//	kind         the event's kind
//	func         the marked function's qualified name
//	arg.<param>  an argument, by parameter name
//	result       the first result; result.<n> or result.<name> for others
//	duration     how long the call took
//	panic        the panic value, if the call panicked
//	stack        the stack trace of the code that made the call
//	start        when the call started
type Source string

var (
	idPattern    = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`)
	kindPattern  = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*$`)
	identPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
)

// fixedSources are the sources without a parameter.
var fixedSources = map[string]bool{
	"index": true, "name": true, "kind": true, "func": true, "result": true,
	"duration": true, "panic": true, "stack": true, "start": true,
	"via": true, "goroutine": true,
}

// Param returns the parameter name of an arg.<param> source, or "".
func (s Source) Param() string {
	p, ok := strings.CutPrefix(string(s), "arg.")
	if !ok {
		return ""
	}
	return p
}

// Error is a problem in a spec, at a place in its file.
type Error struct {
	File      string
	Line, Col int
	Field     string // the field's path, such as columns[2].from
	Msg       string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s: %s", e.File, e.Line, e.Col, e.Field, e.Msg)
}

// ErrorList is every problem found in a spec.
type ErrorList []*Error

func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Sort orders the errors by position.
func (l ErrorList) Sort() {
	slices.SortStableFunc(l, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
}

type specParser struct {
	file string
	errs ErrorList
}

func (p *specParser) errorf(n *yaml.Node, field, format string, args ...any) {
	e := &Error{File: p.file, Field: field, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line, e.Col = n.Line, n.Column
	}
	p.errs = append(p.errs, e)
}

// ParseSpec parses and checks a spec. file names it in errors. Every problem
// found is returned, as an [ErrorList].
func ParseSpec(file string, data []byte) (*Spec, error) {
	p := &specParser{file: file}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return nil, ErrorList{yamlError(file, err)}
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		p.errorf(&doc, "(spec)", "want a mapping of fields such as id, title, kinds and columns")
		return nil, p.errs
	}
	s := &Spec{File: file, fieldPos: map[string][2]int{}}
	p.spec(doc.Content[0], s)
	if len(p.errs) > 0 {
		p.errs.Sort()
		return nil, p.errs
	}
	return s, nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func yamlError(file string, err error) *Error {
	e := &Error{File: file, Line: 1, Col: 1, Field: "(yaml)", Msg: err.Error()}
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		fmt.Sscan(m[1], &e.Line)
		e.Msg = m[2]
	}
	return e
}

func (p *specParser) spec(m *yaml.Node, s *Spec) {
	seen := map[string]*yaml.Node{}
	p.fields(m, "", seen, map[string]func(k, v *yaml.Node){
		"id":        func(k, v *yaml.Node) { s.ID = p.str(v, "id") },
		"title":     func(k, v *yaml.Node) { s.Title = p.str(v, "title") },
		"nav_title": func(k, v *yaml.Node) { s.NavTitle = p.str(v, "nav_title") },
		"kinds":     func(k, v *yaml.Node) { s.Kinds = p.strs(v, "kinds") },
		"noun":      func(k, v *yaml.Node) { s.Noun = p.str(v, "noun") },
		"plural":    func(k, v *yaml.Node) { s.Plural = p.str(v, "plural") },
		"empty":     func(k, v *yaml.Node) { s.Empty = p.str(v, "empty") },
		"package":   func(k, v *yaml.Node) { s.Package = p.str(v, "package") },
		"group_by":  func(k, v *yaml.Node) { s.GroupBy = p.str(v, "group_by") },
		"columns":   func(k, v *yaml.Node) { p.columns(v, s) },
		"order":     func(k, v *yaml.Node) { p.order(v, s) },
		"summary":   func(k, v *yaml.Node) { p.summary(v, s) },
	})
	for name, v := range seen {
		s.fieldPos[name] = [2]int{v.Line, v.Column}
	}
	for _, req := range []string{"id", "title", "kinds", "noun", "columns"} {
		if seen[req] == nil {
			p.errorf(m, req, "missing; a spec needs id, title, kinds, noun and columns")
		}
	}
	if v := seen["id"]; v != nil && s.ID != "" && !idPattern.MatchString(s.ID) {
		p.errorf(v, "id", "%q: use lower-case letters, digits, - and _, starting with a letter", s.ID)
	}
	if v := seen["kinds"]; v != nil {
		if len(s.Kinds) == 0 && v.Kind == yaml.SequenceNode {
			p.errorf(v, "kinds", "empty; list the //ddt:<kind> kinds the panel receives")
		}
		dup := map[string]bool{}
		for i, k := range s.Kinds {
			n := v.Content[i]
			switch {
			case !kindPattern.MatchString(k):
				p.errorf(n, fmt.Sprintf("kinds[%d]", i), "%q is not a directive kind (a letter, then letters, digits, _ or -)", k)
			case k == "ignore":
				p.errorf(n, fmt.Sprintf("kinds[%d]", i), `"ignore" is not an event kind: //ddt:ignore opts code out`)
			case dup[k]:
				p.errorf(n, fmt.Sprintf("kinds[%d]", i), "%q listed twice", k)
			}
			dup[k] = true
		}
	}
	if v := seen["package"]; v != nil && s.Package != "" && !identPattern.MatchString(s.Package) {
		p.errorf(v, "package", "%q is not a Go package name", s.Package)
	}
	if v := seen["group_by"]; v != nil && s.GroupBy != "" {
		p.source(v, "group_by", Source(s.GroupBy))
	}
	if s.NavTitle == "" {
		s.NavTitle = s.Title
	}
	if s.Plural == "" && s.Noun != "" {
		s.Plural = s.Noun + "s"
	}
	if s.Empty == "" && s.Plural != "" {
		s.Empty = "No " + s.Plural + " recorded."
	}
	if s.Package == "" {
		s.Package = strings.NewReplacer("-", "", "_", "").Replace(s.ID)
	}
}

// fields walks a mapping, calling the handler of each known key and
// reporting unknown and repeated ones.
func (p *specParser) fields(m *yaml.Node, path string, seen map[string]*yaml.Node, handlers map[string]func(k, v *yaml.Node)) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		name := path + k.Value
		h, ok := handlers[k.Value]
		switch {
		case !ok:
			p.errorf(k, name, "unknown field (known: %s)", strings.Join(sortedKeys(handlers), ", "))
		case seen[k.Value] != nil:
			p.errorf(k, name, "repeated (first at line %d)", seen[k.Value].Line)
		default:
			seen[k.Value] = v
			h(k, v)
		}
	}
}

func (p *specParser) str(v *yaml.Node, field string) string {
	if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
		p.errorf(v, field, "want a string")
		return ""
	}
	if strings.TrimSpace(v.Value) == "" {
		p.errorf(v, field, "empty")
	}
	return v.Value
}

func (p *specParser) strs(v *yaml.Node, field string) []string {
	if v.Kind != yaml.SequenceNode {
		p.errorf(v, field, "want a list of strings, such as [flag]")
		return nil
	}
	var out []string
	for i, n := range v.Content {
		out = append(out, p.str(n, fmt.Sprintf("%s[%d]", field, i)))
	}
	return out
}

func (p *specParser) bool(v *yaml.Node, field string) bool {
	var b bool
	if v.Kind != yaml.ScalarNode || v.Decode(&b) != nil {
		p.errorf(v, field, "want true or false")
	}
	return b
}

func (p *specParser) source(v *yaml.Node, field string, s Source) {
	if fixedSources[string(s)] {
		return
	}
	if param := s.Param(); param != "" {
		if !identPattern.MatchString(param) {
			p.errorf(v, field, "%q: %q is not a parameter name", s, param)
		}
		return
	}
	if r, ok := strings.CutPrefix(string(s), "result."); ok && (identPattern.MatchString(r) || isDigits(r)) {
		return
	}
	p.errorf(v, field, "unknown source %q (want index, name, kind, func, arg.<param>, result, result.<n|name>, duration, panic, stack or start)", s)
}

func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

var formats = map[string]bool{"text": true, "code": true, "duration": true, "stack": true}

func (p *specParser) columns(v *yaml.Node, s *Spec) {
	if v.Kind != yaml.SequenceNode {
		p.errorf(v, "columns", "want a list of columns, each with title and from")
		return
	}
	if len(v.Content) == 0 {
		p.errorf(v, "columns", "empty; a panel needs at least one column")
	}
	titles := map[string]bool{}
	for i, n := range v.Content {
		path := fmt.Sprintf("columns[%d]", i)
		if n.Kind != yaml.MappingNode {
			p.errorf(n, path, "want a mapping with title and from")
			continue
		}
		var c Column
		seen := map[string]*yaml.Node{}
		p.fields(n, path+".", seen, map[string]func(k, v *yaml.Node){
			"title":  func(k, v *yaml.Node) { c.Title = p.str(v, path+".title") },
			"from":   func(k, v *yaml.Node) { c.From = Source(p.str(v, path+".from")) },
			"format": func(k, v *yaml.Node) { c.Format = p.str(v, path+".format") },
		})
		if seen["from"] == nil {
			p.errorf(n, path+".from", "missing; say where the value comes from, such as arg.name or result")
		} else {
			c.fromLine, c.fromCol = seen["from"].Line, seen["from"].Column
			if c.From != "" {
				p.source(seen["from"], path+".from", c.From)
			}
		}
		if seen["title"] == nil {
			p.errorf(n, path+".title", "missing")
		} else if titles[c.Title] {
			p.errorf(seen["title"], path+".title", "%q used by an earlier column", c.Title)
		}
		titles[c.Title] = true
		switch {
		case c.Format == "" && c.From == "stack":
			c.Format = "stack"
		case c.Format == "" && c.From == "duration":
			c.Format = "duration"
		case c.Format == "":
			c.Format = "text"
		case !formats[c.Format]:
			p.errorf(seen["format"], path+".format", "unknown format %q (want text, code, duration or stack)", c.Format)
		case c.Format == "stack" && c.From != "stack", c.From == "stack" && c.Format != "stack":
			p.errorf(seen["format"], path+".format", "format stack goes with from: stack, and only with it")
		}
		s.Columns = append(s.Columns, c)
	}
}

func (p *specParser) order(v *yaml.Node, s *Spec) {
	if v.Kind != yaml.MappingNode {
		p.errorf(v, "order", "want a mapping such as {by: duration, desc: true}")
		return
	}
	seen := map[string]*yaml.Node{}
	p.fields(v, "order.", seen, map[string]func(k, v *yaml.Node){
		"by":   func(k, v *yaml.Node) { s.Order.By = Source(p.str(v, "order.by")) },
		"desc": func(k, v *yaml.Node) { s.Order.Desc = p.bool(v, "order.desc") },
	})
	if seen["by"] == nil {
		p.errorf(v, "order.by", "missing")
	} else if s.Order.By != "" {
		p.source(seen["by"], "order.by", s.Order.By)
		if s.Order.By == "stack" || s.Order.By == "index" {
			p.errorf(seen["by"], "order.by", "rows cannot be ordered by %s", s.Order.By)
		}
	}
}

var summaryKinds = map[string]bool{"count": true, "total_duration": true, "count_by": true}

func (p *specParser) summary(v *yaml.Node, s *Spec) {
	if v.Kind != yaml.SequenceNode {
		p.errorf(v, "summary", "want a list such as [{kind: count}, {kind: count_by, of: result}]")
		return
	}
	for i, n := range v.Content {
		path := fmt.Sprintf("summary[%d]", i)
		if n.Kind != yaml.MappingNode {
			p.errorf(n, path, "want a mapping with kind (and of, for count_by)")
			continue
		}
		var sum Summary
		seen := map[string]*yaml.Node{}
		p.fields(n, path+".", seen, map[string]func(k, v *yaml.Node){
			"kind":  func(k, v *yaml.Node) { sum.Kind = p.str(v, path+".kind") },
			"of":    func(k, v *yaml.Node) { sum.Of = Source(p.str(v, path+".of")) },
			"title": func(k, v *yaml.Node) { sum.Title = p.str(v, path+".title") },
		})
		switch {
		case seen["kind"] == nil:
			p.errorf(n, path+".kind", "missing (want count, total_duration or count_by)")
		case !summaryKinds[sum.Kind]:
			p.errorf(seen["kind"], path+".kind", "unknown kind %q (want count, total_duration or count_by)", sum.Kind)
		case sum.Kind == "count_by" && seen["of"] == nil:
			p.errorf(n, path+".of", "missing: count_by needs the source whose values are counted")
		case sum.Kind != "count_by" && seen["of"] != nil:
			p.errorf(seen["of"], path+".of", "only count_by takes of")
		case seen["of"] != nil:
			p.source(seen["of"], path+".of", sum.Of)
		}
		if sum.Title == "" {
			sum.Title = defaultSummaryTitle(sum, s)
		}
		s.Summary = append(s.Summary, sum)
	}
}

func defaultSummaryTitle(sum Summary, s *Spec) string {
	switch sum.Kind {
	case "count":
		return "Total"
	case "total_duration":
		return "Total time"
	default:
		return "By " + strings.TrimPrefix(strings.TrimPrefix(string(sum.Of), "arg."), "result.")
	}
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
