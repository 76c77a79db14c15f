/*
 * aarch64 system register accessors and barriers (firmware only).
 */
#ifndef ARCH_HELPERS_H
#define ARCH_HELPERS_H

#include <stdint.h>

#define read_sysreg(reg) ({ uint64_t _v; __asm__ volatile("mrs %0, " #reg : "=r"(_v)); _v; })
#define write_sysreg(reg, v) \
	__asm__ volatile("msr " #reg ", %0" : : "r"((uint64_t)(v)) : "memory")

static inline void isb(void) { __asm__ volatile("isb" : : : "memory"); }
static inline void dsb_sy(void) { __asm__ volatile("dsb sy" : : : "memory"); }
static inline void dsb_ish(void) { __asm__ volatile("dsb ish" : : : "memory"); }
static inline void dsb_ishst(void) { __asm__ volatile("dsb ishst" : : : "memory"); }

/* x0..x7 in, x0..x7 out: the SMCCC register image. */
void smc_call(uint64_t regs[8]);

#endif /* ARCH_HELPERS_H */
