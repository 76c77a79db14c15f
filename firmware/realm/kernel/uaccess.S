/*
 * One-byte and one-word user accesses with LDTR/STTR: at EL1 they are
 * checked as EL0 accesses (so a pointer to kernel memory faults, and PAN
 * does not apply), and each has an extable entry so that a fault returns
 * -1 instead of ending the realm.
 */
#include <rt/asm.h>

	.section .text.uaccess, "ax"
	/* int __ku_ldb(uint64_t uaddr, uint8_t *out) */
	.global	__ku_ldb
__ku_ldb:
1:	ldtrb	w2, [x0]
	strb	w2, [x1]
	mov	w0, #0
	ret
2:	mov	w0, #-1
	ret
	extable	1b, 2b

	/* int __ku_stb(uint64_t uaddr, uint8_t val) */
	.global	__ku_stb
__ku_stb:
1:	sttrb	w1, [x0]
	mov	w0, #0
	ret
2:	mov	w0, #-1
	ret
	extable	1b, 2b

	/* int __ku_ldw(uint64_t uaddr, uint32_t *out): uaddr 4-byte aligned */
	.global	__ku_ldw
__ku_ldw:
1:	ldtr	w2, [x0]
	str	w2, [x1]
	mov	w0, #0
	ret
2:	mov	w0, #-1
	ret
	extable	1b, 2b

	/* int __ku_ldx(uint64_t uaddr, uint64_t *out): uaddr 8-byte aligned */
	.global	__ku_ldx
__ku_ldx:
1:	ldtr	x2, [x0]
	str	x2, [x1]
	mov	w0, #0
	ret
2:	mov	w0, #-1
	ret
	extable	1b, 2b

	/* int __ku_stx(uint64_t uaddr, uint64_t val): uaddr 8-byte aligned */
	.global	__ku_stx
__ku_stx:
1:	sttr	x1, [x0]
	mov	w0, #0
	ret
2:	mov	w0, #-1
	ret
	extable	1b, 2b

	/*
	 * void kernel_enter_first(struct rt_frame *frame): switch to the
	 * exception stack (SP_EL1), copy the frame to its top and ERET into
	 * it through the runtime's exception return path.
	 */
	.global	kernel_enter_first
kernel_enter_first:
	msr	spsel, #1
	ldr	x1, =__rt_exc_stack_top
	sub	sp, x1, #0x340		/* RT_FRAME_SIZE */
	mov	x2, sp
	mov	x3, #0x340
3:	ldp	x4, x5, [x0], #16
	stp	x4, x5, [x2], #16
	subs	x3, x3, #16
	b.ne	3b
	b	rt_exception_return
