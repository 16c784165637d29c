#include "textflag.h"

// func getg() unsafe.Pointer
TEXT ·getg(SB), NOSPLIT|NOFRAME, $0-8
	MOVQ (TLS), AX
	MOVQ AX, ret+0(FP)
	RET

// func loadAt(p unsafe.Pointer, off uintptr) uint64
TEXT ·loadAt(SB), NOSPLIT|NOFRAME, $0-24
	MOVQ p+0(FP), AX
	ADDQ off+8(FP), AX
	MOVQ (AX), AX
	MOVQ AX, ret+16(FP)
	RET
