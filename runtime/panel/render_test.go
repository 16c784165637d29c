package panel

import (
	"html/template"
	"strings"
	"testing"
)

// referenceFragments are "ddt-stack" and "ddt-fields" as template text,
// escaped by html/template: what stackHTML and fieldsHTML must produce.
var referenceFragments = template.Must(template.New("ref").Funcs(Funcs).Parse(`
{{- define "stack" -}}
{{- if gt .Same 0 -}}
<span class="ddt-muted ddt-stack-same" data-ddt-same="{{.Same}}">Same stack trace as above</span>
{{- else if .Frames -}}
<details class="ddt-stack"><summary>View stack trace</summary><ol{{with .ID}} data-ddt-stack="{{.}}"{{end}}>
{{- range .Frames}}
<li class="ddt-frame{{if .Hidden}} ddt-frame-hidden{{end}}"><code class="ddt-func">{{breakable .Func}}</code> <span class="ddt-loc">{{breakable .File}}:{{.Line}}</span>
{{- with editURL .EditURL}} <a class="ddt-edit" href="{{.}}">open</a>{{end}}</li>
{{- end}}
</ol></details>
{{- else -}}
<span class="ddt-muted">no stack</span>
{{- end -}}
{{- end -}}
{{- define "fields" -}}
{{- range $i, $f := .}}{{if $i}}, {{end}}<code>{{$f.Name}}={{$f.Value}}</code>{{end -}}
{{- end -}}`))

// hostileStrings are texts and URLs that exercise every escaping rule.
var hostileStrings = []string{
	"", "main.f", `<script>alert("x")</script>`, `a&b'c"d+e<f>g`, "nul\x00byte", "bad\xff\xfeutf8", "é世界\u2028",
	"vscode://file//a b/c.go:1", "idea://open?file=/a%20b.go&line=2", "vscode://file/%zz%4", "vscode://file/%41%4",
	`vscode://file/"onmouseover=alert(1)`, "javascript:alert(1)", "x-editor://a/\x01\x7f<>'\"{}|\\^`",
	"https://example.com/a+b;c=d?e=f#g", "data:text/html,<b>",
}

func TestRenderedFragmentsMatchTemplates(t *testing.T) {
	var stacks []Stack
	for i, s := range hostileStrings {
		f := Frame{Func: s, File: hostileStrings[(i+1)%len(hostileStrings)], Line: i - 3, Hidden: i%2 == 0, EditURL: hostileStrings[(i+7)%len(hostileStrings)]}
		stacks = append(stacks, Stack{Frames: []Frame{f}}, Stack{Frames: []Frame{f, {Func: "g", EditURL: s}}, ID: i + 1})
	}
	stacks = append(stacks, Stack{Same: 7}, Stack{Same: 70}, Stack{Same: 2, Frames: stacks[0].Frames}, Stack{Same: -1}, Stack{}, Stack{Frames: []Frame{{}}})
	for _, s := range stacks {
		var want strings.Builder
		if err := referenceFragments.ExecuteTemplate(&want, "stack", s); err != nil {
			t.Fatal(err)
		}
		if got := string(stackHTML(s)); got != want.String() {
			t.Errorf("stack %+v:\n got %s\nwant %s", s, got, want.String())
		}
	}

	var fields []Field
	for i, s := range hostileStrings {
		fields = append(fields, Field{Name: s, Value: hostileStrings[(i+3)%len(hostileStrings)]})
	}
	for n := range len(fields) + 1 {
		var want strings.Builder
		if err := referenceFragments.ExecuteTemplate(&want, "fields", fields[:n]); err != nil {
			t.Fatal(err)
		}
		if got := string(fieldsHTML(fields[:n])); got != want.String() {
			t.Errorf("%d fields:\n got %s\nwant %s", n, got, want.String())
		}
	}
}

// BenchmarkStackFragment renders a 10-frame stack through the fragment, as
// a panel's template does for each row.
func BenchmarkStackFragment(b *testing.B) {
	frames := make([]Frame, 10)
	for i := range frames {
		frames[i] = Frame{Func: "example.com/app/internal/handlers.(*Server).Dashboard.func1", File: "/home/me/src/app/internal/handlers/dashboard.go", Line: 40 + i, Hidden: i > 5, EditURL: "vscode://file/home/me/src/app/internal/handlers/dashboard.go:40"}
	}
	stack := Stack{Frames: frames}
	var out strings.Builder
	b.Run("go", func(b *testing.B) {
		t := MustParse(`{{template "ddt-stack" .}}`)
		b.ReportAllocs()
		for b.Loop() {
			out.Reset()
			if err := t.Execute(&out, stack); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("template-text", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			out.Reset()
			if err := referenceFragments.ExecuteTemplate(&out, "stack", stack); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func TestBreakable(t *testing.T) {
	for in, want := range map[string]string{
		"":                               "",
		"main":                           "main",
		"example.com/app/db.(*DB).Query": "example.<wbr>com/<wbr>app/<wbr>db.<wbr>(*DB).<wbr>Query",
		"a./":                            "a.<wbr>/",
		"<x>.y":                          "&lt;x&gt;.<wbr>y",
		"/src/app/main.go":               "/<wbr>src/<wbr>app/<wbr>main.<wbr>go",
	} {
		if got := string(breakable(in)); got != want {
			t.Errorf("breakable(%q) = %q, want %q", in, got, want)
		}
	}
}
