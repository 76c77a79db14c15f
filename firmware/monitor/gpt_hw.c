/*
 * The aarch64 side of the GPT: enabling the GPC on a CPU, GPT TLB
 * invalidation and DC CIPAPA (the pas_hw_* hooks of pas.c).  QEMU models
 * no caches, so DC CIPAPA is a no-op there; only its operand is tested
 * (natively, tests of pas.c).
 */
#include <arch_helpers.h>
#include <gpt.h>
#include <pas.h>

#define GPCCR_PPS_4GB		(0UL << 0)
#define GPCCR_IRGN_WBRAWA	(1UL << 8)
#define GPCCR_ORGN_WBRAWA	(1UL << 10)
#define GPCCR_SH_INNER		(3UL << 12)
#define GPCCR_PGS_4K		(0UL << 14)
#define GPCCR_GPC		(1UL << 16)

void pas_hw_tlbi(void)
{
	dsb_ishst();
	__asm__ volatile("tlbi paallos" : : : "memory");
	dsb_sy();
	isb();
}

/* GPTBR_EL3 and GPCCR_EL3 are per CPU: every CPU enables GPC itself. */
void gpt_enable(void)
{
	dsb_sy();	/* CPU 0's table writes before any walk */
	write_sysreg(gptbr_el3, (uint64_t)(uintptr_t)gpt_l0_table() >> 12);
	write_sysreg(gpccr_el3, GPCCR_PPS_4GB | GPCCR_IRGN_WBRAWA | GPCCR_ORGN_WBRAWA |
				GPCCR_SH_INNER | GPCCR_PGS_4K | GPCCR_GPC);
	isb();
	pas_hw_tlbi();
}

/* DC CIPAPA, Xt: SYS #6, C7, C14, #1 (written as SYS: not every assembler knows it). */
void pas_hw_cipapa(uint64_t xt)
{
	__asm__ volatile("sys #6, c7, c14, #1, %0" : : "r"(xt) : "memory");
}

void pas_hw_sync(void)
{
	dsb_sy();
}

/* CTR_EL0.DminLine: log2 of the smallest D-cache line in 4-byte words. */
unsigned int pas_hw_line_size(void)
{
	return 4U << ((read_sysreg(ctr_el0) >> 16) & 0xFU);
}
