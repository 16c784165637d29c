package calls

import (
	"strings"
	"testing"
	"time"

	"github.com/go-ddt/ddt/runtime/toolbar/panel"
)

// rowTemplate is the markup rowHTML replaces, as it was written in
// calls.html.
var rowTemplate = panel.MustParse(`{{- range $i, $c := .}}
    <tr>
      <td class="ddt-num">{{inc $i}}</td>
      <td><code>{{with $c.Func}}{{.}}{{else}}{{$c.Name}}{{end}}</code></td>
      <td><code>{{$c.Kind}}</code></td>
      <td>{{template "ddt-fields" $c.Args}}</td>
      <td>{{if $c.Panic}}<span class="ddt-error">panic: {{$c.Panic}}</span>{{else}}{{template "ddt-fields" $c.Results}}{{end}}</td>
      <td class="ddt-num">{{ms $c.Duration}}</td>
      <td>{{template "ddt-stack" $c.Stack}}</td>
    </tr>
    {{- end}}`)

func TestRowHTMLIsTheTemplates(t *testing.T) {
	hostile := "<script>alert('x')</script> & \"quotes\" + \x00 </body> é \xff"
	calls := []Call{
		{Func: "pkg.F", Kind: "trace", Args: []panel.Field{{Name: "a", Value: `"x"`}, {Name: "n", Value: "7"}}, Results: []panel.Field{{Name: "r0", Value: "true"}}, Duration: 1234567 * time.Nanosecond},
		{Name: hostile, Kind: hostile, Args: []panel.Field{{Name: hostile, Value: hostile}}, Panic: hostile},
		{Func: hostile, Kind: "search", Duration: -time.Millisecond, Stack: panel.Stack{Same: 3}},
		{Kind: "flag", Stack: panel.Stack{ID: 2, Frames: []panel.Frame{{Func: hostile, File: "/x/" + hostile + ".go", Line: 12, EditURL: "vscode://file/x.go:12"}, {Func: "runtime.goexit", File: "asm.s", Line: 1, Hidden: true}}}},
		{Func: "pkg.G", Kind: "trace", Results: []panel.Field{}, Stack: panel.Stack{Same: 1000}},
	}
	var want strings.Builder
	if err := rowTemplate.Execute(&want, calls); err != nil {
		t.Fatal(err)
	}
	var got strings.Builder
	for i, c := range calls {
		got.WriteString(string(rowHTML(i, c)))
	}
	if got.String() != want.String() {
		t.Errorf("rowHTML differs from the template:\n--- got\n%s\n--- want\n%s", got.String(), want.String())
	}
}
