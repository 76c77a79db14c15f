/* The "work" payload's probes: a breakpoint target and a run of T32 code at EL0. */
#include <regs_save_restore.S>

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
	callee_saved_store x1
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
	callee_saved_load x1
	mrs	x0, esr_el1
	ret

	.bss
	.balign	16
a32_saved:
	.skip	112
	.global work_a32_r0
work_a32_r0:
	.skip	8
