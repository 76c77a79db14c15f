/*
 * Per-world CPU context kept by the EL3 monitor: the general registers
 * (saved by the vector on every SMC), the EL3 return state and the EL2
 * system registers, which are not banked between Normal and Realm EL2 and
 * so are swapped on every world switch.
 */
#ifndef MONITOR_CONTEXT_H
#define MONITOR_CONTEXT_H

#include <stdint.h>

struct el2_sysregs {
	uint64_t sctlr_el2, tcr_el2, ttbr0_el2, mair_el2, vbar_el2, hcr_el2;
	uint64_t vtcr_el2, vttbr_el2, cptr_el2, sp_el2, elr_el2, spsr_el2;
	uint64_t esr_el2, far_el2, hpfar_el2, tpidr_el2, cnthctl_el2, cntvoff_el2;
	uint64_t mdcr_el2, vpidr_el2, vmpidr_el2, actlr_el2;
};

struct cpu_ctx {
	uint64_t x[31];		/* 0x000, used by aarch64/entry.S */
	uint64_t elr_el3;	/* 0x0F8 */
	uint64_t spsr_el3;	/* 0x100 */
	uint64_t scr_el3;	/* 0x108 */
	struct el2_sysregs el2;
};

#define CTX_ELR_EL3	0xF8
#define CTX_SPSR_EL3	0x100
#define CTX_SCR_EL3	0x108

/* Assembly: restore ctx and ERET into it; never returns. */
void el3_exit(struct cpu_ctx *ctx) __attribute__((noreturn));
/* C handler for SMCs and aborts from lower ELs: returns the ctx to resume. */
struct cpu_ctx *monitor_lower_sync(struct cpu_ctx *ctx);
void monitor_current_el_fault(void) __attribute__((noreturn));
void monitor_main(void) __attribute__((noreturn));
void monitor_secondary_main(void) __attribute__((noreturn));
void monitor_panic(const char *why) __attribute__((noreturn));
unsigned int monitor_cpu(void);
void monitor_enter_rmm(unsigned int cpu, uint64_t ns_entry, uint64_t ns_arg) __attribute__((noreturn));

#endif /* MONITOR_CONTEXT_H */
