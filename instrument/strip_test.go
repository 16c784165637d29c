package instrument

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// TestStripKeepsUserEdits takes the in-place output of every golden case,
// makes edits a user could make after running ddt instrument -w (a comment
// above the first directive, a line in a function body, a function added
// after ddt's declarations at the end), and checks that strip removes
// exactly ddt's text: the result is the input with the same edits.
func TestStripKeepsUserEdits(t *testing.T) {
	paths, _ := filepath.Glob("testdata/*.txtar")
	checked := 0
	for _, path := range paths {
		ar, err := txtar.ParseFile(path)
		if err != nil {
			t.Fatal(err)
		}
		input := map[string][]byte{}
		for _, f := range ar.Files {
			input[f.Name] = f.Data
		}
		for _, f := range ar.Files {
			name, ok := strings.CutPrefix(f.Name, "want/")
			orig := input[name]
			if !ok || bytes.Contains(orig, runtimeBytes) {
				continue // not an output, or an input that was instrumented already
			}
			bodyLine := uniqueBodyLine(orig, f.Data)
			edit := func(src []byte) []byte {
				src = bytes.Replace(src, []byte("//ddt:"), []byte("// A comment the user added.\n//ddt:"), 1)
				if bodyLine != "" {
					src = bytes.Replace(src, []byte(bodyLine), []byte("\n\t_ = \"user edit\""+bodyLine), 1)
				}
				return append(src, "\nfunc userAdded() {}\n"...)
			}
			got, _, err := stripSource(edit(f.Data))
			if err != nil {
				t.Errorf("%s: %s: %v", path, name, err)
				continue
			}
			if want := edit(orig); !bytes.Equal(got, want) {
				t.Errorf("%s: %s: strip after user edits:\n%s\nwant:\n%s", path, name, got, want)
			}
			checked++
		}
	}
	if checked < 10 {
		t.Fatalf("only %d outputs checked", checked)
	}
}

// uniqueBodyLine returns "\n" and a line of a function body that occurs
// once in both texts, or "".
func uniqueBodyLine(a, b []byte) string {
	for _, line := range strings.Split(string(a), "\n") {
		l := "\n" + line + "\n"
		body := strings.HasPrefix(line, "\treturn ") || strings.HasPrefix(line, "\tif ")
		if body && bytes.Count(a, []byte(l)) == 1 && bytes.Count(b, []byte(l)) == 1 {
			return "\n" + line
		}
	}
	return ""
}

// TestStripLeavesOtherCodeAlone: files without ddt's import are returned
// as they are, including code that merely resembles the generated shape.
func TestStripLeavesOtherCodeAlone(t *testing.T) {
	for _, src := range []string{
		"package p\n\nfunc F() {}\n",
		"package p\n\nimport ddt \"example.com/other/ddtrt\"\n\nfunc F() {\n\tif ddt.Active() {\n\t}\n}\n",
		// The runtime imported by a user under another name is not ddt's.
		"package p\n\nimport rt \"github.com/go-ddt/ddt/runtime/ddtrt\"\n\nfunc F() {\n\tif rt.Active() {\n\t}\n}\n\nconst _ = rt.GeneratedCodeV1\n",
	} {
		got, es, err := stripSource([]byte(src))
		if err != nil || string(got) != src || len(es) != 0 {
			t.Errorf("stripSource(%q) = %q, %v, %v", src, got, es, err)
		}
	}
}

// TestStripParamsAfterUserEdit: a parameter list ddt named is restored
// from the marker while it is what ddt made of it; once the user changed
// it, strip only turns ddt's names back into blanks.
func TestStripParamsAfterUserEdit(t *testing.T) {
	const instrumented = `package p

import "context"

import __ddt "github.com/go-ddt/ddt/runtime/ddtrt"

func Update(__ddt_p0 context.Context, _ string%s) {
	if __ddt.Active() { //ddt:generated params="(context.Context, string)"
		__ddt_c := __ddt.Enter(&__ddt_site_Update, __ddt_p0, nil)
		defer __ddt_exit0(__ddt_c)
	}
}
`
	for _, tc := range []struct{ extra, want string }{
		{"", "func Update(context.Context, string) {\n}\n"},
		{", n int", "func Update(_ context.Context, _ string, n int) {\n}\n"},
	} {
		got, _, err := stripSource(fmt.Appendf(nil, instrumented, tc.extra))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(string(got), tc.want) {
			t.Errorf("strip with params edited to %q:\n%s\nwant it to end with:\n%s", tc.extra, got, tc.want)
		}
	}
}
