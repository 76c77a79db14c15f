/*
 * Probes for the stage-1 self-test (mmu_selftest.c).  While a probe is
 * armed, a synchronous exception at Realm EL2 (current EL, SPx) does not
 * panic: mmu_probe_fault (run_realm.S vectors) records ESR_EL2 and
 * resumes: after an instruction abort at the caller of the branch (x30),
 * after a data abort at the next instruction.  Only these functions arm
 * it, and they use no register the handler changes (x16, x17).
 */
	.text

/* uint64_t mmu_probe_exec(uint64_t va): branch to va; 0 if it returned, else the ESR. */
	.global mmu_probe_exec
	.type mmu_probe_exec, %function
mmu_probe_exec:
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	adrp	x16, mmu_probe_esr
	str	xzr, [x16, :lo12:mmu_probe_esr]
	adrp	x16, mmu_probe_armed
	mov	w17, #1
	str	w17, [x16, :lo12:mmu_probe_armed]
	blr	x0
	adrp	x16, mmu_probe_armed
	str	wzr, [x16, :lo12:mmu_probe_armed]
	adrp	x16, mmu_probe_esr
	ldr	x0, [x16, :lo12:mmu_probe_esr]
	ldp	x29, x30, [sp], #16
	ret
	.size mmu_probe_exec, . - mmu_probe_exec

/* uint64_t mmu_probe_write(uint64_t va): store the word at va back; 0 or the ESR. */
	.global mmu_probe_write
	.type mmu_probe_write, %function
mmu_probe_write:
	ldr	w1, [x0]
	adrp	x16, mmu_probe_esr
	str	xzr, [x16, :lo12:mmu_probe_esr]
	adrp	x16, mmu_probe_armed
	mov	w17, #1
	str	w17, [x16, :lo12:mmu_probe_armed]
	str	w1, [x0]
	adrp	x16, mmu_probe_armed
	str	wzr, [x16, :lo12:mmu_probe_armed]
	adrp	x16, mmu_probe_esr
	ldr	x0, [x16, :lo12:mmu_probe_esr]
	ret
	.size mmu_probe_write, . - mmu_probe_write

/* uint64_t mmu_probe_read(uint64_t va): load the word at va; 0 or the ESR. */
	.global mmu_probe_read
	.type mmu_probe_read, %function
mmu_probe_read:
	adrp	x16, mmu_probe_esr
	str	xzr, [x16, :lo12:mmu_probe_esr]
	adrp	x16, mmu_probe_armed
	mov	w17, #1
	str	w17, [x16, :lo12:mmu_probe_armed]
	ldr	w1, [x0]
	adrp	x16, mmu_probe_armed
	str	wzr, [x16, :lo12:mmu_probe_armed]
	adrp	x16, mmu_probe_esr
	ldr	x0, [x16, :lo12:mmu_probe_esr]
	ret
	.size mmu_probe_read, . - mmu_probe_read

/* A function that only returns: the executable target in text. */
	.global mmu_probe_ret
	.type mmu_probe_ret, %function
mmu_probe_ret:
	ret
	.size mmu_probe_ret, . - mmu_probe_ret

/* uint64_t mmu_at_read(uint64_t va) / mmu_at_write(va): PAR_EL1 after AT S1E2R/W. */
	.global mmu_at_read
	.type mmu_at_read, %function
mmu_at_read:
	at	s1e2r, x0
	isb
	mrs	x0, par_el1
	ret
	.size mmu_at_read, . - mmu_at_read

	.global mmu_at_write
	.type mmu_at_write, %function
mmu_at_write:
	at	s1e2w, x0
	isb
	mrs	x0, par_el1
	ret
	.size mmu_at_write, . - mmu_at_write

/* Called from the current-EL sync vector with x16/x17 free. */
	.global mmu_probe_fault
mmu_probe_fault:
	adrp	x16, mmu_probe_armed
	ldr	w17, [x16, :lo12:mmu_probe_armed]
	cbz	w17, 2f
	mrs	x17, esr_el2
	adrp	x16, mmu_probe_esr
	str	x17, [x16, :lo12:mmu_probe_esr]
	lsr	x17, x17, #26
	cmp	x17, #0x21		/* instruction abort, same EL */
	b.ne	1f
	msr	elr_el2, x30
	eret
1:	mrs	x17, elr_el2
	add	x17, x17, #4
	msr	elr_el2, x17
	eret
2:	bl	rmm_exception

	.bss
	.balign	8
mmu_probe_esr:
	.quad	0
mmu_probe_armed:
	.word	0
