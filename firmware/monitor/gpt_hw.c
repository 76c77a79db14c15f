/*
 * The aarch64 side of the GPT: enabling the GPC on a CPU, GPT TLB
 * invalidation, and granule transitions.
 */
#include <arch_helpers.h>
#include <fw_utils.h>
#include <gpt.h>

#define GPCCR_PPS_4GB		(0UL << 0)
#define GPCCR_IRGN_WBRAWA	(1UL << 8)
#define GPCCR_ORGN_WBRAWA	(1UL << 10)
#define GPCCR_SH_INNER		(3UL << 12)
#define GPCCR_PGS_4K		(0UL << 14)
#define GPCCR_GPC		(1UL << 16)

static void tlbi_gpt(void)
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
	tlbi_gpt();
}

/*
 * Clean+invalidate the granule to the Point of Physical Aliasing, so no
 * line tagged with the old PAS survives the change (DC CIPAPA, written as a
 * SYS encoding; QEMU models no caches and treats it as a no-op).
 */
static void cipapa_granule(uint64_t pa)
{
	uint64_t line;

	for (line = pa; line < pa + GRANULE_SIZE; line += 64U) {
		__asm__ volatile("sys #6, c7, c14, #1, %0" : : "r"(line) : "memory");
	}
	dsb_sy();
}

bool gpt_transition(uint64_t pa, unsigned int from, unsigned int to)
{
	if (gpt_get_gpi(pa) != from) {
		return false;
	}
	cipapa_granule(pa);
	(void)gpt_set_gpi(pa, to);
	tlbi_gpt();
	return true;
}
