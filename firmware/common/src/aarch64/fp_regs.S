/*
 * Save and load the whole FP/SIMD register file (common/include/fp_regs.h):
 * the RMM's eager switch between the host's and a REC's registers, and
 * the crypto guard of the RMM and the EL3 monitor (firmware/crypto) around
 * mbedTLS, the only FP/SIMD user in those images.  Their own C code is
 * built -mgeneral-regs-only.  Layout: struct fp_regs (V0..V31, FPCR, FPSR).
 */
#include <regs_save_restore.S>

	.arch_extension fp
	.arch_extension simd

	.text
	.global fp_save
	.type fp_save, %function
fp_save:
	fpsimd_q_store x0
	mrs	x1, fpcr
	mrs	x2, fpsr
	add	x3, x0, #512
	stp	x1, x2, [x3]
	ret
	.size fp_save, . - fp_save

	.global fp_restore
	.type fp_restore, %function
fp_restore:
	fpsimd_q_load x0
	add	x3, x0, #512
	ldp	x1, x2, [x3]
	msr	fpcr, x1
	msr	fpsr, x2
	ret
	.size fp_restore, . - fp_restore
