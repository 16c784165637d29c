package corpus

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"
)

func TestMark(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		want    string
		skipped int
	}{
		{
			name: "doc comment gets the directive as its last line",
			src:  "package p\n\n// F does things.\n// More.\nfunc F() {}\n",
			want: "package p\n\n// F does things.\n// More.\n//ddt:trace\nfunc F() {}\n",
		},
		{
			name: "no doc comment, and a comment separated by a blank line",
			src:  "package p\n\n// not a doc comment\n\nfunc F() int { return 1 }\n",
			want: "package p\n\n// not a doc comment\n\n//ddt:trace\nfunc F() int { return 1 }\n",
		},
		{
			name: "after compiler directives and a block comment",
			src:  "package p\n\n/* F. */\n//go:noinline\nfunc F() {}\n",
			want: "package p\n\n/* F. */\n//go:noinline\n//ddt:trace\nfunc F() {}\n",
		},
		{
			name: "methods and generics; declarations without a body stay unmarked",
			src:  "package p\n\ntype T[E any] struct{}\n\nfunc (t *T[E]) M() {}\n\nfunc G[E any](e E) E { return e }\n\nfunc asm(x int) int\n",
			want: "package p\n\ntype T[E any] struct{}\n\n//ddt:trace\nfunc (t *T[E]) M() {}\n\n//ddt:trace\nfunc G[E any](e E) E { return e }\n\nfunc asm(x int) int\n",
		},
		{
			name:    "functions ddt refuses by design stay unmarked",
			src:     "package p\n\n//go:nosplit\nfunc F() {}\n",
			want:    "package p\n\n//go:nosplit\nfunc F() {}\n",
			skipped: 1,
		},
		{
			name: "CRLF line endings are kept",
			src:  "package p\r\n\r\n// F.\r\nfunc F() {}\r\n",
			want: "package p\r\n\r\n// F.\r\n//ddt:trace\r\nfunc F() {}\r\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Mark("p.go", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			if string(m.Src) != tt.want {
				t.Errorf("Mark:\n%s\nwant:\n%s", m.Src, tt.want)
			}
			if len(m.Skipped) != tt.skipped {
				t.Errorf("skipped %q, want %d", m.Skipped, tt.skipped)
			}
			if got := string(Unmark(m.Src)); got != tt.src {
				t.Errorf("Unmark(Mark(src)):\n%s\nwant:\n%s", got, tt.src)
			}
			// What ddt reads: the directive is the last comment of the
			// group attached to every marked function.
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, "p.go", m.Src, parser.ParseComments)
			if err != nil {
				t.Fatal(err)
			}
			directives := 0
			for _, d := range f.Decls {
				fn, ok := d.(*ast.FuncDecl)
				if !ok || fn.Doc == nil {
					continue
				}
				if last := fn.Doc.List[len(fn.Doc.List)-1]; strings.TrimRight(last.Text, "\r") == Directive {
					directives++
				}
			}
			if directives != m.Funcs || strings.Count(string(m.Src), Directive) != m.Funcs {
				t.Errorf("%d functions carry the directive in their doc comment, %d in the file; Mark says %d", directives, strings.Count(string(m.Src), Directive), m.Funcs)
			}
		})
	}
}

func TestMarkRefuses(t *testing.T) {
	for _, src := range []string{
		"package p\n\n//ddt:flag\nfunc F(name string) bool { return true }\n",
		"package p\n\nfunc A() {}; func B() {}\n",
		"package p\n\nfunc A( {}\n",
	} {
		if m, err := Mark("p.go", []byte(src)); err == nil {
			t.Errorf("Mark(%q) = %q, want an error", src, m.Src)
		}
	}
}
