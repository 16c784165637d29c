package ddtrt

import (
	"sync/atomic"
	"unsafe"
)

// A recorded call allocates as little as possible: its Call comes from a
// slab shared with the request's other calls, and its fields and short
// strings are stored inside the Call.

// callSlab holds Calls for one binding: one allocation for many recorded
// calls instead of one each. The slab stays alive while any of its events
// is referenced, which is at most as long as the request's recording.
type callSlab struct {
	next  atomic.Int32
	calls [callsPerSlab]Call
}

// callsPerSlab keeps a slab under 32 KiB, the largest small allocation
// (TestCallSlabSize checks).
const callsPerSlab = 48

// newCall returns a zeroed Call from b's slab, starting a new slab when the
// current one is used up.
func (b *binding) newCall() *Call {
	for {
		s := b.slab.Load()
		if s != nil {
			if i := int(s.next.Add(1)) - 1; i < len(s.calls) {
				return &s.calls[i]
			}
		}
		fresh := new(callSlab)
		fresh.next.Store(1)
		if b.slab.CompareAndSwap(s, fresh) {
			return &fresh.calls[0]
		}
	}
}

// inlineFields is the number of arguments and results a Call keeps without
// allocating more.
const inlineFields = 3

// callTextSize is the room a Call has for the renderings of its short
// string arguments and results.
const callTextSize = 64

// callMemory is the storage inside a Call for its fields and strings.
type callMemory struct {
	fields [inlineFields]Field
	strs   [2]string // the values of string Raws, see stringAny
	nstrs  uint8
	ntext  uint8
	text   [callTextSize]byte
}

// fieldsFor returns room for n fields: the next free ones of the Call's own
// when there are enough, else a new slice. used is how many are taken.
func (m *callMemory) fieldsFor(used, n int) []Field {
	if n == 0 {
		return nil
	}
	if used+n > inlineFields {
		return make([]Field, n)
	}
	// The capacity ends at n: a panel appending to one slice must not
	// write over the other.
	return m.fields[used : used+n : used+n]
}

// quoteRaw is the package's quoteRaw, writing into m when s is short plain
// ASCII and m has room. m may be nil.
func (m *callMemory) quoteRaw(s string) (quoted, raw string) {
	if m == nil || !plainASCII(s) || int(m.ntext)+len(s)+2 > len(m.text) {
		return quoteRaw(s)
	}
	b := m.text[m.ntext : int(m.ntext)+len(s)+2]
	m.ntext += uint8(len(b))
	b[0] = '"'
	copy(b[1:], s)
	b[len(b)-1] = '"'
	// b is never written again: the Call is recorded once.
	quoted = unsafe.String(&b[0], len(b))
	return quoted, quoted[1 : len(quoted)-1]
}

// stringAny returns s as an any, like any(s), but without allocating when m
// has room: the interface's data word points at a string header kept in m,
// as the runtime's own conversion points at one it allocates. m may be nil.
func (m *callMemory) stringAny(s string) any {
	if m == nil || int(m.nstrs) == len(m.strs) {
		return s
	}
	p := &m.strs[m.nstrs]
	m.nstrs++
	*p = s
	v := any("")
	(*eface)(unsafe.Pointer(&v)).data = unsafe.Pointer(p)
	return v
}

// eface is the layout of an any.
type eface struct {
	typ  unsafe.Pointer
	data unsafe.Pointer
}
