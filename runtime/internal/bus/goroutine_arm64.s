#include "textflag.h"

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
