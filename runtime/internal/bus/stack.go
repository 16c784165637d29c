package bus

import (
	"runtime"
	"slices"
	"sync/atomic"
	"unsafe"
)

// Stacks are captured for every recorded event, so capturing one must be
// cheap. runtime.Callers is not: it decodes the stack-pointer and inlining
// tables of every frame, about 100 ns a frame. Walking the frame pointers
// that the Go compiler maintains on amd64 and arm64 costs about 1 ns a
// frame, but yields physical return addresses, without the frames of
// inlined calls, which CallersFrames cannot recover.
//
// captureStack does both: it walks the frame pointers, and uses the
// addresses found as the key of a cache of what runtime.Callers returned
// for the same stack. The logical stack is a function of the physical
// return addresses (inlining is decided at compile time), so a hit is
// exactly what runtime.Callers would return, at the cost of the walk.
//
// The walk reads only the current goroutine's own stack: every frame
// pointer must lie inside the goroutine's stack bounds, above the previous
// one, and the walk must end at runtime.goexit, where every goroutine
// started by a go statement begins. Anything else (cgo callbacks, threads
// created by C, stacks deeper than the walk's limit) falls back to
// runtime.Callers.

// maxPhysicalFrames bounds the frame-pointer walk; deeper stacks are
// captured by runtime.Callers alone.
const maxPhysicalFrames = 64

// stackCacheSize is the number of distinct stacks remembered (a power of
// two). A colliding stack replaces the one in its slot.
const stackCacheSize = 1024

type cachedStack struct {
	skip    int
	phys    []uintptr // the key: return addresses found by the walk
	logical []uintptr // runtime.Callers(skip) for that stack
}

var stackCache [stackCacheSize]atomic.Pointer[cachedStack]

// goexitPC is the return address of the outermost frame of a goroutine
// started by a go statement: the one runtime.Callers reports last.
var goexitPC = func() uintptr {
	ch := make(chan uintptr)
	go func() {
		var pcs [8]uintptr
		n := runtime.Callers(0, pcs[:])
		if n == 0 || n == len(pcs) {
			ch <- 0
			return
		}
		ch <- pcs[n-1]
	}()
	return <-ch
}()

// stackStats counts how stacks were captured, for tests.
var stackStats struct{ walked, cached, fallback atomic.Int64 }

// captureStack returns the program counters of the calling goroutine's
// stack as runtime.Callers(skip) would from the caller of captureStack
// (skip 0 is the caller itself), at most MaxStackDepth of them. The
// returned slice may be shared with other events: it must not be modified.
//
//go:noinline
func captureStack(skip int) []uintptr {
	var phys [maxPhysicalFrames]uintptr
	n := walkFrames(&phys)
	if n == 0 {
		stackStats.fallback.Add(1)
		return callers(skip + 1)
	}
	key := phys[:n]
	slot := &stackCache[hashStack(key, skip)&(stackCacheSize-1)]
	if c := slot.Load(); c != nil && c.skip == skip && slices.Equal(c.phys, key) {
		stackStats.cached.Add(1)
		return c.logical
	}
	stackStats.walked.Add(1)
	logical := callers(skip + 1)
	slot.Store(&cachedStack{skip: skip, phys: slices.Clone(key), logical: logical})
	return logical
}

// callers is runtime.Callers(skip) from the caller of callers' caller, in
// a slice of its own.
func callers(skip int) []uintptr {
	var pcs [MaxStackDepth]uintptr
	// Skip runtime.Callers and callers itself.
	n := runtime.Callers(skip+2, pcs[:])
	return slices.Clone(pcs[:n])
}

func hashStack(pcs []uintptr, skip int) uint64 {
	h := uint64(14695981039346656037) ^ uint64(skip)
	for _, pc := range pcs {
		h ^= uint64(pc)
		h *= 1099511628211
		h ^= h >> 29
	}
	return h
}

// walkFrames follows the frame pointers from its caller's frame to the
// goroutine's first frame and stores each frame's return address in pcs.
// It returns 0 when the chain is not a complete, well-formed chain inside
// the goroutine's stack, or when frame pointers are not available.
//
// It calls nothing between reading the frame pointer and returning, so
// the stack cannot move under it.
//
//go:nosplit
func walkFrames(pcs *[maxPhysicalFrames]uintptr) int {
	if goexitPC == 0 || !framePointers {
		return 0
	}
	lo, hi := stackBounds()
	fp := getfp()
	for i := range pcs {
		addr := uintptr(fp)
		if addr < lo || addr+2*unsafe.Sizeof(uintptr(0)) > hi || addr%unsafe.Sizeof(uintptr(0)) != 0 {
			return 0
		}
		// The return address sits one word above the saved frame pointer.
		pc := *(*uintptr)(unsafe.Add(fp, unsafe.Sizeof(uintptr(0))))
		pcs[i] = pc
		if pc == goexitPC {
			return i + 1
		}
		next := *(*unsafe.Pointer)(fp)
		if uintptr(next) <= addr {
			return 0
		}
		fp = next
	}
	return 0
}
