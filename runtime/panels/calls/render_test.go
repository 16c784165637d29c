package calls

import (
	"strings"
	"testing"
	"time"

	"github.com/go-ddt/ddt/runtime/panel"
)

// rowTemplate is the markup rowHTML replaces, as it was written in
// calls.html.
var rowTemplate = panel.MustParse(`{{- range $i, $c := .}}
    <tr>
      <td class="ddt-num">{{inc $i}}</td>
      <td class="ddt-calls-func"><code>{{with $c.Func}}{{breakable .}}{{else}}{{$c.Name}}{{end}}</code></td>
      <td class="ddt-calls-kind"><code>{{$c.Kind}}</code></td>
      <td class="ddt-calls-via">{{if $c.Unattributed}}<span class="ddt-warn">{{$c.Unattributed}}</span>{{else}}{{$c.Via}}{{end}}{{with $c.Goroutine}} <span class="ddt-muted" title="goroutine {{.}}">g{{.}}</span>{{end}}</td>
      <td class="ddt-calls-args">{{template "ddt-fields" $c.Args}}</td>
      <td class="ddt-calls-args">{{if $c.Panic}}<span class="ddt-error">panic: {{$c.Panic}}</span>{{else}}{{template "ddt-fields" $c.Results}}{{end}}</td>
      <td class="ddt-num">{{ms $c.Duration}}</td>
      <td class="ddt-calls-stack">{{template "ddt-stack" $c.Stack}}</td>
    </tr>
    {{- end}}`)

func TestRowHTMLIsTheTemplates(t *testing.T) {
	hostile := "<script>alert('x')</script> & \"quotes\" + \x00 </body> é \xff"
	calls := []Call{
		{Func: "example.com/app/pkg.(*T).F", Kind: "trace", Args: []panel.Field{{Name: "a", Value: `"x"`}, {Name: "n", Value: "7"}}, Results: []panel.Field{{Name: "r0", Value: "true"}}, Duration: 1234567 * time.Nanosecond, Via: "ctx", Goroutine: 42},
		{Name: hostile, Kind: hostile, Args: []panel.Field{{Name: hostile, Value: hostile}}, Panic: hostile, Via: hostile},
		{Func: hostile, Kind: "search", Duration: -time.Millisecond, Stack: panel.Stack{Same: 3}, Unattributed: hostile, Goroutine: 1<<64 - 1},
		{Func: "pkg.H", Kind: "trace", Unattributed: "no context argument and not on a request's goroutine", Via: "ignored"},
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
