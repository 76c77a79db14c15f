/*
 * Realm EL1 exception vectors.  Every entry builds a struct rt_frame
 * (include/rt/frame.h) on SP_EL1 and calls rt_exception(frame, kind); the
 * handler may change any field (a fixup address in ELR, a syscall result
 * in x0, or another thread's whole context) and the frame is restored
 * from memory before the ERET.  Programs run on SP_EL0 (EL1t), so even a
 * stack overflow into the guard page below their stack lands here on a
 * good stack.
 */
#include <regs_save_restore.S>
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
	gprs_x2_x30_store sp
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
	fpsimd_q_store x2

	mov	x1, x0
	mov	x0, sp
	bl	rt_exception

	.global	rt_exception_return
rt_exception_return:
	add	x2, sp, #RT_FRAME_Q
	fpsimd_q_load x2
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
	gprs_x2_x30_load sp
	add	sp, sp, #RT_FRAME_SIZE
	eret
