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

// func getg() unsafe.Pointer
TEXT ·getg(SB), NOSPLIT|NOFRAME, $0-8
	MOVD g, R0
	MOVD R0, ret+0(FP)
	RET

// func loadAt(p unsafe.Pointer, off uintptr) uint64
TEXT ·loadAt(SB), NOSPLIT|NOFRAME, $0-24
	MOVD p+0(FP), R0
	MOVD off+8(FP), R1
	ADD R1, R0
	MOVD (R0), R2
	MOVD R2, ret+16(FP)
	RET
