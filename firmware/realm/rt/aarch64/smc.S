/*
 * void rt_smc(uint64_t regs[9]): x0..x8 from regs, SMC #0 (trapped by the
 * RMM: RSI and PSCI), x0..x8 back into regs.  SMCCC: x9..x17 may be
 * clobbered, which a call to this function allows anyway.
 */
	.section .text.rt_smc, "ax"
	.global	rt_smc
	.type	rt_smc, %function
rt_smc:
	str	x0, [sp, #-16]!
	mov	x9, x0
	ldp	x0, x1, [x9, #0]
	ldp	x2, x3, [x9, #16]
	ldp	x4, x5, [x9, #32]
	ldp	x6, x7, [x9, #48]
	ldr	x8, [x9, #64]
	smc	#0
	ldr	x9, [sp], #16
	stp	x0, x1, [x9, #0]
	stp	x2, x3, [x9, #16]
	stp	x4, x5, [x9, #32]
	stp	x6, x7, [x9, #48]
	str	x8, [x9, #64]
	ret
	.size	rt_smc, . - rt_smc
