/*
 * Assembly helpers of the realm runtime.  extable: the instruction at
 * `insn` may take a synchronous data abort at EL1; the runtime then
 * resumes at `fixup` (and records ESR/FAR/ELR for rt_probe_*).
 */
#ifndef RT_ASM_H
#define RT_ASM_H

#ifdef __ASSEMBLER__
	.macro	extable insn, fixup
	.pushsection __rt_extable, "a"
	.balign	8
	.quad	\insn, \fixup
	.popsection
	.endm
#endif

#endif /* RT_ASM_H */
