package ddtsql

import (
	"github.com/go-ddt/ddt/runtime/redact"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// analysis is what ddtsql needs to know about a statement's text: which
// column each value is compared with or stored in (to redact the values
// of secret-looking columns), and whether it may be explained.
type analysis struct {
	// display is the statement with the literals of secret-looking
	// columns replaced by '********'.
	display string
	// params are the statement's placeholders, in order.
	params []param
	// explainable: a single SELECT, which EXPLAIN cannot turn into a write.
	explainable bool
}

// param is one placeholder and the column its value goes to, if known.
type param struct {
	text   string // "?", "?2", "$1", ":name", "@name"
	column string
}

// analyses caches the analysis of each statement text: an application
// has a bounded set of statements, except one that inlines literals,
// so the cache stops growing at maxAnalyses.
var (
	analyses    sync.Map // string -> *analysis
	analysesLen atomic.Int32
)

const maxAnalyses = 4096

func analyze(q string) *analysis {
	if a, ok := analyses.Load(q); ok {
		return a.(*analysis)
	}
	a := analyzeUncached(q)
	if analysesLen.Load() < maxAnalyses {
		if _, loaded := analyses.LoadOrStore(q, a); !loaded {
			analysesLen.Add(1)
		}
	}
	return a
}

// parenContext says what the values inside a pair of parentheses are.
type parenContext struct {
	kind    uint8  // parenPlain, parenColumns, parenValues, parenIn
	column  string // parenIn: the column compared
	element int    // parenValues: index of the current element
}

const (
	parenPlain = iota
	parenColumns
	parenValues
	parenIn
)

func analyzeUncached(q string) *analysis {
	var toks []token
	for _, t := range lex(q) {
		if t.kind != tokSpace {
			toks = append(toks, t)
		}
	}
	text := func(i int) string {
		if i < 0 || i >= len(toks) {
			return ""
		}
		return q[toks[i].start:toks[i].end]
	}
	word := func(i int) string {
		if i < 0 || i >= len(toks) || toks[i].kind != tokWord {
			return ""
		}
		return strings.ToUpper(text(i))
	}
	ident := func(i int) string {
		if i < 0 || i >= len(toks) {
			return ""
		}
		switch toks[i].kind {
		case tokWord:
			return text(i)
		case tokQuoted:
			s := text(i)
			return s[1 : len(s)-1]
		}
		return ""
	}

	a := &analysis{}
	var (
		stack      []parenContext
		columns    []string // of the last INSERT column list
		inInsert   bool     // between INSERT and VALUES
		secretAt   [][2]int // literal spans to redact
		statements = 1
		writes     bool
	)
	for i, t := range toks {
		switch t.kind {
		case tokWord:
			switch word(i) {
			case "INSERT", "REPLACE", "UPSERT":
				inInsert, columns = true, nil
				writes = true
			case "UPDATE", "DELETE", "MERGE", "CREATE", "DROP", "ALTER", "PRAGMA", "ATTACH", "DETACH",
				"VACUUM", "COPY", "CALL", "EXEC", "EXECUTE", "GRANT", "REVOKE", "TRUNCATE", "SET", "LOCK", "DO", "INTO":
				writes = true
			}
			if n := len(stack); n > 0 && stack[n-1].kind == parenColumns {
				columns = append(columns, ident(i))
			}
			continue
		case tokPunct:
			switch text(i) {
			case "(":
				c := parenContext{}
				switch {
				case word(i-1) == "VALUES" || (text(i-1) == "," && len(stack) == 0 && !inInsert && columns != nil):
					c.kind = parenValues
					inInsert = false
				case inInsert && columns == nil && len(stack) == 0:
					c.kind = parenColumns
					columns = []string{}
				case word(i-1) == "IN" && ident(i-2) != "":
					c.kind, c.column = parenIn, ident(i-2)
				}
				stack = append(stack, c)
			case ")":
				if len(stack) > 0 {
					stack = stack[:len(stack)-1]
				}
			case ",":
				if n := len(stack); n > 0 && stack[n-1].kind == parenValues {
					stack[n-1].element++
				}
			case ";":
				if i < len(toks)-1 {
					statements++
				}
			}
			continue
		case tokQuoted:
			if n := len(stack); n > 0 && stack[n-1].kind == parenColumns {
				columns = append(columns, ident(i))
			}
			continue
		}
		// A value: a placeholder or a literal. Which column is it for?
		column := ""
		switch {
		case isComparison(text(i-1), word(i-1)) && ident(i-2) != "":
			column = ident(i - 2)
		case isComparison(text(i+1), word(i+1)) && ident(i+2) != "":
			column = ident(i + 2)
		default:
			for j := len(stack) - 1; j >= 0; j-- {
				c := stack[j]
				if c.kind == parenIn {
					column = c.column
					break
				}
				if c.kind == parenValues {
					if c.element < len(columns) {
						column = columns[c.element]
					}
					break
				}
			}
		}
		if t.kind == tokParam {
			a.params = append(a.params, param{text: text(i), column: column})
		} else if column != "" && redact.IsSecret(column) {
			secretAt = append(secretAt, [2]int{t.start, t.end})
		}
	}
	a.explainable = statements == 1 && !writes && (word(0) == "SELECT" || word(0) == "WITH" || word(0) == "VALUES")
	a.display = redactSpans(q, secretAt)
	return a
}

func isComparison(punct, word string) bool {
	switch punct {
	case "=", "==", "<>", "!=", "<", ">", "<=", ">=":
		return true
	}
	switch word {
	case "LIKE", "ILIKE", "GLOB", "IS", "MATCH", "REGEXP":
		return true
	}
	return false
}

func redactSpans(q string, spans [][2]int) string {
	if len(spans) == 0 {
		return q
	}
	var b strings.Builder
	last := 0
	for _, s := range spans {
		b.WriteString(q[last:s[0]])
		b.WriteString("'" + redact.Redacted + "'")
		last = s[1]
	}
	b.WriteString(q[last:])
	return b.String()
}

// secretArg reports whether the argument with the given name (of a named
// argument) or ordinal (from 1) is stored in or compared with a
// secret-looking column, or is itself named like a secret.
func (a *analysis) secretArg(name string, ordinal int) bool {
	if name != "" {
		if redact.IsSecret(name) {
			return true
		}
		for _, p := range a.params {
			if len(p.text) > 1 && strings.EqualFold(p.text[1:], name) && redact.IsSecret(p.column) {
				return true
			}
		}
		return false
	}
	plain := 0
	for _, p := range a.params {
		var n int
		switch {
		case p.text == "?":
			plain++
			n = plain
		case p.text[0] == '?' || p.text[0] == '$':
			n, _ = strconv.Atoi(p.text[1:])
		default:
			continue
		}
		if n == ordinal && p.column != "" && redact.IsSecret(p.column) {
			return true
		}
	}
	return false
}
