/*
 * GPT construction and granule transitions for the EL3 monitor.  Written
 * from the Arm ARM (FEAT_RME, "Granule Protection Table formats"); the
 * register values were checked on QEMU 10 (design/QEMU-RME-NOTES.md).
 */
#include <arch_helpers.h>
#include <fw_utils.h>
#include <gpt.h>
#include <plat_memory.h>

#define L0_ENTRIES		4U		/* 4 GB / 1 GB */
#define L1_ENTRIES		16384U		/* 1 GB / 64 KB */
#define L0_BLOCK(gpi)		(((uint64_t)(gpi) << 4) | 0x1UL)
#define L0_TABLE(pa)		((uint64_t)(pa) | 0x3UL)
#define GPCCR_PPS_4GB		(0UL << 0)
#define GPCCR_IRGN_WBRAWA	(1UL << 8)
#define GPCCR_ORGN_WBRAWA	(1UL << 10)
#define GPCCR_SH_INNER		(3UL << 12)
#define GPCCR_PGS_4K		(0UL << 14)
#define GPCCR_GPC		(1UL << 16)

/* The L1 table must be aligned to its size (128 KB), or the walk faults. */
static uint64_t gpt_l0[512] __attribute__((aligned(4096)));
static uint64_t gpt_l1[L1_ENTRIES] __attribute__((aligned(0x20000)));

static uint64_t fill(unsigned int gpi)
{
	uint64_t v = 0UL;
	unsigned int i;

	for (i = 0U; i < 16U; i++) {
		v |= (uint64_t)gpi << (4U * i);
	}
	return v;
}

static void set_gpi(uint64_t pa, unsigned int gpi)
{
	uint64_t off = (pa - PLAT_DRAM_BASE) >> GRANULE_SHIFT;
	unsigned int shift = (unsigned int)(off % 16U) * 4U;
	uint64_t *e = &gpt_l1[off / 16U];

	*e = (*e & ~(0xFUL << shift)) | ((uint64_t)gpi << shift);
}

unsigned int gpt_get_gpi(uint64_t pa)
{
	uint64_t off = (pa - PLAT_DRAM_BASE) >> GRANULE_SHIFT;

	return (unsigned int)(gpt_l1[off / 16U] >> ((off % 16U) * 4U)) & 0xFU;
}

static void set_range(uint64_t base, uint64_t size, unsigned int gpi)
{
	uint64_t pa;

	for (pa = base; pa < base + size; pa += GRANULE_SIZE) {
		set_gpi(pa, gpi);
	}
}

static void tlbi_gpt(void)
{
	dsb_ishst();
	__asm__ volatile("tlbi paallos" : : : "memory");
	dsb_sy();
	isb();
}

void gpt_build(void)
{
	unsigned int i;

	for (i = 0U; i < L1_ENTRIES; i++) {
		gpt_l1[i] = fill(GPI_NS);	/* DRAM defaults to Normal world */
	}
	set_range(PLAT_MONITOR_BASE, PLAT_MONITOR_SIZE, GPI_ROOT);
	set_range(PLAT_RMM_BASE, PLAT_RMM_SIZE, GPI_REALM);

	gpt_l0[0] = L0_BLOCK(GPI_ANY);		/* flash, GIC, UART, ... */
	gpt_l0[1] = L0_TABLE((uint64_t)(uintptr_t)gpt_l1);
	gpt_l0[2] = L0_BLOCK(GPI_ANY);
	gpt_l0[3] = L0_BLOCK(GPI_ANY);
	for (i = L0_ENTRIES; i < 512U; i++) {
		gpt_l0[i] = 0UL;
	}
	dsb_sy();
}

/* GPTBR_EL3 and GPCCR_EL3 are per CPU: every CPU enables GPC itself. */
void gpt_enable(void)
{
	write_sysreg(gptbr_el3, (uint64_t)(uintptr_t)gpt_l0 >> 12);
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
	set_gpi(pa, to);
	tlbi_gpt();
	return true;
}
