/*
 * Accesses that may fault, for rt_probe_*() (probe.c).  Each faulting
 * instruction has an entry in __rt_extable {insn, fixup}: the exception
 * handler resumes at the fixup, which returns -1.
 */
#include <rt/asm.h>

	.section .text.rt_probe, "ax"
	/* int __rt_probe_ld(const volatile void *addr, uint64_t *val) */
	.global	__rt_probe_ld
__rt_probe_ld:
1:	ldr	x2, [x0]
	str	x2, [x1]
	mov	w0, #0
	ret
2:	mov	w0, #-1
	ret
	extable	1b, 2b

	/* int __rt_probe_st(volatile void *addr, uint64_t val) */
	.global	__rt_probe_st
__rt_probe_st:
1:	str	x1, [x0]
	mov	w0, #0
	ret
2:	mov	w0, #-1
	ret
	extable	1b, 2b

	/*
	 * int __rt_probe_call(const void *fn): an instruction abort has ELR =
	 * fn, not an address in this file, so the handler recognises this
	 * probe by its return address in x30 instead.
	 */
	.global	__rt_probe_call
__rt_probe_call:
	stp	x29, x30, [sp, #-16]!
	blr	x0
	.global	__rt_probe_call_return
__rt_probe_call_return:
	mov	w0, #0
	ldp	x29, x30, [sp], #16
	ret
	.global	__rt_probe_call_fixup
__rt_probe_call_fixup:
	mov	w0, #-1
	ldp	x29, x30, [sp], #16
	ret
