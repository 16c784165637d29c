package panelgen

import (
	"bytes"
	"embed"
	"fmt"
	"go/format"
	"slices"
	"strings"
	"text/template"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

var codeTemplates = template.Must(template.New("").Delims("[[", "]]").Funcs(template.FuncMap{
	"fieldType": func(fields []field, name string) string {
		for _, f := range fields {
			if f.Name == name {
				return f.Type
			}
		}
		return ""
	},
	"hasCountBy": func(s []summary) bool {
		return slices.ContainsFunc(s, func(x summary) bool { return x.Kind == "count_by" })
	},
}).ParseFS(templateFS, "templates/*.tmpl"))

// File is one file that Generate produced.
type File struct {
	Name    string // base name, such as panel_gen.go
	Content []byte
	// Generated files say DO NOT EDIT and are rewritten on every run; the
	// others are the user's, written only when absent (or with --force).
	Generated bool
}

// Target says where the generated package goes.
type Target struct {
	ImportPath string // import path of the output directory's package
	SpecName   string // the spec's file name, quoted in generated headers
}

// Generate returns the files of the panel described by s.
func Generate(s *Spec, t Target) ([]File, error) {
	m := newModel(s, t.SpecName)
	data := struct {
		*model
		ImportPath string
	}{m, t.ImportPath}
	var files []File
	for _, out := range []struct {
		name, tmpl string
		generated  bool
	}{
		{"panel_gen.go", "panel_gen.go.tmpl", true},
		{"panel_gen.html", "panel_gen.html.tmpl", true},
		{"panel.go", "panel.go.tmpl", false},
		{"panel_test.go", "panel_test.go.tmpl", false},
	} {
		var buf bytes.Buffer
		if err := codeTemplates.ExecuteTemplate(&buf, out.tmpl, data); err != nil {
			return nil, fmt.Errorf("generating %s: %v", out.name, err)
		}
		content := buf.Bytes()
		if strings.HasSuffix(out.name, ".go") {
			formatted, err := format.Source(content)
			if err != nil {
				return nil, fmt.Errorf("generated %s does not parse (a bug in ddt panelgen): %v\n%s", out.name, err, numbered(content))
			}
			content = formatted
		}
		files = append(files, File{Name: out.name, Content: content, Generated: out.generated})
	}
	return files, nil
}

// numbered returns src with line numbers, for reporting generated code that
// does not parse.
func numbered(src []byte) string {
	var b strings.Builder
	for i, line := range strings.Split(string(src), "\n") {
		fmt.Fprintf(&b, "%4d  %s\n", i+1, line)
	}
	return b.String()
}
