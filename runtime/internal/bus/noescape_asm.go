//go:build amd64 || arm64

package bus

import "unsafe"

// noescape returns p; the compiler believes that p does not escape through
// it (see launder). It is the runtime's noescape, written in assembly
// because the pure Go version trips go vet's unsafe.Pointer check.
//
//go:noescape
func noescape(p unsafe.Pointer) unsafe.Pointer
