package panel

import (
	"iter"
	"unsafe"
)

// Buffer collects a panel's rows while a request runs. Add is an append
// that never copies what it holds: rows go into chunks that double in size
// (up to 32 KiB), and Slice puts them in one slice at the end. A
// request that records thousands of rows costs about half of what
// appending to a slice does, when time and memory matter most: while the
// handler runs. A panel that copies events in Record can keep its rows in
// one and set its Rows from it in GenerateStats; the toolbar keeps its one
// record of each event, which [EventReader] panels read, in one.
//
// The zero Buffer is empty and ready to use. Like a panel, it is not safe
// for concurrent use; the toolbar serializes a request's Record calls.
type Buffer[T any] struct {
	chunks [][]T
	n      int
}

// firstBufferChunk is the number of rows of a Buffer's first chunk.
const firstBufferChunk = 16

// maxBufferChunk returns the number of rows of size bytes in the largest
// chunk: at most 1,024, and at most 32 KiB, the largest allocation the
// runtime serves from its per-P caches.
func maxBufferChunk(size uintptr) int {
	return max(firstBufferChunk, min(1024, int((32<<10)/max(size, 1))))
}

// Add appends v.
func (b *Buffer[T]) Add(v T) {
	k := len(b.chunks)
	if k == 0 || len(b.chunks[k-1]) == cap(b.chunks[k-1]) {
		size := firstBufferChunk
		if k > 0 {
			size = min(2*cap(b.chunks[k-1]), maxBufferChunk(unsafe.Sizeof(v)))
		}
		b.chunks = append(b.chunks, make([]T, 0, size))
		k++
	}
	b.chunks[k-1] = append(b.chunks[k-1], v)
	b.n++
}

// Len returns the number of rows added.
func (b *Buffer[T]) Len() int { return b.n }

// Slice returns the rows in the order they were added, nil if there are
// none. Its capacity ends at its length, so neither appending to it nor
// later Adds write over the other.
func (b *Buffer[T]) Slice() []T {
	switch len(b.chunks) {
	case 0:
		return nil
	case 1:
		return b.chunks[0][:b.n:b.n]
	}
	s := make([]T, 0, b.n)
	for _, c := range b.chunks {
		s = append(s, c...)
	}
	return s
}

// All yields the rows in the order they were added, in place: a row
// changed through the pointer stays changed.
func (b *Buffer[T]) All() iter.Seq[*T] {
	return func(yield func(*T) bool) {
		for _, c := range b.chunks {
			for i := range c {
				if !yield(&c[i]) {
					return
				}
			}
		}
	}
}
