/*
 * unsigned int fp_regs_survive_fault(const volatile void *bad):
 * puts known values in v0-v7 and v16-v31 (the registers a C handler may
 * use without saving) and a non-default rounding mode in FPCR, takes a
 * data abort on `bad` that the runtime fixes up, and returns how many of
 * those registers changed (0 when the exception path saved and restored
 * the FP/SIMD state), plus 1024 if the load did not fault at all.
 */
#include <rt/asm.h>

	.macro	setv n
	mov	x2, #\n
	add	x2, x2, x1
	dup	v\n\().2d, x2
	.endm
	.macro	checkv n
	mov	x2, #\n
	add	x2, x2, x1
	mov	x3, v\n\().d[0]
	mov	x4, v\n\().d[1]
	cmp	x3, x2
	cinc	w0, w0, ne
	cmp	x4, x2
	cinc	w0, w0, ne
	.endm

	.text
	.global	fp_regs_survive_fault
fp_regs_survive_fault:
	mrs	x5, fpcr
	mov	x6, #(3 << 22)		/* RMode: round towards zero */
	msr	fpcr, x6
	movz	x1, #0x5EED, lsl #16
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	setv	\n
	.endr
	mov	w8, #0
1:	ldr	x2, [x0]
	mov	w8, #1		/* only without a fault */
2:	mov	w0, #0
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	checkv	\n
	.endr
	mrs	x7, fpcr
	cmp	x7, x6
	cinc	w0, w0, ne
	add	w0, w0, w8, lsl #10
	msr	fpcr, x5
	ret
	extable	1b, 2b
