package bus

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestHostileValues: a 10 MB string, control characters, invalid UTF-8 and
// markup render bounded, marked where cut, and as valid UTF-8 text.
func TestHostileValues(t *testing.T) {
	huge := strings.Repeat("<script>alert(1)</script>", 10<<20/25)
	for name, v := range map[string]any{
		"10 MB string":  huge,
		"control":       "a\x00b\x1b[31mc\r\n",
		"invalid UTF-8": "\xff\xfe\xfd ok",
		"10 MB bytes":   []byte(huge),
		"wide slice":    make([]int, 1<<20),
	} {
		out := Render(v)
		if len(out) > MaxRenderBytes+len(Truncated) {
			t.Errorf("%s: %d bytes rendered", name, len(out))
		}
		if !utf8.ValidString(out) {
			t.Errorf("%s: invalid UTF-8 %q", name, out)
		}
		if strings.ContainsAny(out, "\x00\x1b\r\n") {
			t.Errorf("%s: control characters kept: %q", name, out)
		}
		f := NewField("x", v)
		if s, ok := f.Raw.(string); ok && len(s) > MaxRenderString+len(Truncated) {
			t.Errorf("%s: raw value of %d bytes kept", name, len(s))
		}
	}
	if out := Render(huge); !strings.HasSuffix(out, Truncated) {
		t.Errorf("a cut string is not marked: ...%q", out[len(out)-20:])
	}
}
