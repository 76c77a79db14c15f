/*
 * GPT construction and lookups for the EL3 monitor.  Written from the Arm
 * ARM (FEAT_RME, "Granule Protection Table formats"); the register values
 * were checked on QEMU 10 (design/QEMU-RME-NOTES.md).  Portable: the
 * native unit tests build it too.
 */
#include <fw_utils.h>
#include <gpt.h>
#include <plat_memory.h>

#define GB			(1UL << 30)
#define L0_BLOCK(gpi)		(((uint64_t)(gpi) << 4) | 0x1UL)
#define L0_TABLE(pa)		((uint64_t)(pa) | 0x3UL)

/* Each L1 table must be aligned to its size (128 KB), or the walk faults. */
static uint64_t gpt_l0[512] __attribute__((aligned(4096)));
static uint64_t gpt_l1[GPT_L1_TABLES][GPT_L1_ENTRIES] __attribute__((aligned(0x20000)));

const uint64_t *gpt_l0_table(void)
{
	return gpt_l0;
}

static uint64_t fill(unsigned int gpi)
{
	uint64_t v = 0UL;
	unsigned int i;

	for (i = 0U; i < 16U; i++) {
		v |= (uint64_t)gpi << (4U * i);
	}
	return v;
}

/* The L1 entry holding pa's GPI and its shift, or NULL if no L1 covers pa. */
static uint64_t *l1_entry(uint64_t pa, unsigned int *shift)
{
	uint64_t gb = pa / GB, off;

	if (gb < 1U || gb > GPT_L1_TABLES || (gpt_l0[gb] & 0x3UL) != 0x3UL) {
		return NULL;
	}
	off = (pa % GB) >> GRANULE_SHIFT;
	*shift = (unsigned int)(off % 16U) * 4U;
	return &gpt_l1[gb - 1U][off / 16U];
}

unsigned int gpt_get_gpi(uint64_t pa)
{
	unsigned int shift;
	uint64_t *e;

	if (pa >= GPT_L0_ENTRIES * GB) {
		return GPI_NO_ACCESS;
	}
	e = l1_entry(pa, &shift);
	if (e == NULL) {
		return (unsigned int)(gpt_l0[pa / GB] >> 4) & 0xFU;
	}
	return (unsigned int)(*e >> shift) & 0xFU;
}

bool gpt_set_gpi(uint64_t pa, unsigned int gpi)
{
	unsigned int shift;
	uint64_t *e = l1_entry(pa, &shift);

	if (e == NULL) {
		return false;
	}
	*e = (*e & ~(0xFUL << shift)) | ((uint64_t)gpi << shift);
	return true;
}

/* A range of granules; whole 64 KB L1 entries at a time where aligned. */
static void set_range(uint64_t base, uint64_t size, unsigned int gpi)
{
	uint64_t pa = base, top = base + size;
	unsigned int shift;

	while (pa < top) {
		uint64_t *e = l1_entry(pa, &shift);

		if (e != NULL && shift == 0U && top - pa >= 16U * GRANULE_SIZE) {
			*e = fill(gpi);
			pa += 16U * GRANULE_SIZE;
		} else {
			(void)gpt_set_gpi(pa, gpi);
			pa += GRANULE_SIZE;
		}
	}
}

void gpt_build(const struct boot_mem *m)
{
	uint64_t dram_top = m->dram_base + m->dram_size;
	unsigned int i, j;

	gpt_l0[0] = L0_BLOCK(GPI_ANY);		/* flash, GIC, UART, ... */
	for (i = 1U; i < GPT_L0_ENTRIES; i++) {
		if (i * GB < dram_top) {
			gpt_l0[i] = L0_TABLE((uint64_t)(uintptr_t)gpt_l1[i - 1U]);
			for (j = 0U; j < GPT_L1_ENTRIES; j++) {
				gpt_l1[i - 1U][j] = fill(GPI_NS);
			}
		} else {
			gpt_l0[i] = L0_BLOCK(GPI_NO_ACCESS);
		}
	}
	for (i = GPT_L0_ENTRIES; i < 512U; i++) {
		gpt_l0[i] = 0UL;
	}
	/* Past the end of DRAM in its last GB: nothing there, no access. */
	if (dram_top % GB != 0U) {
		set_range(dram_top, GB - dram_top % GB, GPI_NO_ACCESS);
	}
	set_range(PLAT_MONITOR_BASE, PLAT_MONITOR_SIZE, GPI_ROOT);
	set_range(PLAT_RMM_BASE, PLAT_RMM_SIZE, GPI_REALM);
}
