package panelgen

import (
	"os"
	"strings"
	"testing"
)

func TestParseSpecBuiltin(t *testing.T) {
	data, err := os.ReadFile("specs/featureflags.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s, err := ParseSpec("featureflags.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	if s.ID != "featureflags" || s.Plural != "evaluations" || s.NavTitle != "Feature Flags" || len(s.Columns) != 4 {
		t.Errorf("spec = %+v", s)
	}
	if s.Columns[3].Format != "stack" || s.Columns[1].Format != "code" || s.Columns[0].Format != "text" {
		t.Errorf("formats = %+v", s.Columns)
	}
	if s.Package != "featureflags" {
		t.Errorf("package = %q", s.Package)
	}
}

func TestParseSpecErrors(t *testing.T) {
	for _, tc := range []struct {
		name, spec string
		want       []string
	}{
		{"missing fields", "title: X\n", []string{
			"s.yaml:1:1: id: missing", "s.yaml:1:1: kinds: missing", "s.yaml:1:1: noun: missing", "s.yaml:1:1: columns: missing"}},
		{"unknown field", "id: x\ntitle: X\nkinds: [k]\nnoun: n\ncolumns: [{title: A, from: name}]\ncolour: red\n",
			[]string{"s.yaml:6:1: colour: unknown field (known: columns, empty, group_by, id, kinds, nav_title, noun, order, package, plural, summary, title)"}},
		{"bad yaml", "id: [x\n", []string{"s.yaml:"}},
		{"bad source", "id: x\ntitle: X\nkinds: [k]\nnoun: n\ncolumns:\n  - title: A\n    from: args.q\n",
			[]string{`s.yaml:7:11: columns[0].from: unknown source "args.q"`}},
		{"column unknown field and missing from", "id: x\ntitle: X\nkinds: [k]\nnoun: n\ncolumns:\n  - title: A\n    form: name\n",
			[]string{"s.yaml:7:5: columns[0].form: unknown field (known: format, from, title)", "s.yaml:6:5: columns[0].from: missing"}},
		{"bad id and kind", "id: X Y\ntitle: X\nkinds: [b@d, ignore]\nnoun: n\ncolumns: [{title: A, from: name}]\n",
			[]string{`s.yaml:1:5: id: "X Y": use lower-case`, `s.yaml:3:9: kinds[0]: "b@d" is not a directive kind`, `s.yaml:3:14: kinds[1]: "ignore" is not an event kind`}},
		{"summary", "id: x\ntitle: X\nkinds: [k]\nnoun: n\ncolumns: [{title: A, from: name}]\nsummary:\n  - kind: count_by\n  - kind: sum\n",
			[]string{"s.yaml:7:5: summary[0].of: missing", `s.yaml:8:11: summary[1].kind: unknown kind "sum"`}},
		{"duplicate title and bad format", "id: x\ntitle: X\nkinds: [k]\nnoun: n\ncolumns:\n  - {title: A, from: name}\n  - {title: A, from: result, format: fancy}\n",
			[]string{`s.yaml:7:13: columns[1].title: "A" used by an earlier column`, `s.yaml:7:38: columns[1].format: unknown format "fancy"`}},
		{"not a mapping", "- a\n", []string{"s.yaml:1:1: (spec): want a mapping"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseSpec("s.yaml", []byte(tc.spec))
			if err == nil {
				t.Fatal("no error")
			}
			got := err.Error()
			lines := strings.Split(got, "\n")
			if len(lines) != len(tc.want) {
				t.Errorf("got %d errors, want %d:\n%s", len(lines), len(tc.want), got)
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("missing %q in:\n%s", w, got)
				}
			}
		})
	}
}
