package instrument

import (
	"go/ast"
	"go/token"
	"strings"
	"testing"
)

// FuzzParseDirective parses arbitrary directive text: a directive or
// errors, never a panic, and every error points into the comment.
func FuzzParseDirective(f *testing.F) {
	for _, s := range []string{"flag", "flag name=n", "trace", "ignore", "", "Fl@g", "flag name", "flag name=a name=b", "x colour=red", "flag\tname=q  ", "é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if strings.ContainsAny(text, "\n\r") {
			return // a line comment ends at the newline
		}
		c := &ast.Comment{Slash: token.Pos(100), Text: directivePrefix + text}
		d, errs := parseDirective(c)
		end := c.Slash + token.Pos(len(c.Text))
		for _, e := range errs {
			if e.Pos < c.Slash || e.Pos > end {
				t.Fatalf("%q: error at %d, outside the comment [%d, %d]: %s", text, e.Pos, c.Slash, end, e.Msg)
			}
			if e.Msg == "" {
				t.Fatalf("%q: empty error message", text)
			}
		}
		if d == nil && len(errs) == 0 {
			t.Fatalf("%q: neither a directive nor an error", text)
		}
		if d != nil && d.Kind == "" {
			t.Fatalf("%q: directive without a kind", text)
		}
	})
}
