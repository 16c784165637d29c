package bus

import (
	"sync"
	"sync/atomic"
	"unsafe"
)

// Memory of recorded calls.
//
// A Call is in use from Enter to the end of Exit and is then reused by
// another call, which is why a [Sink] must not keep the *Event it is given.
// What the event points to is never reused: its Args and Results, and the
// short strings in them, come from chunks that belong to the request's
// binding and are shared by its calls; the garbage collector frees a chunk
// once nothing refers to it. A recorded call therefore allocates nothing of
// its own, and its memory is its share of the chunks: the fields and text
// it keeps, no more.

var callPool = sync.Pool{New: func() any { return new(Call) }}

// newCall returns a zeroed Call.
func newCall() *Call { return callPool.Get().(*Call) }

// release zeroes c, so that the pool holds on to nothing, and makes it
// available to the next call.
func (c *Call) release() {
	*c = Call{}
	callPool.Put(c)
}

// A binding's chunks start small, so a request that records a few calls
// takes little memory, and double up to a limit.
const (
	firstFieldChunk = 8  // fields
	maxFieldChunk   = 64 // fields
	firstTextChunk  = 256
	maxTextChunk    = 4096
	// maxChunkText is the longest string kept in a text chunk; longer ones
	// are allocated on their own.
	maxChunkText = 256
)

// A chunk is where a binding's calls take memory from, front to back, from
// any goroutine: next counts what was taken, even past the end.
type chunk[T any] struct {
	next  atomic.Int32
	items []T
}

// take returns n items of the chunk in *cur, whose taking starts at a
// multiple of align, or of a new chunk when they do not fit there: the
// first of first items, then twice the last, up to limit, never fewer than
// n. The slice's capacity ends at n, so a panel appending to one cannot
// write over another's.
func take[T any](cur *atomic.Pointer[chunk[T]], n, align, first, limit int) []T {
	room := int32((n + align - 1) / align * align)
	for {
		ch := cur.Load()
		size := first
		if ch != nil {
			if end := ch.next.Add(room); int(end) <= len(ch.items) {
				i := int(end - room)
				return ch.items[i : i+n : i+n]
			}
			size = min(2*len(ch.items), limit)
		}
		fresh := &chunk[T]{items: make([]T, max(size, int(room)))}
		fresh.next.Store(room)
		if cur.CompareAndSwap(ch, fresh) {
			return fresh.items[:n:n]
		}
	}
}

// fieldsFor returns room for n fields of b's calls. b may be nil (an
// unattributed call); the fields are allocated on their own then, as are
// more than a quarter of a chunk.
func (b *binding) fieldsFor(n int) []Field {
	if n == 0 {
		return nil
	}
	if b == nil || n > maxFieldChunk/4 {
		return make([]Field, n)
	}
	return take(&b.fields, n, 1, firstFieldChunk, maxFieldChunk)
}

// textFor returns n bytes of b's text, starting at a multiple of 8 (a text
// chunk holds the string headers of string Raws, see quoteRaw), or nil when
// b is nil or n is more than maxChunkText. The bytes of a text chunk have
// no pointers the garbage collector knows of: the headers in them point
// into the same chunk, which the Raws' interface values keep alive.
func (b *binding) textFor(n int) []byte {
	if b == nil || n > maxChunkText {
		return nil
	}
	// make allocates at a multiple of 8 (16 for sizes over 8), so every
	// room starts at one.
	return take(&b.text, n, 8, firstTextChunk, maxTextChunk)
}

// stringHeaderSize is the size of a string header, which a text chunk
// holds for a string Raw.
const stringHeaderSize = int(unsafe.Sizeof(""))

// quoteRaw is the package's quoteRaw, writing into b's text when s is plain
// ASCII and short. It also returns the raw string as an any, as stringAny
// does, with its header in the same text. b may be nil.
func (b *binding) quoteRaw(s string) (quoted string, raw any) {
	var t []byte
	if len(s) <= MaxRenderString && plainASCII(s) {
		t = b.textFor(stringHeaderSize + len(s) + 2)
	}
	if t == nil {
		q, r := quoteRaw(s)
		return q, r
	}
	hdr, q := t[:stringHeaderSize], t[stringHeaderSize:]
	q[0] = '"'
	copy(q[1:], s)
	q[len(q)-1] = '"'
	// t is never written again: text is handed out once.
	quoted = unsafe.String(&q[0], len(q))
	return quoted, stringAny((*string)(unsafe.Pointer(&hdr[0])), quoted[1:len(quoted)-1])
}

// stringAny returns s as an any, like any(s), but without allocating: the
// interface's data word points at *str, set to s, as the runtime's own
// conversion points at a header it allocates.
func stringAny(str *string, s string) any {
	*str = s
	v := any("")
	(*eface)(unsafe.Pointer(&v)).data = unsafe.Pointer(str)
	return v
}

// eface is the layout of an any.
type eface struct {
	typ  unsafe.Pointer
	data unsafe.Pointer
}
