package bus

import (
	"strings"
	"testing"
	"unicode/utf8"
)

type fuzzNode struct {
	Name     string
	Next     *fuzzNode
	Children []*fuzzNode
	Attrs    map[string]any
	private  []byte
	fn       func()
	ch       chan int
	iface    error
}

// FuzzRender renders values built from arbitrary input — cycles, deep and
// wide nesting, invalid UTF-8, unexported fields, nil interfaces — and
// checks the rendering stays within its bounds and is valid UTF-8.
func FuzzRender(f *testing.F) {
	f.Add("name", 3, 2, []byte("raw"))
	f.Add("\xff\xfe<script>", 40, 100, []byte{0, 1, 2})
	f.Add(strings.Repeat("x", 5000), 1, 1000, []byte(nil))
	f.Fuzz(func(t *testing.T, s string, depth, width int, b []byte) {
		depth, width = depth%64, width%2000
		if depth < 0 {
			depth = -depth
		}
		if width < 0 {
			width = -width
		}
		root := &fuzzNode{Name: s, private: b, Attrs: map[string]any{s: b, "nil": nil}}
		n := root
		for i := 0; i < depth; i++ {
			n.Next = &fuzzNode{Name: s}
			n = n.Next
		}
		n.Next = root // a cycle
		for i := 0; i < width; i++ {
			root.Children = append(root.Children, &fuzzNode{Name: s})
		}
		for _, v := range []any{root, *root, s, b, root.Children, root.Attrs, []any{nil, root, s}} {
			out := Render(v)
			if len(out) > MaxRenderBytes+len(Truncated) {
				t.Fatalf("rendering of %d bytes exceeds the limit", len(out))
			}
			if utf8.ValidString(s) && !utf8.ValidString(out) {
				t.Fatalf("invalid UTF-8 from valid input: %q", out)
			}
		}
	})
}
