//go:build !amd64 && !arm64

package bus

import "unsafe"

// framePointers says whether the compiler keeps frame pointers on this
// architecture; here it does not, and every stack comes from
// runtime.Callers.
const framePointers = false

func getfp() unsafe.Pointer { return nil }

func stackBounds() (lo, hi uintptr) { return 0, 0 }

// getg would return the current goroutine's descriptor; on this
// architecture ddt does not read it, and goroutines have no identity.
func getg() unsafe.Pointer { return nil }

func loadAt(p unsafe.Pointer, off uintptr) uint64 { return 0 }
