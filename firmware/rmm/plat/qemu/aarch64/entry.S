/*
 * RMM entry at Realm EL2 (ERET from the monitor): x0 = CPU index,
 * x1..x4 = the memory layout (boot_mem.h: DRAM base and size, delegable
 * base and size).  CPU 0 comes here once for the cold boot; every other
 * CPU whenever the Normal world powers it on (PSCI CPU_ON), for its
 * per-CPU boot.  Later RMI calls do not come here: they return from the
 * RMM's RMI_REQ_COMPLETE SMC.
 */
#define STACK_SHIFT	14	/* 16 KB per CPU */

	.section .text.entry, "ax"
	.global _start
_start:
	b	rmm_entry
	/*
	 * Image header: the monitor measures [_start, __image_end), the image
	 * as loaded, into its platform token (monitor/el3_attest.c).
	 */
	.word	0x314D4D52		/* "RMM1" */
	.quad	__image_end
rmm_entry:
	mov	x19, x0
	mov	x20, x1
	mov	x21, x2
	mov	x22, x3
	mov	x23, x4
	add	x1, x19, #1
	lsl	x1, x1, #STACK_SHIFT
	ldr	x0, =rmm_stacks
	add	x0, x0, x1
	mov	sp, x0
	ldr	x0, =rmm_vectors
	msr	vbar_el2, x0
	isb
	cbnz	x19, 3f
	ldr	x0, =__bss_start
	ldr	x1, =__bss_end
1:	cmp	x0, x1
	b.hs	2f
	str	xzr, [x0], #8
	b	1b
2:	mov	x0, x20
	mov	x1, x21
	mov	x2, x22
	mov	x3, x23
	bl	rmm_main
3:	mov	x0, x19
	bl	rmm_warm_main
4:	wfi
	b	4b
