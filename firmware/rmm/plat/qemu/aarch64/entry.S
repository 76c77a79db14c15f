/*
 * RMM cold entry at Realm EL2 (ERET from the monitor).  Later RMI calls do
 * not come here: they return from the RMM's RMI_REQ_COMPLETE SMC.
 */
	.section .text.entry, "ax"
	.global _start
_start:
	ldr	x0, =rmm_stack_top
	mov	sp, x0
	ldr	x0, =__bss_start
	ldr	x1, =__bss_end
1:	cmp	x0, x1
	b.hs	2f
	str	xzr, [x0], #8
	b	1b
2:	ldr	x0, =rmm_vectors
	msr	vbar_el2, x0
	isb
	bl	rmm_main
3:	wfi
	b	3b
