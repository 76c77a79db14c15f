/*
 * EL0 entry of a realm application: the kernel ERETs here with SP at
 * argc, argv[] and an empty environment, as Linux lays out the initial
 * stack; everything else comes from C (user_start).  Also the signal restorer the runtime registers with
 * every handler: it makes rt_sigreturn.
 */
	.section .text.user.entry, "ax"
	.global	_start
_start:
	mov	x29, #0
	mov	x30, #0
	mov	x0, sp			/* argc, argv[], NULL, envp NULL */
	bl	user_start
1:	b	1b

	.text
	.global	__user_sigreturn
__user_sigreturn:
	mov	x8, #139		/* rt_sigreturn */
	svc	#0
	brk	#0			/* never returns */

	/* long sys_call6(long nr, long a0, ..., long a5) */
	.global	sys_call6
sys_call6:
	mov	x8, x0
	mov	x0, x1
	mov	x1, x2
	mov	x2, x3
	mov	x3, x4
	mov	x4, x5
	mov	x5, x6
	svc	#0
	ret
