//go:build (amd64 || arm64) && !ddt_portable

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
