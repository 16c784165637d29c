package ddtsql

import "strings"

// tokenKind classifies the tokens of a SQL statement, as far as redaction
// and explain need them. The lexer knows the syntax SQLite, PostgreSQL and
// MySQL share: quoted strings and identifiers, comments, and the
// placeholders ?, ?NNN, $N, :name and @name; and PostgreSQL's
// dollar-quoted strings, $$...$$ and $tag$...$tag$.
type tokenKind uint8

const (
	tokSpace  tokenKind = iota // whitespace and comments
	tokWord                    // identifier or keyword
	tokQuoted                  // "identifier" or `identifier`
	tokString                  // 'string' or $$string$$ (a literal value)
	tokNumber                  // 42, 3.5 (a literal value)
	tokParam                   // a placeholder
	tokPunct                   // anything else: operators, parentheses, commas
)

type token struct {
	kind       tokenKind
	start, end int // byte offsets in the statement
}

// lex splits q into tokens. It never fails: an unterminated string or
// comment runs to the end of q.
func lex(q string) []token {
	var toks []token
	for i := 0; i < len(q); {
		start := i
		c := q[i]
		kind := tokPunct
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
			kind = tokSpace
			for i < len(q) && strings.IndexByte(" \t\n\r\f", q[i]) >= 0 {
				i++
			}
		case c == '-' && strings.HasPrefix(q[i:], "--"):
			kind = tokSpace
			if j := strings.IndexByte(q[i:], '\n'); j >= 0 {
				i += j + 1
			} else {
				i = len(q)
			}
		case c == '/' && strings.HasPrefix(q[i:], "/*"):
			kind = tokSpace
			if j := strings.Index(q[i+2:], "*/"); j >= 0 {
				i += j + 4
			} else {
				i = len(q)
			}
		case c == '\'':
			kind = tokString
			i = closeQuote(q, i, '\'')
		case c == '"' || c == '`':
			kind = tokQuoted
			i = closeQuote(q, i, c)
		case c == '?':
			kind = tokParam
			i++
			for i < len(q) && isDigit(q[i]) {
				i++
			}
		case c == '$' && dollarTag(q[i:]) > 0:
			// PostgreSQL's dollar quoting: $$...$$ or $tag$...$tag$, with
			// nothing escaped inside.
			kind = tokString
			n := dollarTag(q[i:])
			if j := strings.Index(q[i+n:], q[i:i+n]); j >= 0 {
				i += n + j + n
			} else {
				i = len(q)
			}
		case c == '$' && i+1 < len(q) && isDigit(q[i+1]):
			kind = tokParam
			i++
			for i < len(q) && isDigit(q[i]) {
				i++
			}
		case (c == ':' || c == '@') && i+1 < len(q) && isWordStart(q[i+1]) && !(i > 0 && q[i-1] == ':'):
			kind = tokParam
			i++
			for i < len(q) && isWordPart(q[i]) {
				i++
			}
		case isDigit(c) || c == '.' && i+1 < len(q) && isDigit(q[i+1]):
			kind = tokNumber
			for i < len(q) && (isWordPart(q[i]) || q[i] == '.') {
				i++
			}
		case isWordStart(c):
			kind = tokWord
			for i < len(q) && isWordPart(q[i]) {
				i++
			}
			// E'...' and X'...' are strings with a prefix.
			if i < len(q) && q[i] == '\'' && i-start == 1 {
				kind = tokString
				i = closeQuote(q, i, '\'')
			}
		case c == ':' && strings.HasPrefix(q[i:], "::"):
			i += 2 // PostgreSQL's cast, not a named parameter
		case strings.IndexByte("<>!=", c) >= 0:
			i++
			for i < len(q) && strings.IndexByte("<>=", q[i]) >= 0 {
				i++
			}
		default:
			i++
		}
		toks = append(toks, token{kind, start, i})
	}
	return toks
}

// dollarTag returns the length of the dollar-quote opening that q starts
// with, $$ or $tag$ (a tag is an identifier without $), or 0.
func dollarTag(q string) int {
	if len(q) < 2 || q[0] != '$' {
		return 0
	}
	if q[1] == '$' {
		return 2
	}
	if !isWordStart(q[1]) {
		return 0
	}
	for j := 2; j < len(q); j++ {
		switch c := q[j]; {
		case c == '$':
			return j + 1
		case isWordStart(c) || isDigit(c):
		default:
			return 0
		}
	}
	return 0
}

// closeQuote returns the offset after the quoted text that starts at q[i]
// with quote, where a doubled quote stands for itself.
func closeQuote(q string, i int, quote byte) int {
	for i++; i < len(q); i++ {
		if q[i] == quote {
			if i+1 < len(q) && q[i+1] == quote {
				i++
				continue
			}
			return i + 1
		}
		if q[i] == '\\' && quote == '\'' && i+1 < len(q) {
			i++ // MySQL's and E'' strings' escapes; harmless elsewhere
		}
	}
	return len(q)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isWordStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}
func isWordPart(c byte) bool { return isWordStart(c) || isDigit(c) || c == '$' }
