package ddtrt

import (
	"encoding/json"
	"strings"
	"testing"
	"unsafe"
)

// TestCallMemoryFieldsAreTheSame checks that fields rendered into a Call's
// own memory are what NewField renders, however much of that memory is
// left: the strings inside the Call, and the any whose data points at a
// string header there, must be indistinguishable from ordinary ones.
func TestCallMemoryFieldsAreTheSame(t *testing.T) {
	values := []any{"", "flag", `q"uote`, "é", strings.Repeat("a", 40), strings.Repeat("b", 300), 7, true, nil, 2.5, []int{1}}
	for _, v := range values {
		want := NewField("x", v)
		m := new(callMemory)
		for i := range 4 { // the first fit in m, the later ones spill
			var f Field
			m.setField(&f, "x", v)
			if f.Name != want.Name || f.Type != want.Type || f.Value != want.Value || f.Raw != want.Raw {
				t.Fatalf("%#v, field %d: %+v, want %+v", v, i, f, want)
			}
			if s, ok := f.Raw.(string); ok && s != f.Text() {
				t.Fatalf("%#v: Text %q", v, f.Text())
			}
			got, _ := json.Marshal(f)
			exp, _ := json.Marshal(want)
			if string(got) != string(exp) {
				t.Fatalf("%#v: JSON %s, want %s", v, got, exp)
			}
		}
	}
}

// TestCallMemoryCopiesStrings checks that a string kept in a Call does not
// share the argument's bytes, which may be on the caller's stack.
func TestCallMemoryCopiesStrings(t *testing.T) {
	buf := []byte("mutable")
	// A string over bytes that change later, as a stack-backed argument's
	// bytes do once the marked function returns.
	arg := unsafe.String(&buf[0], len(buf))
	m := new(callMemory)
	var f Field
	m.setField(&f, "s", arg)
	copy(buf, "XXXXXXX")
	if f.Raw != "mutable" || f.Value != `"mutable"` {
		t.Fatalf("field changed with the argument's bytes: %+v", f)
	}
}

func TestFieldsForKeepsSlicesApart(t *testing.T) {
	c := new(Call)
	c.ev.Args = c.mem.fieldsFor(0, 2)
	results := c.mem.fieldsFor(len(c.ev.Args), 1)
	c.ev.Args = append(c.ev.Args, Field{Name: "extra"}) // a panel appending
	if results[0].Name == "extra" {
		t.Fatal("appending to the arguments wrote over the results")
	}
	if big := c.mem.fieldsFor(0, inlineFields+1); len(big) != inlineFields+1 {
		t.Fatalf("fieldsFor(%d) = %d fields", inlineFields+1, len(big))
	}
}
