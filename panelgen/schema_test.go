package panelgen

import (
	_ "embed"
	"encoding/json"
	"maps"
	"regexp"
	"slices"
	"testing"
)

//go:embed spec.schema.json
var schemaJSON []byte

// TestSchemaMatchesParser keeps spec.schema.json, which editors use, in step
// with the spec parser, which ddt uses.
func TestSchemaMatchesParser(t *testing.T) {
	var schema struct {
		Required   []string                   `json:"required"`
		Properties map[string]json.RawMessage `json:"properties"`
		Defs       struct {
			Source struct {
				Pattern string `json:"pattern"`
			} `json:"source"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(schemaJSON, &schema); err != nil {
		t.Fatal(err)
	}
	want := []string{"columns", "empty", "group_by", "id", "kinds", "nav_title", "noun", "order", "package", "plural", "summary", "title"}
	if got := slices.Sorted(maps.Keys(schema.Properties)); !slices.Equal(got, want) {
		t.Errorf("schema properties = %v, the parser knows %v", got, want)
	}
	re := regexp.MustCompile(schema.Defs.Source.Pattern)
	for _, src := range []string{"index", "name", "kind", "func", "result", "duration", "panic", "stack", "start", "via", "goroutine", "arg.query", "result.1", "result.err", "args.q", "arg.", "result.", "bogus", "arg.1x"} {
		p := &specParser{file: "s"}
		p.source(nil, "f", Source(src))
		parserOK := len(p.errs) == 0
		if schemaOK := re.MatchString(src); schemaOK != parserOK {
			t.Errorf("source %q: schema accepts=%v, parser accepts=%v", src, schemaOK, parserOK)
		}
	}
}
