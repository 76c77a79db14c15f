/*
 * Realm EL1 entry.  The image starts with struct realm_image_header
 * (common/include/realm_image.h): the host DATA_CREATEs (measured) the
 * loaded part at IPA 0x40000000, gives .bss and the stacks zero-filled
 * granules, and starts REC 0 at 0x40000000 with x0 = realm index.
 */
#include <realm_image.h>
#include <regs_save_restore.S>

	.section .text.entry, "ax"
	.global _start
_start:
	b	1f
	.word	REALM_IMAGE_MAGIC
	.quad	__realm_end - _start		/* mem_size */
	.quad	__bss_start - _start		/* load_size */
	.quad	_start				/* load_addr */
	.word	REALM_IMAGE_VERSION
	.word	REALM_IMAGE_HEADER_SIZE
	.quad	0				/* flags */
1:	mov	x19, x0
	ldr	x0, =realm_stack_top
	mov	sp, x0
	ldr	x0, =realm_vectors
	msr	vbar_el1, x0
	isb
	mov	x0, x19
	bl	realm_main
2:	wfi
	b	2b

/*
 * Secondary CPU (REC 1), started by PSCI CPU_ON through the host's
 * RMI_PSCI_COMPLETE: x0 = context id.  Own stack; MMU set up in C.
 */
	.global secondary_entry
secondary_entry:
	mov	x19, x0
	ldr	x0, =realm_stack1_top
	mov	sp, x0
	ldr	x0, =realm_vectors
	msr	vbar_el1, x0
	isb
	mov	x0, x19
	bl	realm_secondary_main
3:	wfi
	b	3b

bad_exception:
	bl	realm_exception

/* Lower-EL AArch32 sync: fatal unless the payload defines it (work_fp.S). */
	.weak	work_a32_back
work_a32_back:
	b	bad_exception

/* Synchronous exception at EL1 (an SEA the RMM injected): C decides. */
sync_spx:
	caller_saved_push
	bl	realm_sync_exception
	caller_saved_pop
	eret

	.macro	vec label
	.balign	0x80
	b	\label
	.endm

	.section .text.vectors, "ax"
	.balign	0x800
	.global realm_vectors
realm_vectors:
	vec bad_exception	/* current EL, SP0 */
	vec bad_exception
	vec bad_exception
	vec bad_exception
	vec sync_spx		/* current EL, SPx: sync */
	.rept 7
	vec bad_exception
	.endr
	vec work_a32_back	/* lower EL, AArch32: sync (work.c's AArch32 probe) */
	.rept 3
	vec bad_exception
	.endr
