//go:build !amd64 && !arm64

package bus

import "unsafe"

// getg would return the current goroutine's descriptor; on this
// architecture ddt does not read it, and goroutines have no identity.
func getg() unsafe.Pointer { return nil }

func loadAt(p unsafe.Pointer, off uintptr) uint64 { return 0 }
