package panel

import (
	"strings"
	"testing"
)

func TestSafeEditURL(t *testing.T) {
	for in, want := range map[string]string{
		"vscode://file/a.go:1":     "vscode://file/a.go:1",
		"idea://open?file=/a.go":   "idea://open?file=/a.go",
		"https://example.com/a.go": "https://example.com/a.go",
		"javascript:alert(1)":      "",
		"JaVaScRiPt:alert(1)":      "",
		" javascript:alert(1)":     "",
		"data:text/html,<script>":  "",
		"vbscript:x":               "",
		"no scheme":                "",
		"":                         "",
		"java\tscript:alert(1)":    "",
	} {
		if got := string(safeEditURL(in)); got != want {
			t.Errorf("safeEditURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFragments(t *testing.T) {
	tmpl := MustParse(`{{template "ddt-stack" .S}}|{{template "ddt-fields" .F}}|{{template "ddt-kv" .P}}|{{count 1 "row" "rows"}} {{count 2 "row" "rows"}}`)
	var b strings.Builder
	err := tmpl.Execute(&b, map[string]any{
		"S": Stack{Frames: []Frame{
			{Func: "main.f", File: "/a.go", Line: 3, EditURL: "vscode://file/a.go:3"},
			{Func: "runtime.goexit", File: "/b.s", Line: 1, Hidden: true, EditURL: "javascript:alert(1)"},
		}},
		"F": []Field{{Name: "a", Value: `"<b>"`}, {Name: "b", Value: "2"}},
		"P": []struct{ Name, Value string }{{Name: "k", Value: "v"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := b.String()
	for _, want := range []string{
		`<details class="ddt-stack"><summary>View stack trace</summary><ol>`,
		`<li class="ddt-frame"><code class="ddt-func">main.<wbr>f</code> <span class="ddt-loc">/<wbr>a.<wbr>go:3</span> <a class="ddt-edit" href="vscode://file/a.go:3">open</a></li>`,
		`<li class="ddt-frame ddt-frame-hidden"><code class="ddt-func">runtime.<wbr>goexit</code> <span class="ddt-loc">/<wbr>b.<wbr>s:1</span></li>`,
		`|<code>a=&#34;&lt;b&gt;&#34;</code>, <code>b=2</code>|`,
		`<table class="ddt-table ddt-kv"><tbody>` + "\n" + `<tr><th><code>k</code></th><td><code>v</code></td></tr>`,
		`|1 row 2 rows`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("rendered fragments lack\n%s\nin\n%s", want, got)
		}
	}
}
