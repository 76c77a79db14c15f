/* The "work" payload's probes: a breakpoint target and a run of T32 code at EL0. */
/*
 * work_debug_target: a function the host may try to put a breakpoint on
 * (fw_exit_hygiene); the first instruction is where it would hit, and the
 * realm's handler steps over it.
 */
	.global work_debug_target
	.type work_debug_target, %function
work_debug_target:
	nop
	ret
	.size work_debug_target, . - work_debug_target

/*
 * uint64_t work_a32_run(uint64_t el0_entry): run T32 code at EL0 (SPSR
 * M[4] = 1, User mode, T = 1) until it takes an exception to EL1 at the
 * lower-EL AArch32 vector (entry.S), which comes back here with ESR_EL1
 * in x0 and the code's r0 in work_a32_r0.  x19-x30 and SP are kept in
 * memory: AArch32 cannot reach them, but they are UNKNOWN afterwards.
 */
	.global work_a32_run
	.type work_a32_run, %function
work_a32_run:
	ldr	x1, =a32_saved
	stp	x19, x20, [x1, #0]
	stp	x21, x22, [x1, #16]
	stp	x23, x24, [x1, #32]
	stp	x25, x26, [x1, #48]
	stp	x27, x28, [x1, #64]
	stp	x29, x30, [x1, #80]
	mov	x2, sp
	str	x2, [x1, #96]
	msr	elr_el1, x0
	mov	x2, #0x30		/* AArch32 User, T32, A/I/F unmasked */
	msr	spsr_el1, x2
	isb
	eret
	.size work_a32_run, . - work_a32_run

	.global work_a32_back
work_a32_back:
	ldr	x1, =work_a32_r0
	str	w0, [x1]
	ldr	x1, =a32_saved
	ldr	x2, [x1, #96]
	mov	sp, x2
	ldp	x19, x20, [x1, #0]
	ldp	x21, x22, [x1, #16]
	ldp	x23, x24, [x1, #32]
	ldp	x25, x26, [x1, #48]
	ldp	x27, x28, [x1, #64]
	ldp	x29, x30, [x1, #80]
	mrs	x0, esr_el1
	ret

	.bss
	.balign	16
a32_saved:
	.skip	112
	.global work_a32_r0
work_a32_r0:
	.skip	8
