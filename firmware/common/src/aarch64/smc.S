/*
 * void smc_call(uint64_t regs[8]): x0..x7 from regs, SMC #0, x0..x7 back.
 */
	.section .text.smc_call, "ax"
	.global smc_call
	.type smc_call, %function
smc_call:
	str	x0, [sp, #-16]!
	mov	x8, x0
	ldp	x0, x1, [x8, #0]
	ldp	x2, x3, [x8, #16]
	ldp	x4, x5, [x8, #32]
	ldp	x6, x7, [x8, #48]
	smc	#0
	ldr	x8, [sp], #16
	stp	x0, x1, [x8, #0]
	stp	x2, x3, [x8, #16]
	stp	x4, x5, [x8, #32]
	stp	x6, x7, [x8, #48]
	ret
	.size smc_call, . - smc_call
