/*
 * Entering a realm and coming back.
 *
 * unsigned int run_realm(struct rec *rec): saves the RMM's callee-saved
 * registers on its stack, loads the REC's x0..x30, ELR_EL2/SPSR_EL2 from
 * rec->pc/pstate and ERETs to Realm EL1.  The next exception from the
 * realm lands in rmm_vectors (lower EL), which stores the realm's registers
 * back into the REC and returns from run_realm with the exception kind
 * (0 sync, 1 irq, 2 fiq, 3 serror).  The RMM's own exceptions are fatal.
 */
#include <regs_save_restore.S>

#define REC_PC		248
#define REC_PSTATE	256
#define FRAME		112	/* x19..x30 (96) + rec pointer + pad */

	.text
	.global run_realm
	.type run_realm, %function
run_realm:
	sub	sp, sp, #FRAME
	callee_saved_store sp
	str	x0, [sp, #96]
	ldr	x1, [x0, #REC_PC]
	msr	elr_el2, x1
	ldr	x1, [x0, #REC_PSTATE]
	msr	spsr_el2, x1
	gprs_x2_x30_load x0
	ldp	x0, x1, [x0, #0]
	eret
	.size run_realm, . - run_realm

/* x0 = kind; the realm's x0/x1 are at [sp], the run_realm frame above them. */
realm_exit:
	ldr	x1, [sp, #16 + 96]
	gprs_x2_x30_store x1
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x1, #0]
	mrs	x2, elr_el2
	str	x2, [x1, #REC_PC]
	mrs	x2, spsr_el2
	str	x2, [x1, #REC_PSTATE]
	callee_saved_load sp
	add	sp, sp, #FRAME
	ret

rmm_fault:
	bl	rmm_exception

	.macro	lower kind
	.balign	0x80
	stp	x0, x1, [sp, #-16]!
	mov	x0, #\kind
	b	realm_exit
	.endm

	.macro	fatal
	.balign	0x80
	b	rmm_fault
	.endm

	.section .text.vectors, "ax"
	.balign	0x800
	.global rmm_vectors
rmm_vectors:
	fatal			/* current EL, SP0 */
	fatal
	fatal
	fatal
	.balign	0x80		/* current EL, SPx: sync (a stage-1 self-test probe?) */
	b	mmu_probe_fault
	fatal
	fatal
	fatal
	lower 0			/* lower EL AArch64: sync */
	lower 1			/* irq */
	lower 2			/* fiq */
	lower 3			/* serror */
	fatal			/* lower EL AArch32 */
	fatal
	fatal
	fatal
