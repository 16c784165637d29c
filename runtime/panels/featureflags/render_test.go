package featureflags

import (
	"strings"
	"testing"
	"time"

	"github.com/go-ddt/ddt/runtime/panel"
)

// rowTemplate is the markup rowHTML replaces, as it was written in
// featureflags.html.
var rowTemplate = panel.MustParse(`{{- range $i, $r := .Rows}}
    <tr data-ddt-flag="{{$r.Key}}"{{if or $r.Panic $r.ErrorType $r.ErrorMessage}} class="ddt-error"{{end}}>
      <td class="ddt-num">{{inc $i}}</td>
      <td><code>{{$r.Key}}</code></td>
      <td data-ddt-flag-value>
        {{- if $r.Panic}}<span class="ddt-error">panic: {{$r.Panic}}</span>
        {{- else if $r.Override}}<code>{{$r.Override}}</code> <strong data-ddt-flag-overridden>overridden</strong><br><span class="ddt-muted">real: <code>{{$r.Value}}</code></span>
        {{- else}}<code>{{$r.Value}}</code>{{end}}
        {{- if or $r.ErrorType $r.ErrorMessage}}<br><span class="ddt-error">{{with $r.ErrorType}}{{.}}{{end}}{{if and $r.ErrorType $r.ErrorMessage}}: {{end}}{{$r.ErrorMessage}}</span>{{end -}}
      </td>
      <td>
        {{- with $r.Variant}}variant <code>{{.}}</code><br>{{end}}
        {{- with $r.Reason}}reason <code>{{.}}</code><br>{{end}}
        {{- with $r.ContextID}}targeting key <code>{{.}}</code><br>{{end}}
        {{- with $r.Provider}}provider {{.}}<br>{{end}}
        {{- range $r.Metadata}}<span class="ddt-muted">{{.Key}}</span> <code>{{.Value}}</code><br>{{end}}
        {{- with $r.Func}}<code class="ddt-func">{{breakable .}}</code>{{end -}}
      </td>
      <td class="ddt-num">{{ms $r.Duration}}</td>
      <td>
        {{- if eq $r.Type "bool"}}<button type="button" class="ddt-btn" data-ddt-flag-set="{{$r.Key}}" data-ddt-flag-to="true">On</button> <button type="button" class="ddt-btn" data-ddt-flag-set="{{$r.Key}}" data-ddt-flag-to="false">Off</button>
        {{- else if $r.Type}}<input type="text" size="10" aria-label="Value of {{$r.Key}}" data-ddt-flag-input="{{$r.Key}}" value="{{if $r.InCookie}}{{$r.CookieValue}}{{else}}{{$r.Value}}{{end}}"> <button type="button" class="ddt-btn" data-ddt-flag-set="{{$r.Key}}">Set</button>
        {{- else}}<span class="ddt-muted">not overridable: {{if $r.GoType}}a {{$r.GoType}}{{else}}no value{{end}}</span>{{end}}
        {{- if $r.InCookie}} <button type="button" class="ddt-btn" data-ddt-flag-clear="{{$r.Key}}">Clear</button>
          {{- if not $r.Override}}<br><span class="ddt-muted" data-ddt-flag-not-applied>forced to <code>{{$r.CookieValue}}</code>, not applied here: the value does not fit the flag{{if $r.Panic}}, the evaluation panicked{{end}}, or it ran on a goroutine without the request's context</span>{{end}}
        {{- end -}}
      </td>
      <td>{{template "ddt-stack" $r.Stack}}</td>
    </tr>
    {{- end}}`)

// TestRowHTMLIsTheTemplates renders rows of every shape, hostile text in
// each field, with the template and with rowHTML, and compares the bytes.
func TestRowHTMLIsTheTemplates(t *testing.T) {
	hostile := "<script>alert('x')</script> & \"quotes\" + \x00 </body> é \xff `back`"
	stack := panel.Stack{ID: 2, Frames: []panel.Frame{{Func: hostile, File: "/x/" + hostile + ".go", Line: 12, EditURL: "vscode://file/x.go:12"}}}
	rows := []Row{
		{Key: "new-nav", Value: "true", Type: "bool", Func: "example.com/app.(*Flags).Enabled", Duration: 1234567 * time.Nanosecond, Stack: stack},
		{Key: hostile, Value: hostile, Type: "string", Variant: hostile, Reason: hostile, ContextID: hostile, Provider: hostile,
			Metadata: []Entry{{Key: hostile, Value: hostile}, {Key: "version", Value: "3"}}, ErrorType: hostile, ErrorMessage: hostile},
		{Key: "k", Value: "false", Type: "bool", Override: "true", InCookie: true, CookieValue: "true"},
		{Key: "k2", Value: hostile, Type: "number", InCookie: true, CookieValue: hostile, Panic: hostile, Duration: -time.Millisecond, Stack: panel.Stack{Same: 3}},
		{Key: "k3", Value: "x", Type: "string", InCookie: true, CookieValue: "y", Override: "y"},
		{Key: "k4", Value: "1", GoType: hostile, InCookie: true, CookieValue: "2"},
		{Key: "k5", ErrorType: "flag_not_found"},
		{Key: "k6", ErrorMessage: "down", Stack: panel.Stack{Same: 1000}},
		{},
	}
	var want strings.Builder
	if err := rowTemplate.Execute(&want, struct{ Rows []Row }{rows}); err != nil {
		t.Fatal(err)
	}
	var got strings.Builder
	for i, r := range rows {
		got.WriteString(string(rowHTML(i, r)))
	}
	if got.String() != want.String() {
		t.Errorf("rowHTML differs from the template:\n--- got\n%s\n--- want\n%s", got.String(), want.String())
	}
}
