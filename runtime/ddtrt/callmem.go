package ddtrt

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

// fieldChunk holds the fields of a binding's calls.
type fieldChunk struct {
	next   atomic.Int32
	fields []Field
}

// textChunk holds the renderings of a binding's short strings and the
// string headers of string Raws (see stringAny). Its bytes have no pointers
// the garbage collector knows of: the headers in them point into the same
// chunk, which the Raws' interface values keep alive.
type textChunk struct {
	next atomic.Int32
	buf  []byte
}

// fieldsFor returns room for n fields: the next free ones of b's current
// chunk, or of a new one. The slice's capacity ends at n, so a panel
// appending to one cannot write over another's. b may be nil (an
// unattributed call); the fields are allocated on their own then.
func (b *binding) fieldsFor(n int) []Field {
	if n == 0 {
		return nil
	}
	if b == nil || n > maxFieldChunk/4 {
		return make([]Field, n)
	}
	for {
		ch := b.fields.Load()
		size := firstFieldChunk
		if ch != nil {
			if end := int(ch.next.Add(int32(n))); end <= len(ch.fields) {
				return ch.fields[end-n : end : end]
			}
			size = min(2*len(ch.fields), maxFieldChunk)
		}
		fresh := &fieldChunk{fields: make([]Field, max(size, n))}
		fresh.next.Store(int32(n))
		if b.fields.CompareAndSwap(ch, fresh) {
			return fresh.fields[:n:n]
		}
	}
}

// textFor returns n bytes of b's text, starting at a multiple of 8, or nil
// when b is nil or n is more than maxChunkText.
func (b *binding) textFor(n int) []byte {
	if b == nil || n > maxChunkText {
		return nil
	}
	room := int32((n + 7) &^ 7)
	for {
		ch := b.text.Load()
		size := firstTextChunk
		if ch != nil {
			if end := ch.next.Add(room); int(end) <= len(ch.buf) {
				i := int(end - room)
				return ch.buf[i : i+n : i+n]
			}
			size = min(2*len(ch.buf), maxTextChunk)
		}
		// make allocates at a multiple of 8 (16 for sizes over 8), so
		// every room starts at one.
		fresh := &textChunk{buf: make([]byte, size)}
		fresh.next.Store(room)
		if b.text.CompareAndSwap(ch, fresh) {
			return fresh.buf[:n:n]
		}
	}
}

// stringHeaderSize is the size of a string header, which a text chunk
// holds for a string Raw.
const stringHeaderSize = int(unsafe.Sizeof(""))

// quoteRaw is the package's quoteRaw, writing into b's text when s is plain
// ASCII and short. It also returns the raw string as an any, as stringAny
// does, with its header in the same text. b may be nil.
func (b *binding) quoteRaw(s string) (quoted string, raw any) {
	if len(s) > MaxRenderString || !plainASCII(s) {
		q, r := quoteRaw(s)
		return q, r
	}
	t := b.textFor(stringHeaderSize + len(s) + 2)
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
