package panelgen

import (
	"embed"
	"fmt"
	"path"
	"slices"
	"strings"
	"text/template"
)

//go:embed specs/*.yaml
var builtinFS embed.FS

// Builtins returns the names of the built-in specs.
func Builtins() []string {
	entries, _ := builtinFS.ReadDir("specs")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	slices.Sort(names)
	return names
}

// Builtin returns the built-in spec called name.
func Builtin(name string) (*Spec, error) {
	data, err := builtinFS.ReadFile(path.Join("specs", name+".yaml"))
	if err != nil {
		return nil, fmt.Errorf("no built-in spec %q (built-in: %s; or use --spec FILE)", name, strings.Join(Builtins(), ", "))
	}
	return ParseSpec(name+".yaml", data)
}

// BuiltinSource returns the YAML of the built-in spec called name.
func BuiltinSource(name string) ([]byte, error) {
	return builtinFS.ReadFile(path.Join("specs", name+".yaml"))
}

var starter = template.Must(template.New("").Parse(`# yaml-language-server: $schema=https://raw.githubusercontent.com/go-ddt/ddt/main/panelgen/spec.schema.json
#
# A ddt panel spec. Generate the panel with:
#
#	go tool ddt panelgen --spec {{.ID}}.yaml
#
# Every field is explained in the README's "Panel specs" section.

# The panel's id: in URLs, in the on/off cookie, and the Go package name.
id: {{.ID}}
# Heads the open panel; nav_title (optional) is the name in the panel list.
title: {{.Title}}
# The event kinds the panel receives. Mark the functions whose calls you want
# to see with //ddt:{{.ID}} (or call toolbar.Emit(ctx, "{{.ID}}", ...)).
kinds: [{{.ID}}]
# One row, for the subtitle in the panel list: "1 call", "3 calls".
# plural defaults to noun + "s".
noun: call
# The table. from says where a column's value comes from:
#   index (row number), name, kind, func, arg.<parameter name>, result,
#   result.<n or name>, duration, panic, stack, start.
# format: text (default), code, duration or stack.
columns:
  - title: "#"
    from: index
  - title: Function
    from: func
    format: code
  - title: Result
    from: result
    format: code
  - title: Time
    from: duration
  - title: Stack trace
    from: stack
# Optional: order the rows (default: the order of the calls).
# order: {by: duration, desc: true}
# Optional: group rows by a value.
# group_by: arg.index
# Optional: figures above the table.
# summary:
#   - kind: count
#   - kind: total_duration
#   - kind: count_by
#     of: result
`))

// Starter returns a commented starter spec for a panel called id.
func Starter(id string) ([]byte, error) {
	if !idPattern.MatchString(id) {
		return nil, fmt.Errorf("%q is not a panel id: use lower-case letters, digits, - and _, starting with a letter", id)
	}
	var b strings.Builder
	title := strings.ToUpper(id[:1]) + strings.NewReplacer("-", " ", "_", " ").Replace(id[1:])
	if err := starter.Execute(&b, map[string]string{"ID": id, "Title": title}); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}
