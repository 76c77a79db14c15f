/*
 * The FP/SIMD register file as saved in memory (common/src/aarch64/fp_regs.S):
 * V0..V31 as two 64-bit halves each, then FPCR and FPSR.
 */
#ifndef FP_REGS_H
#define FP_REGS_H

#include <stdint.h>

struct __attribute__((aligned(16))) fp_regs {
	uint64_t v[64];
	uint64_t fpcr, fpsr;
};

void fp_save(struct fp_regs *fp);
void fp_restore(const struct fp_regs *fp);

#endif /* FP_REGS_H */
