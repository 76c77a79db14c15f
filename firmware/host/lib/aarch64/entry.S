/*
 * Normal-world EL2 host entry (first ERET from the monitor after the RMM
 * booted), x0..x4 = the memory layout (boot_mem.h).  MMU off: code is
 * built with -mstrict-align.
 */
#include <regs_save_restore.S>

	.section .text.entry, "ax"
	.global _start
_start:
	mov	x19, x0
	mov	x20, x1
	mov	x21, x2
	mov	x22, x3
	mov	x23, x4
	ldr	x0, =host_stack_top
	mov	sp, x0
	ldr	x0, =__bss_start
	ldr	x1, =__bss_end
1:	cmp	x0, x1
	b.hs	2f
	str	xzr, [x0], #8
	b	1b
2:	ldr	x0, =host_vectors
	msr	vbar_el2, x0
	isb
	mov	x0, x19
	mov	x1, x20
	mov	x2, x21
	mov	x3, x22
	mov	x4, x23
	bl	host_boot_args
	bl	host_main
	bl	host_exit	/* status = host_main's return value */

/*
 * Other CPUs, started by the host with PSCI CPU_ON (lib/smp.c): x0 = the
 * CPU index (the context id); 16 KB stack per CPU, same vectors.
 */
	.global host_secondary_entry
host_secondary_entry:
	mov	x19, x0
	add	x1, x19, #1
	lsl	x1, x1, #14
	ldr	x0, =host_stacks
	add	x0, x0, x1
	mov	sp, x0
	ldr	x0, =host_vectors
	msr	vbar_el2, x0
	isb
	mov	x0, x19
	bl	host_secondary_main
3:	wfi
	b	3b

/* Synchronous exception at EL2 (e.g. the GPF of the isolation demo). */
sync_spx:
	caller_saved_push
	bl	host_sync_exception
	caller_saved_pop
	eret

other:
	bl	host_unexpected_exception

	.macro	vec label
	.balign	0x80
	b	\label
	.endm

	.section .text.vectors, "ax"
	.balign	0x800
	.global host_vectors
host_vectors:
	vec other	/* current EL, SP0 */
	vec other
	vec other
	vec other
	vec sync_spx	/* current EL, SPx: sync */
	vec other
	vec other
	vec other
	vec other	/* lower EL */
	vec other
	vec other
	vec other
	vec other
	vec other
	vec other
	vec other
