package instrument

import (
	"fmt"
	"go/ast"
	"go/token"
	"strings"
)

// directivePrefix starts every ddt directive comment.
const directivePrefix = "//ddt:"

// Directive kinds with a meaning of their own. Any other identifier-like
// kind is a custom event kind for a custom panel.
const (
	kindFlag   = "flag"
	kindTrace  = "trace"
	kindIgnore = "ignore"
)

// knownOptions are the keys a directive may carry, per kind ("" = any kind
// except ignore).
var knownOptions = map[string]bool{"name": true}

// directive is one parsed //ddt: comment.
type directive struct {
	Kind    string
	Options map[string]string
	Keys    []string  // option keys in source order
	Pos     token.Pos // of the "//" that starts the comment
	// OptPos is the position of each option, for messages about it.
	OptPos map[string]token.Pos
}

// diagErr is an error at a position of the file being analysed.
type diagErr struct {
	Pos token.Pos
	Msg string
}

// isDirective reports whether the comment is a ddt directive.
func isDirective(c *ast.Comment) bool { return strings.HasPrefix(c.Text, directivePrefix) }

// parseDirective parses the comment c, which isDirective.
func parseDirective(c *ast.Comment) (*directive, []diagErr) {
	text := c.Text[len(directivePrefix):]
	d := &directive{Pos: c.Slash, Options: map[string]string{}, OptPos: map[string]token.Pos{}}
	// at returns the position of byte i of text.
	at := func(i int) token.Pos { return c.Slash + token.Pos(len(directivePrefix)+i) }

	kindEnd := strings.IndexAny(text, " \t")
	if kindEnd < 0 {
		kindEnd = len(text)
	}
	d.Kind = text[:kindEnd]
	if d.Kind == "" {
		return nil, []diagErr{{c.Slash, "malformed directive //ddt: (want //ddt:<kind> [key=value ...])"}}
	}
	if i := badIdentChar(d.Kind); i >= 0 {
		return nil, []diagErr{{at(i), fmt.Sprintf("malformed directive kind %q: a kind is a letter followed by letters, digits, '_' or '-'", d.Kind)}}
	}
	var errs []diagErr
	i := kindEnd
	for i < len(text) {
		for i < len(text) && (text[i] == ' ' || text[i] == '\t') {
			i++
		}
		if i == len(text) {
			break
		}
		end := i
		for end < len(text) && text[end] != ' ' && text[end] != '\t' {
			end++
		}
		field := text[i:end]
		key, value, ok := strings.Cut(field, "=")
		switch {
		case !ok:
			errs = append(errs, diagErr{at(i), fmt.Sprintf("malformed option %q: want key=value", field)})
		case key == "" || badIdentChar(key) >= 0:
			errs = append(errs, diagErr{at(i), fmt.Sprintf("malformed option %q: the key must be an identifier", field)})
		case value == "":
			errs = append(errs, diagErr{at(i), fmt.Sprintf("malformed option %q: missing value after '='", field)})
		case d.OptPos[key] != token.NoPos:
			errs = append(errs, diagErr{at(i), fmt.Sprintf("duplicate option %q", key)})
		case d.Kind == kindIgnore:
			errs = append(errs, diagErr{at(i), fmt.Sprintf("unknown option %q: //ddt:ignore takes no options", key)})
		case !knownOptions[key]:
			errs = append(errs, diagErr{at(i), fmt.Sprintf("unknown option %q (known: name)", key)})
		default:
			d.Options[key] = value
			d.Keys = append(d.Keys, key)
			d.OptPos[key] = at(i)
		}
		i = end
	}
	return d, errs
}

// badIdentChar returns the index of the first byte of s that may not appear
// in a kind or option key, or -1.
func badIdentChar(s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if letter || i > 0 && (c >= '0' && c <= '9' || c == '_' || c == '-') {
			continue
		}
		return i
	}
	return -1
}
