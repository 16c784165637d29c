//go:build amd64 || arm64

package bus

import "unsafe"

// getg returns the runtime's descriptor of the current goroutine (its g).
func getg() unsafe.Pointer

// loadAt returns the aligned 64-bit word at p+off, read in one load. It
// reads the runtime's g, which is neither this package's memory nor
// described to checkptr or the race detector.
//
//go:noescape
func loadAt(p unsafe.Pointer, off uintptr) uint64
