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

/*
 * void semihosting_exit(unsigned int status): SYS_EXIT (0x18) with the
 * AArch64 parameter block {ADP_Stopped_ApplicationExit, status}.
 */
	.section .text.semihosting_exit, "ax"
	.global semihosting_exit
	.type semihosting_exit, %function
semihosting_exit:
	sub	sp, sp, #16
	mov	x1, #0x0026
	movk	x1, #0x2, lsl #16
	str	x1, [sp, #0]
	uxtw	x0, w0
	str	x0, [sp, #8]
	mov	x1, sp
	mov	w0, #0x18
	hlt	#0xf000
1:	wfi
	b	1b
	.size semihosting_exit, . - semihosting_exit
