/* FP/SIMD register file <-> memory for the "work" payload (V0-V31, FPCR, FPSR), and a debug target. */
	.arch_extension fp
	.arch_extension simd
	.text
	.global work_fp_load
work_fp_load:
	ldp	q0, q1, [x0, #0]
	ldp	q2, q3, [x0, #32]
	ldp	q4, q5, [x0, #64]
	ldp	q6, q7, [x0, #96]
	ldp	q8, q9, [x0, #128]
	ldp	q10, q11, [x0, #160]
	ldp	q12, q13, [x0, #192]
	ldp	q14, q15, [x0, #224]
	ldp	q16, q17, [x0, #256]
	ldp	q18, q19, [x0, #288]
	ldp	q20, q21, [x0, #320]
	ldp	q22, q23, [x0, #352]
	ldp	q24, q25, [x0, #384]
	ldp	q26, q27, [x0, #416]
	ldp	q28, q29, [x0, #448]
	ldp	q30, q31, [x0, #480]
	add	x3, x0, #512
	ldp	x1, x2, [x3]
	msr	fpcr, x1
	msr	fpsr, x2
	ret
	.global work_fp_store
work_fp_store:
	stp	q0, q1, [x0, #0]
	stp	q2, q3, [x0, #32]
	stp	q4, q5, [x0, #64]
	stp	q6, q7, [x0, #96]
	stp	q8, q9, [x0, #128]
	stp	q10, q11, [x0, #160]
	stp	q12, q13, [x0, #192]
	stp	q14, q15, [x0, #224]
	stp	q16, q17, [x0, #256]
	stp	q18, q19, [x0, #288]
	stp	q20, q21, [x0, #320]
	stp	q22, q23, [x0, #352]
	stp	q24, q25, [x0, #384]
	stp	q26, q27, [x0, #416]
	stp	q28, q29, [x0, #448]
	stp	q30, q31, [x0, #480]
	add	x3, x0, #512
	mrs	x1, fpcr
	mrs	x2, fpsr
	stp	x1, x2, [x3]
	ret

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
