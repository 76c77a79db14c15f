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
#define REC_PC		248
#define REC_PSTATE	256
#define FRAME		112	/* x19..x30 (96) + rec pointer + pad */

	.text
	.global run_realm
	.type run_realm, %function
run_realm:
	sub	sp, sp, #FRAME
	stp	x19, x20, [sp, #0]
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x25, x26, [sp, #48]
	stp	x27, x28, [sp, #64]
	stp	x29, x30, [sp, #80]
	str	x0, [sp, #96]
	ldr	x1, [x0, #REC_PC]
	msr	elr_el2, x1
	ldr	x1, [x0, #REC_PSTATE]
	msr	spsr_el2, x1
	ldp	x2, x3, [x0, #16]
	ldp	x4, x5, [x0, #32]
	ldp	x6, x7, [x0, #48]
	ldp	x8, x9, [x0, #64]
	ldp	x10, x11, [x0, #80]
	ldp	x12, x13, [x0, #96]
	ldp	x14, x15, [x0, #112]
	ldp	x16, x17, [x0, #128]
	ldp	x18, x19, [x0, #144]
	ldp	x20, x21, [x0, #160]
	ldp	x22, x23, [x0, #176]
	ldp	x24, x25, [x0, #192]
	ldp	x26, x27, [x0, #208]
	ldp	x28, x29, [x0, #224]
	ldr	x30, [x0, #240]
	ldp	x0, x1, [x0, #0]
	eret
	.size run_realm, . - run_realm

/* x0 = kind; the realm's x0/x1 are at [sp], the run_realm frame above them. */
realm_exit:
	ldr	x1, [sp, #16 + 96]
	stp	x2, x3, [x1, #16]
	stp	x4, x5, [x1, #32]
	stp	x6, x7, [x1, #48]
	stp	x8, x9, [x1, #64]
	stp	x10, x11, [x1, #80]
	stp	x12, x13, [x1, #96]
	stp	x14, x15, [x1, #112]
	stp	x16, x17, [x1, #128]
	stp	x18, x19, [x1, #144]
	stp	x20, x21, [x1, #160]
	stp	x22, x23, [x1, #176]
	stp	x24, x25, [x1, #192]
	stp	x26, x27, [x1, #208]
	stp	x28, x29, [x1, #224]
	str	x30, [x1, #240]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x1, #0]
	mrs	x2, elr_el2
	str	x2, [x1, #REC_PC]
	mrs	x2, spsr_el2
	str	x2, [x1, #REC_PSTATE]
	ldp	x19, x20, [sp, #0]
	ldp	x21, x22, [sp, #16]
	ldp	x23, x24, [sp, #32]
	ldp	x25, x26, [sp, #48]
	ldp	x27, x28, [sp, #64]
	ldp	x29, x30, [sp, #80]
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
