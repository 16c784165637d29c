package panel_test

import (
	"slices"
	"testing"

	"github.com/go-ddt/ddt/runtime/panel"
)

func TestBuffer(t *testing.T) {
	for _, n := range []int{0, 1, 16, 17, 100, 3000} {
		var b panel.Buffer[int]
		var want []int
		for i := range n {
			b.Add(i)
			want = append(want, i)
		}
		if b.Len() != n {
			t.Errorf("%d rows: Len = %d", n, b.Len())
		}
		got := b.Slice()
		if !slices.Equal(got, want) || (n == 0) != (got == nil) {
			t.Errorf("%d rows: Slice = %v", n, got)
		}
		if again := b.Slice(); !slices.Equal(again, want) {
			t.Errorf("%d rows: a second Slice = %v", n, again)
		}
		// An Add after Slice and an append to what it returned must not
		// write over each other.
		b.Add(-1)
		got = append(got, -2)
		if after := b.Slice(); !slices.Equal(got[:n], want) || got[n] != -2 || after[n] != -1 {
			t.Errorf("%d rows: an Add after Slice and an append to it collide", n)
		}
	}
}

// keptRows keeps the benchmarks' rows, as a panel's stats would.
var keptRows []row

// row is the size of a typical generated panel's row.
type row struct {
	Panic, Name, Result string
	Duration            int64
	Stack               panel.Stack
}

// BenchmarkRows is the cost of keeping one row of 2,000 in a request:
// appending to a slice, and adding to a Buffer then taking its Slice.
func BenchmarkRows(b *testing.B) {
	const rows = 2000
	pcs := []uintptr{1, 2, 3}
	b.Run("append", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i += rows {
			var s []row
			for range rows {
				s = append(s, row{Name: "flag", Result: "true", Stack: panel.Stack{PCs: pcs}})
			}
			keptRows = s
		}
	})
	b.Run("Buffer", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i += rows {
			var buf panel.Buffer[row]
			for range rows {
				buf.Add(row{Name: "flag", Result: "true", Stack: panel.Stack{PCs: pcs}})
			}
			keptRows = buf.Slice()
		}
	})
}
