//go:build !ddt_portable

#include "textflag.h"

// func getfp() unsafe.Pointer
// NOFRAME keeps R29 as the caller left it: the caller's frame pointer.
TEXT ·getfp(SB), NOSPLIT|NOFRAME, $0-8
	MOVD R29, ret+0(FP)
	RET

// func stackBounds() (lo, hi uintptr)
TEXT ·stackBounds(SB), NOSPLIT|NOFRAME, $0-16
	MOVD 0(g), R0
	MOVD R0, lo+0(FP)
	MOVD 8(g), R0
	MOVD R0, hi+8(FP)
	RET
