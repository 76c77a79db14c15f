/*
 * Realm runtime entry.  The image starts with struct realm_image_header
 * (common/include/realm_image.h); the host starts REC 0 at its first
 * byte, the branch over the header, with the MMU off, EL1h, DAIF masked
 * and x0 = the host's argument.
 *
 * Order matters: with the MMU off every data access is Device memory, so
 * until rt_early_init has turned the MMU on only aligned accesses by code
 * built with -mgeneral-regs-only -mstrict-align may run (this file and
 * early/).  FP/SIMD is enabled at EL1 first, so that the exception
 * vectors (which save the FP registers) work from the start.
 */
#include <realm_image.h>

#define CPACR_FPEN_ALL	(3 << 20)	/* no FP/SIMD trap at EL0 or EL1 */

	.section .text.rt.entry, "ax"
	.global	_start
_start:
	b	rt_entry
	.word	REALM_IMAGE_MAGIC
	.quad	__rt_mem_size
	.quad	__rt_load_size
	.quad	__rt_load_addr
	.word	REALM_IMAGE_VERSION
	.word	REALM_IMAGE_HEADER_SIZE
	.quad	0			/* flags */

rt_entry:
	mov	x19, x0
	mov	x0, #CPACR_FPEN_ALL
	msr	cpacr_el1, x0
	isb
	/* Exceptions (and this code, still in EL1h) use the exception stack. */
	ldr	x0, =__rt_exc_stack_top
	mov	sp, x0
	ldr	x0, =rt_vectors
	msr	vbar_el1, x0
	isb
	/* .bss and .tbss: 16-byte aligned by the linker script. */
	ldr	x0, =__bss_start
	ldr	x1, =__bss_end
1:	cmp	x0, x1
	b.hs	2f
	stp	xzr, xzr, [x0], #16
	b	1b
2:	mov	x0, x19
	bl	rt_early_init		/* REALM_CONFIG, stage-1 tables, MMU on */
	/* From here on the program runs on SP_EL0 (EL1t). */
	ldr	x0, =__rt_stack_top
	msr	sp_el0, x0
	msr	spsel, #0
	isb
	mov	x0, x19
	bl	rt_start		/* never returns */
3:	wfi
	b	3b
