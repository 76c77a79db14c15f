/*
 * Register save and restore sequences, written once for every exception
 * entry, world switch and FP/SIMD switch of the firmware (#include this
 * from a .S file; it defines assembler macros only, no code or data).
 *
 *   gprs_x2_x30_store base / gprs_x2_x30_load base
 *       x2..x30 to / from an array of x0..x30 at base (x<n> at base +
 *       8 * n; the 31 slots are 248 bytes).  x0 and x1 are left to the
 *       caller: one of them holds base, or they are needed as scratch
 *       while the other registers are still live.  Users: the monitor's
 *       lower-EL entry and el3_exit (monitor/context.h), the RMM's REC
 *       entry and exit (struct rec's regs), the realm runtime's vectors
 *       (struct rt_frame).
 *   callee_saved_store base / callee_saved_load base
 *       x19..x30 to / from base (x<19 + n> at base + 8 * n, 96 bytes):
 *       what a function that leaves for another context and comes back
 *       (a REC entry, a run of AArch32 code) must keep for its caller.
 *       Users: the RMM's run_realm, the work payload's work_a32_run.
 *   caller_saved_push / caller_saved_pop
 *       x0..x18, x29 and x30 to / from a CALLER_SAVED_FRAME-byte frame
 *       pushed on SP: what an exception handler that calls C must keep
 *       for the interrupted code (the callee keeps x19..x28).  Users: the
 *       host's and the bare realm payloads' current-EL sync handlers.
 *   fpsimd_q_store base / fpsimd_q_load base
 *       Q0..Q31 to / from base (Qn at base + 16 * n, 512 bytes).  FPCR and
 *       FPSR are the caller's: their place differs between the users
 *       (common/src/aarch64/fp_regs.S, the realm runtime's vectors).
 *       The including file must enable the fp and simd extensions.
 */
#ifndef REGS_SAVE_RESTORE_S
#define REGS_SAVE_RESTORE_S

#define CALLER_SAVED_FRAME	176	/* 21 registers, 16-byte aligned */

/* The x2..x30 sequences overwrite every register but x0, x1 and SP: the
 * base must be one of those (checked at assembly time). */
	.macro	gprs_base_check base
	.irp	r, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14, x15, x16, \
		   x17, x18, x19, x20, x21, x22, x23, x24, x25, x26, x27, x28, x29, x30
	.ifc	\base, \r
	.error	"gprs_x2_x30_*: the base register would be overwritten"
	.endif
	.endr
	.endm

	.macro	gprs_x2_x30_store base
	gprs_base_check \base
	stp	x2, x3, [\base, #16]
	stp	x4, x5, [\base, #32]
	stp	x6, x7, [\base, #48]
	stp	x8, x9, [\base, #64]
	stp	x10, x11, [\base, #80]
	stp	x12, x13, [\base, #96]
	stp	x14, x15, [\base, #112]
	stp	x16, x17, [\base, #128]
	stp	x18, x19, [\base, #144]
	stp	x20, x21, [\base, #160]
	stp	x22, x23, [\base, #176]
	stp	x24, x25, [\base, #192]
	stp	x26, x27, [\base, #208]
	stp	x28, x29, [\base, #224]
	str	x30, [\base, #240]
	.endm

	.macro	gprs_x2_x30_load base
	gprs_base_check \base
	ldp	x2, x3, [\base, #16]
	ldp	x4, x5, [\base, #32]
	ldp	x6, x7, [\base, #48]
	ldp	x8, x9, [\base, #64]
	ldp	x10, x11, [\base, #80]
	ldp	x12, x13, [\base, #96]
	ldp	x14, x15, [\base, #112]
	ldp	x16, x17, [\base, #128]
	ldp	x18, x19, [\base, #144]
	ldp	x20, x21, [\base, #160]
	ldp	x22, x23, [\base, #176]
	ldp	x24, x25, [\base, #192]
	ldp	x26, x27, [\base, #208]
	ldp	x28, x29, [\base, #224]
	ldr	x30, [\base, #240]
	.endm

	.macro	callee_saved_store base
	stp	x19, x20, [\base, #0]
	stp	x21, x22, [\base, #16]
	stp	x23, x24, [\base, #32]
	stp	x25, x26, [\base, #48]
	stp	x27, x28, [\base, #64]
	stp	x29, x30, [\base, #80]
	.endm

	.macro	callee_saved_load base
	ldp	x19, x20, [\base, #0]
	ldp	x21, x22, [\base, #16]
	ldp	x23, x24, [\base, #32]
	ldp	x25, x26, [\base, #48]
	ldp	x27, x28, [\base, #64]
	ldp	x29, x30, [\base, #80]
	.endm

	.macro	caller_saved_push
	sub	sp, sp, #CALLER_SAVED_FRAME
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x29, [sp, #144]
	str	x30, [sp, #160]
	.endm

	.macro	caller_saved_pop
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x29, [sp, #144]
	ldr	x30, [sp, #160]
	add	sp, sp, #CALLER_SAVED_FRAME
	.endm

	.macro	fpsimd_q_store base
	stp	q0, q1, [\base, #0]
	stp	q2, q3, [\base, #32]
	stp	q4, q5, [\base, #64]
	stp	q6, q7, [\base, #96]
	stp	q8, q9, [\base, #128]
	stp	q10, q11, [\base, #160]
	stp	q12, q13, [\base, #192]
	stp	q14, q15, [\base, #224]
	stp	q16, q17, [\base, #256]
	stp	q18, q19, [\base, #288]
	stp	q20, q21, [\base, #320]
	stp	q22, q23, [\base, #352]
	stp	q24, q25, [\base, #384]
	stp	q26, q27, [\base, #416]
	stp	q28, q29, [\base, #448]
	stp	q30, q31, [\base, #480]
	.endm

	.macro	fpsimd_q_load base
	ldp	q0, q1, [\base, #0]
	ldp	q2, q3, [\base, #32]
	ldp	q4, q5, [\base, #64]
	ldp	q6, q7, [\base, #96]
	ldp	q8, q9, [\base, #128]
	ldp	q10, q11, [\base, #160]
	ldp	q12, q13, [\base, #192]
	ldp	q14, q15, [\base, #224]
	ldp	q16, q17, [\base, #256]
	ldp	q18, q19, [\base, #288]
	ldp	q20, q21, [\base, #320]
	ldp	q22, q23, [\base, #352]
	ldp	q24, q25, [\base, #384]
	ldp	q26, q27, [\base, #416]
	ldp	q28, q29, [\base, #448]
	ldp	q30, q31, [\base, #480]
	.endm

#endif /* REGS_SAVE_RESTORE_S */
