//go:build (!amd64 && !arm64) || ddt_portable

package bus

import "unsafe"

// framePointers says whether walkFrames can follow frame pointers: not on
// architectures whose compiler does not keep them, nor in a build with the
// ddt_portable tag, which reads none of the runtime's internals for stacks;
// every stack comes from runtime.Callers.
const framePointers = false

func getfp() unsafe.Pointer { return nil }

func stackBounds() (lo, hi uintptr) { return 0, 0 }
