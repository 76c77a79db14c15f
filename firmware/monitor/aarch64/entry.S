/*
 * EL3 entry, vector table and context restore.  QEMU starts every CPU at
 * EL3 at _start (CPU 0 from the ELF entry, CPU 1 from -device
 * loader,addr=<_start>,cpu-num=1).  CPU 0 boots the platform; the others
 * wait until CPU 0 is done, then until a PSCI CPU_ON names them.
 */
#include <regs_save_restore.S>

#define CTX_ELR_EL3	0xF8
#define CTX_SPSR_EL3	0x100
#define CTX_SCR_EL3	0x108
#define STACK_SHIFT	14	/* 16 KB per CPU */

/* reg = top of this CPU's EL3 stack (clobbers tmp). */
	.macro	cpu_stack_top reg, tmp
	mrs	\tmp, mpidr_el1
	and	\tmp, \tmp, #0xff
	add	\tmp, \tmp, #1
	lsl	\tmp, \tmp, #STACK_SHIFT
	ldr	\reg, =monitor_stacks
	add	\reg, \reg, \tmp
	.endm

	.section .text.entry, "ax"
	.global _start
_start:
	cpu_stack_top x0, x1
	mov	sp, x0
	ldr	x0, =monitor_vectors
	msr	vbar_el3, x0
	isb
	mrs	x0, mpidr_el1
	and	x0, x0, #0xff
	cbnz	x0, secondary
	/* zero .bss (QEMU's loader zero-fills, but do not rely on it) */
	ldr	x0, =__bss_start
	ldr	x1, =__bss_end
1:	cmp	x0, x1
	b.hs	2f
	str	xzr, [x0], #8
	b	1b
2:	bl	monitor_main
3:	wfi
	b	3b

/* Not CPU 0: wait (no memory but the stack touched) for the cold boot. */
secondary:
	ldr	x1, =monitor_cold_done
4:	wfe
	ldr	w2, [x1]
	cbz	w2, 4b
	bl	monitor_secondary_main
5:	wfi
	b	5b

/*
 * el3_exit(ctx): x0 = context to run.  The EL3 stack is empty whenever a
 * lower EL runs, so it is reset here.
 */
	.text
	.global el3_exit
	.type el3_exit, %function
el3_exit:
	msr	tpidr_el3, x0
	ldr	x1, [x0, #CTX_ELR_EL3]
	msr	elr_el3, x1
	ldr	x1, [x0, #CTX_SPSR_EL3]
	msr	spsr_el3, x1
	ldr	x1, [x0, #CTX_SCR_EL3]
	msr	scr_el3, x1
	isb
	cpu_stack_top x1, x2
	mov	sp, x1
	gprs_x2_x30_load x0
	ldp	x0, x1, [x0, #0]
	eret
	.size el3_exit, . - el3_exit

/* Lower-EL synchronous exception (SMC, or a GPC exception): save and dispatch. */
lower_sync:
	stp	x0, x1, [sp, #-16]!
	mrs	x0, tpidr_el3
	gprs_x2_x30_store x0
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0, #0]
	mrs	x1, elr_el3
	str	x1, [x0, #CTX_ELR_EL3]
	mrs	x1, spsr_el3
	str	x1, [x0, #CTX_SPSR_EL3]
	bl	monitor_lower_sync
	b	el3_exit

current_fault:
	bl	monitor_current_el_fault

	.macro	vec label
	.balign	0x80
	b	\label
	.endm

	.section .text.vectors, "ax"
	.balign	0x800
	.global monitor_vectors
monitor_vectors:
	vec current_fault	/* current EL, SP0: sync */
	vec current_fault
	vec current_fault
	vec current_fault
	vec current_fault	/* current EL, SPx: sync */
	vec current_fault
	vec current_fault
	vec current_fault
	vec lower_sync		/* lower EL, AArch64: sync */
	vec current_fault	/* irq */
	vec current_fault	/* fiq */
	vec current_fault	/* serror */
	vec current_fault	/* lower EL, AArch32 */
	vec current_fault
	vec current_fault
	vec current_fault
