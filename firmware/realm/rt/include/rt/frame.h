/*
 * The exception frame the realm runtime's vectors build on the exception
 * stack (SP_EL1) before calling C: every general register, the registers
 * that describe the exception, TPIDR_EL0 and the whole FP/SIMD state
 * (realm C code may use FP/SIMD anywhere, so the interrupted code's values
 * must be saved before the handler runs).  Offsets are shared with
 * aarch64/vectors.S, which includes this file.
 */
#ifndef RT_FRAME_H
#define RT_FRAME_H

#define RT_FRAME_X		0x000	/* x0..x30 */
#define RT_FRAME_SP		0x0F8	/* SP_EL0 (the interrupted SP unless it was SP_EL1) */
#define RT_FRAME_ELR		0x100
#define RT_FRAME_SPSR		0x108
#define RT_FRAME_ESR		0x110
#define RT_FRAME_FAR		0x118
#define RT_FRAME_TPIDR_EL0	0x120
#define RT_FRAME_FPCR		0x128
#define RT_FRAME_FPSR		0x130
#define RT_FRAME_Q		0x140	/* q0..q31, 16-byte aligned */
#define RT_FRAME_SIZE		0x340

/* Vector index (offset / 0x80), passed to the C handler as `kind`. */
#define RT_VEC_CUR_SP0_SYNC	0
#define RT_VEC_CUR_SP0_IRQ	1
#define RT_VEC_CUR_SP0_FIQ	2
#define RT_VEC_CUR_SP0_SERROR	3
#define RT_VEC_CUR_SPX_SYNC	4
#define RT_VEC_CUR_SPX_IRQ	5
#define RT_VEC_CUR_SPX_FIQ	6
#define RT_VEC_CUR_SPX_SERROR	7
#define RT_VEC_LOWER_SYNC	8
#define RT_VEC_LOWER_IRQ	9
#define RT_VEC_LOWER_FIQ	10
#define RT_VEC_LOWER_SERROR	11
#define RT_VEC_LOWER32_SYNC	12	/* AArch32 EL0: never enabled */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct rt_frame {
	uint64_t x[31];
	uint64_t sp;
	uint64_t elr;
	uint64_t spsr;
	uint64_t esr;
	uint64_t far;
	uint64_t tpidr_el0;
	uint64_t fpcr;
	uint64_t fpsr;
	uint64_t _pad;
	__uint128_t q[32];
};

_Static_assert(__builtin_offsetof(struct rt_frame, sp) == RT_FRAME_SP, "frame sp");
_Static_assert(__builtin_offsetof(struct rt_frame, elr) == RT_FRAME_ELR, "frame elr");
_Static_assert(__builtin_offsetof(struct rt_frame, tpidr_el0) == RT_FRAME_TPIDR_EL0, "frame tpidr");
_Static_assert(__builtin_offsetof(struct rt_frame, fpsr) == RT_FRAME_FPSR, "frame fpsr");
_Static_assert(__builtin_offsetof(struct rt_frame, q) == RT_FRAME_Q, "frame q");
_Static_assert(sizeof(struct rt_frame) == RT_FRAME_SIZE, "frame size");
#endif

#endif /* RT_FRAME_H */
