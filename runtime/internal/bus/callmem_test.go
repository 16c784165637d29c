package bus

import (
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"
	"unsafe"
)

// TestChunkFieldsAreTheSame checks that fields rendered into a binding's
// chunks are what NewField renders, however much room is left: the strings
// in a text chunk, and the any whose data points at a string header in a
// field chunk, must be indistinguishable from ordinary ones.
func TestChunkFieldsAreTheSame(t *testing.T) {
	values := []any{"", "flag", `q"uote`, "é", strings.Repeat("a", 40), strings.Repeat("b", 300), 7, true, nil, 2.5, []int{1}}
	for _, v := range values {
		want := NewField("x", v)
		b := newBinding("", nil)
		for i := range 200 { // enough to fill chunks and start new ones
			fs := b.fieldsFor(1)
			f := &fs[0]
			b.setField(f, "x", v)
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

// TestChunkTextCopiesStrings checks that a string kept in a text chunk does
// not share the argument's bytes, which may be on the caller's stack.
func TestChunkTextCopiesStrings(t *testing.T) {
	buf := []byte("mutable")
	// A string over bytes that change later, as a stack-backed argument's
	// bytes do once the marked function returns.
	arg := unsafe.String(&buf[0], len(buf))
	b := newBinding("", nil)
	fs := b.fieldsFor(1)
	b.setField(&fs[0], "s", arg)
	copy(buf, "XXXXXXX")
	if f := fs[0]; f.Raw != "mutable" || f.Value != `"mutable"` {
		t.Fatalf("field changed with the argument's bytes: %+v", f)
	}
}

func TestFieldsForKeepsSlicesApart(t *testing.T) {
	b := newBinding("", nil)
	args := b.fieldsFor(2)
	results := b.fieldsFor(1)
	if args = append(args, Field{Name: "extra"}); results[0].Name == "extra" || len(args) != 3 { // a panel appending
		t.Fatal("appending to the arguments wrote over the results")
	}
	if big := b.fieldsFor(maxFieldChunk); len(big) != maxFieldChunk {
		t.Fatalf("fieldsFor(%d) = %d fields", maxFieldChunk, len(big))
	}
	// More than a first chunk holds, on a binding's first call.
	if fs := newBinding("", nil).fieldsFor(maxFieldChunk / 4); len(fs) != maxFieldChunk/4 {
		t.Fatalf("fieldsFor(%d) on a new binding = %d fields", maxFieldChunk/4, len(fs))
	}
	if fs := (*binding)(nil).fieldsFor(2); len(fs) != 2 {
		t.Fatalf("fieldsFor on no binding = %d fields", len(fs))
	}
}

// TestChunksAreNotShared hands out fields and text to many goroutines at
// once and checks that no two got the same memory.
func TestChunksAreNotShared(t *testing.T) {
	b := newBinding("", nil)
	const goroutines, each = 8, 500
	var wg sync.WaitGroup
	got := make([][]*Field, goroutines)
	texts := make([][]string, goroutines)
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				n := 1 + i%3
				fs := b.fieldsFor(n)
				for j := range fs {
					s := strings.Repeat(string(rune('a'+g)), 1+i%50)
					b.setField(&fs[j], "x", s)
					got[g] = append(got[g], &fs[j])
					texts[g] = append(texts[g], s)
				}
			}
		})
	}
	wg.Wait()
	seen := map[*Field]bool{}
	for g := range got {
		for i, f := range got[g] {
			if seen[f] {
				t.Fatalf("field handed out twice")
			}
			seen[f] = true
			if f.Raw != texts[g][i] {
				t.Fatalf("goroutine %d, field %d: %q, want %q", g, i, f.Raw, texts[g][i])
			}
		}
	}
}

// TestChunksGrow checks that a binding's chunks start small and double up
// to their limits, and that text rooms start at multiples of 8 (a string
// header is kept at the start of some).
func TestChunksGrow(t *testing.T) {
	b := newBinding("", nil)
	var sizes []int
	for range 200 {
		b.fieldsFor(2)
		if ch := b.fields.Load(); len(sizes) == 0 || sizes[len(sizes)-1] != len(ch.items) {
			sizes = append(sizes, len(ch.items))
		}
	}
	if want := []int{8, 16, 32, 64}; !slices.Equal(sizes, want) {
		t.Errorf("field chunk sizes %v, want %v", sizes, want)
	}
	sizes = sizes[:0]
	for i := range 2000 {
		t := b.textFor(1 + i%40)
		if uintptr(unsafe.Pointer(&t[0]))%8 != 0 {
			panic("text room not aligned")
		}
		if ch := b.text.Load(); len(sizes) == 0 || sizes[len(sizes)-1] != len(ch.items) {
			sizes = append(sizes, len(ch.items))
		}
	}
	if want := []int{256, 512, 1024, 2048, 4096}; !slices.Equal(sizes, want) {
		t.Errorf("text chunk sizes %v, want %v", sizes, want)
	}
	if b.textFor(maxChunkText+1) != nil {
		t.Error("a long text was given chunk room")
	}
}
