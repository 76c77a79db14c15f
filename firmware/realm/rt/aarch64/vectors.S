/*
 * Realm EL1 exception vectors.  Every entry builds a struct rt_frame
 * (include/rt/frame.h) on SP_EL1 and calls rt_exception(frame, kind); the
 * handler may change any field (a fixup address in ELR, a syscall result
 * in x0, or another thread's whole context) and the frame is restored
 * from memory before the ERET.  Programs run on SP_EL0 (EL1t), so even a
 * stack overflow into the guard page below their stack lands here on a
 * good stack.
 */
#include <rt/frame.h>

	.macro	ventry kind
	.balign	0x80
	sub	sp, sp, #RT_FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x0, #\kind
	b	rt_vector_common
	.endm

	.section .text.rt.vectors, "ax"
	.balign	0x800
	.global	rt_vectors
rt_vectors:
	ventry	RT_VEC_CUR_SP0_SYNC
	ventry	RT_VEC_CUR_SP0_IRQ
	ventry	RT_VEC_CUR_SP0_FIQ
	ventry	RT_VEC_CUR_SP0_SERROR
	ventry	RT_VEC_CUR_SPX_SYNC
	ventry	RT_VEC_CUR_SPX_IRQ
	ventry	RT_VEC_CUR_SPX_FIQ
	ventry	RT_VEC_CUR_SPX_SERROR
	ventry	RT_VEC_LOWER_SYNC
	ventry	RT_VEC_LOWER_IRQ
	ventry	RT_VEC_LOWER_FIQ
	ventry	RT_VEC_LOWER_SERROR
	ventry	RT_VEC_LOWER32_SYNC
	ventry	RT_VEC_LOWER32_SYNC + 1
	ventry	RT_VEC_LOWER32_SYNC + 2
	ventry	RT_VEC_LOWER32_SYNC + 3

rt_vector_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	str	x30, [sp, #240]
	mrs	x2, sp_el0
	str	x2, [sp, #RT_FRAME_SP]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #RT_FRAME_ELR]
	mrs	x2, esr_el1
	mrs	x3, far_el1
	stp	x2, x3, [sp, #RT_FRAME_ESR]
	mrs	x2, tpidr_el0
	str	x2, [sp, #RT_FRAME_TPIDR_EL0]
	mrs	x2, fpcr
	mrs	x3, fpsr
	stp	x2, x3, [sp, #RT_FRAME_FPCR]
	add	x2, sp, #RT_FRAME_Q
	stp	q0, q1, [x2, #0]
	stp	q2, q3, [x2, #32]
	stp	q4, q5, [x2, #64]
	stp	q6, q7, [x2, #96]
	stp	q8, q9, [x2, #128]
	stp	q10, q11, [x2, #160]
	stp	q12, q13, [x2, #192]
	stp	q14, q15, [x2, #224]
	stp	q16, q17, [x2, #256]
	stp	q18, q19, [x2, #288]
	stp	q20, q21, [x2, #320]
	stp	q22, q23, [x2, #352]
	stp	q24, q25, [x2, #384]
	stp	q26, q27, [x2, #416]
	stp	q28, q29, [x2, #448]
	stp	q30, q31, [x2, #480]

	mov	x1, x0
	mov	x0, sp
	bl	rt_exception

	.global	rt_exception_return
rt_exception_return:
	add	x2, sp, #RT_FRAME_Q
	ldp	q0, q1, [x2, #0]
	ldp	q2, q3, [x2, #32]
	ldp	q4, q5, [x2, #64]
	ldp	q6, q7, [x2, #96]
	ldp	q8, q9, [x2, #128]
	ldp	q10, q11, [x2, #160]
	ldp	q12, q13, [x2, #192]
	ldp	q14, q15, [x2, #224]
	ldp	q16, q17, [x2, #256]
	ldp	q18, q19, [x2, #288]
	ldp	q20, q21, [x2, #320]
	ldp	q22, q23, [x2, #352]
	ldp	q24, q25, [x2, #384]
	ldp	q26, q27, [x2, #416]
	ldp	q28, q29, [x2, #448]
	ldp	q30, q31, [x2, #480]
	ldp	x2, x3, [sp, #RT_FRAME_FPCR]
	msr	fpcr, x2
	msr	fpsr, x3
	ldr	x2, [sp, #RT_FRAME_TPIDR_EL0]
	msr	tpidr_el0, x2
	ldp	x2, x3, [sp, #RT_FRAME_ELR]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	ldr	x2, [sp, #RT_FRAME_SP]
	msr	sp_el0, x2
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldr	x30, [sp, #240]
	add	sp, sp, #RT_FRAME_SIZE
	eret
