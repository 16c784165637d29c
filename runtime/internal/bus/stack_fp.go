//go:build amd64 || arm64

package bus

import "unsafe"

// framePointers says whether the compiler keeps frame pointers on this
// architecture, so that walkFrames can follow them.
const framePointers = true

// getfp returns the frame pointer of its caller.
//
//go:noescape
func getfp() unsafe.Pointer

// stackBounds returns the bounds [lo, hi) of the current goroutine's stack,
// read from the runtime's g, whose first field has been struct{ lo, hi
// uintptr } since Go 1.4.
func stackBounds() (lo, hi uintptr)

// getg returns the runtime's descriptor of the current goroutine (its g).
func getg() unsafe.Pointer

// loadAt returns the aligned 64-bit word at p+off, read in one load. It
// reads the runtime's g, which is neither this package's memory nor
// described to checkptr or the race detector.
//
//go:noescape
func loadAt(p unsafe.Pointer, off uintptr) uint64
