/*
 * Stage-1 translation tables (see include/rt/mmu.h).  Built with
 * -mgeneral-regs-only -mstrict-align and without library calls: it runs
 * with the MMU off, where memory is Device and unaligned or FP/SIMD
 * accesses would fault.
 */
#include <stddef.h>

#include <rt/mmu.h>

#define DESC_VALID	0x1UL
#define DESC_TABLE	0x3UL		/* level 1/2 table, level 3 page */
#define DESC_BLOCK	0x1UL		/* level 1/2 block */
#define DESC_TYPE_MASK	0x3UL
#define ATTR_IDX(n)	((uint64_t)(n) << 2)
#define AP_EL1_RW	(0UL << 6)
#define AP_BOTH_RW	(1UL << 6)
#define AP_EL1_RO	(2UL << 6)
#define AP_BOTH_RO	(3UL << 6)
#define SH_INNER	(3UL << 8)
#define AF		(1UL << 10)
#define NG		(1UL << 11)
#define PXN		(1UL << 53)
#define UXN		(1UL << 54)
#define OA_MASK		0x0000FFFFFFFFF000UL

#define MAIR_IDX_DEVICE	0U		/* Device-nGnRE */
#define MAIR_IDX_NORMAL	1U		/* Normal, inner/outer write-back, read/write-allocate */
#define MAIR_VALUE	((0x04UL << (8U * MAIR_IDX_DEVICE)) | (0xFFUL << (8U * MAIR_IDX_NORMAL)))

#define TCR_T0SZ	(64UL - RT_VA_BITS)
#define TCR_IRGN0_WBWA	(1UL << 8)
#define TCR_ORGN0_WBWA	(1UL << 10)
#define TCR_SH0_INNER	(3UL << 12)
#define TCR_EPD1	(1UL << 23)	/* no TTBR1 walks */
#define TCR_IPS_40	(2UL << 32)	/* realm IPA widths here are <= 40 bits */

#define SCTLR_M		(1UL << 0)
#define SCTLR_C		(1UL << 2)
#define SCTLR_SA	(1UL << 3)
#define SCTLR_SA0	(1UL << 4)
#define SCTLR_I		(1UL << 12)
#define SCTLR_DZE	(1UL << 14)	/* EL0 may use DC ZVA (picolibc's memset does) */
#define SCTLR_UCT	(1UL << 15)	/* EL0 may read CTR_EL0 */
#define SCTLR_WXN	(1UL << 19)
#define SCTLR_SPAN	(1UL << 23)	/* 0: PSTATE.PAN is set on every exception to EL1 */
/* RES1 bits of SCTLR_EL1 (ARMv8.0) plus EIS/EOS/TSCXT/nTLSMD/LSMAOE. */
#define SCTLR_RES1	0x30D00800UL

static uint64_t attr_bits(enum rt_map_attr attr)
{
	uint64_t normal = ATTR_IDX(MAIR_IDX_NORMAL) | SH_INNER | AF;

	switch (attr) {
	case RT_MAP_KERNEL_RX:
		return normal | AP_EL1_RO | UXN;
	case RT_MAP_KERNEL_RO:
		return normal | AP_EL1_RO | UXN | PXN;
	case RT_MAP_KERNEL_RW:
		return normal | AP_EL1_RW | UXN | PXN;
	case RT_MAP_DEVICE:
		return ATTR_IDX(MAIR_IDX_DEVICE) | AF | AP_EL1_RW | UXN | PXN;
	case RT_MAP_USER_RX:
		return normal | AP_BOTH_RO | NG | PXN;
	case RT_MAP_USER_RO:
		return normal | AP_BOTH_RO | NG | PXN | UXN;
	case RT_MAP_USER_RW:
		return normal | AP_BOTH_RW | NG | PXN | UXN;
	default:
		return 0UL;
	}
}

static unsigned int idx(uint64_t va, unsigned int level)
{
	return (unsigned int)((va >> (39U - 9U * level)) & 0x1FFUL);
}

uint64_t rt_pt_desc_pa(uint64_t desc)
{
	return desc & OA_MASK;
}

static uint64_t *table_of(uint64_t desc)
{
	return (uint64_t *)(uintptr_t)(desc & OA_MASK);
}

/* The next-level table under entry i of `table`, allocated if absent. */
static uint64_t *next_table(struct rt_pt *pt, uint64_t *table, unsigned int i, bool alloc)
{
	uint64_t e = table[i];
	uint64_t *t;

	if ((e & DESC_TYPE_MASK) == DESC_TABLE) {
		return table_of(e);
	}
	if ((e & DESC_VALID) != 0UL || !alloc || pt->alloc == NULL) {
		return NULL;	/* a block is there, or nothing and no allocation */
	}
	t = pt->alloc(pt->arg);
	if (t == NULL || ((uintptr_t)t & (RT_PAGE_SIZE - 1U)) != 0U) {
		return NULL;
	}
	__asm__ volatile("dsb ishst" : : : "memory");	/* zeroed table before it is linked */
	table[i] = (uint64_t)(uintptr_t)t | DESC_TABLE;
	return t;
}

static bool range_ok(uint64_t va, uint64_t pa, uint64_t size)
{
	uint64_t top = 1UL << RT_VA_BITS;

	return size != 0UL && ((va | pa | size) & (RT_PAGE_SIZE - 1U)) == 0UL && va < top &&
	       size <= top - va && pa + size > pa;
}

int rt_pt_map(struct rt_pt *pt, uint64_t va, uint64_t pa, uint64_t size, enum rt_map_attr attr)
{
	uint64_t bits = attr_bits(attr), off = 0UL;
	int ret = 0;

	if (pt == NULL || pt->root == NULL || bits == 0UL || !range_ok(va, pa, size)) {
		return RT_PT_EINVAL;
	}
	while (off < size) {
		uint64_t v = va + off, p = pa + off, left = size - off;
		uint64_t *l2 = next_table(pt, pt->root, idx(v, 1U), true), *l3;

		if (l2 == NULL) {
			ret = ((pt->root[idx(v, 1U)] & DESC_VALID) != 0UL) ? RT_PT_EEXIST : RT_PT_ENOMEM;
			break;
		}
		if (((v | p) & (RT_BLOCK_SIZE - 1U)) == 0UL && left >= RT_BLOCK_SIZE) {
			if (l2[idx(v, 2U)] != 0UL) {
				ret = RT_PT_EEXIST;
				break;
			}
			l2[idx(v, 2U)] = p | bits | DESC_BLOCK;
			off += RT_BLOCK_SIZE;
			continue;
		}
		l3 = next_table(pt, l2, idx(v, 2U), true);
		if (l3 == NULL) {
			ret = ((l2[idx(v, 2U)] & DESC_VALID) != 0UL) ? RT_PT_EEXIST : RT_PT_ENOMEM;
			break;
		}
		if ((l3[idx(v, 3U)] & DESC_VALID) != 0UL) {
			ret = RT_PT_EEXIST;
			break;
		}
		l3[idx(v, 3U)] = p | bits | DESC_TABLE;
		off += RT_PAGE_SIZE;
	}
	__asm__ volatile("dsb ishst\n\tisb" : : : "memory");
	if (ret != 0 && off != 0UL) {
		(void)rt_pt_unmap(pt, va, off);
	}
	return ret;
}

static void tlbi_page(const struct rt_pt *pt, uint64_t va, uint64_t desc)
{
	uint64_t arg = (va >> 12) & ((1UL << 44) - 1UL);

	if ((desc & NG) != 0UL) {
		arg |= (uint64_t)pt->asid << 48;
		__asm__ volatile("tlbi vae1is, %0" : : "r"(arg) : "memory");
	} else {
		__asm__ volatile("tlbi vaae1is, %0" : : "r"(arg) : "memory");
	}
}

int rt_pt_unmap(struct rt_pt *pt, uint64_t va, uint64_t size)
{
	uint64_t off = 0UL;

	if (pt == NULL || pt->root == NULL || !range_ok(va, 0UL, size)) {
		return RT_PT_EINVAL;
	}
	/* First pass: refuse before changing anything if a block would split. */
	while (off < size) {
		uint64_t v = va + off;
		uint64_t *l2 = next_table(pt, pt->root, idx(v, 1U), false);
		uint64_t e;

		if (l2 == NULL) {
			off += (1UL << 30) - (v & ((1UL << 30) - 1UL));
			continue;
		}
		e = l2[idx(v, 2U)];
		if ((e & DESC_TYPE_MASK) == DESC_BLOCK &&
		    ((v & (RT_BLOCK_SIZE - 1U)) != 0UL || size - off < RT_BLOCK_SIZE)) {
			return RT_PT_EPARTIAL;
		}
		off += RT_BLOCK_SIZE - (v & (RT_BLOCK_SIZE - 1U));
	}
	for (off = 0UL; off < size;) {
		uint64_t v = va + off;
		uint64_t *l2 = next_table(pt, pt->root, idx(v, 1U), false), *l3;
		uint64_t e;

		if (l2 == NULL) {
			off += (1UL << 30) - (v & ((1UL << 30) - 1UL));
			continue;
		}
		e = l2[idx(v, 2U)];
		if ((e & DESC_TYPE_MASK) == DESC_BLOCK) {
			l2[idx(v, 2U)] = 0UL;
			__asm__ volatile("dsb ishst" : : : "memory");
			tlbi_page(pt, v, e);
			off += RT_BLOCK_SIZE;
			continue;
		}
		l3 = next_table(pt, l2, idx(v, 2U), false);
		if (l3 == NULL) {
			off += RT_BLOCK_SIZE - (v & (RT_BLOCK_SIZE - 1U));
			continue;
		}
		e = l3[idx(v, 3U)];
		if ((e & DESC_VALID) != 0UL) {
			l3[idx(v, 3U)] = 0UL;
			__asm__ volatile("dsb ishst" : : : "memory");
			tlbi_page(pt, v, e);
		}
		off += RT_PAGE_SIZE;
	}
	__asm__ volatile("dsb ish\n\tisb" : : : "memory");
	return 0;
}

uint64_t rt_pt_lookup(const struct rt_pt *pt, uint64_t va, unsigned int *level)
{
	uint64_t e;
	uint64_t *t;

	if (pt == NULL || pt->root == NULL || va >= (1UL << RT_VA_BITS)) {
		return 0UL;
	}
	e = pt->root[idx(va, 1U)];
	if ((e & DESC_TYPE_MASK) != DESC_TABLE) {
		return 0UL;
	}
	t = table_of(e);
	e = t[idx(va, 2U)];
	if ((e & DESC_TYPE_MASK) == DESC_BLOCK) {
		if (level != NULL) {
			*level = 2U;
		}
		return e;
	}
	if ((e & DESC_TYPE_MASK) != DESC_TABLE) {
		return 0UL;
	}
	e = table_of(e)[idx(va, 3U)];
	if ((e & DESC_TYPE_MASK) != DESC_TABLE) {
		return 0UL;
	}
	if (level != NULL) {
		*level = 3U;
	}
	return e;
}

void rt_mmu_enable(uint64_t *root)
{
	uint64_t mmfr1, sctlr;

	__asm__ volatile("msr mair_el1, %0" : : "r"(MAIR_VALUE));
	__asm__ volatile("msr tcr_el1, %0" : : "r"(TCR_T0SZ | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA |
						   TCR_SH0_INNER | TCR_EPD1 | TCR_IPS_40));
	__asm__ volatile("msr ttbr0_el1, %0" : : "r"((uint64_t)(uintptr_t)root));
	__asm__ volatile("isb\n\ttlbi vmalle1\n\tdsb nsh\n\tic iallu\n\tdsb nsh\n\tisb" : : : "memory");
	sctlr = SCTLR_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_SA0 | SCTLR_I | SCTLR_DZE |
		SCTLR_UCT | SCTLR_WXN;
	__asm__ volatile("mrs %0, id_aa64mmfr1_el1" : "=r"(mmfr1));
	if (((mmfr1 >> 20) & 0xFUL) != 0UL) {
		sctlr &= ~SCTLR_SPAN;	/* FEAT_PAN: EL1 never touches EL0 memory by accident */
	}
	__asm__ volatile("msr sctlr_el1, %0\n\tisb" : : "r"(sctlr) : "memory");
	if (((mmfr1 >> 20) & 0xFUL) != 0UL) {
		__asm__ volatile(".arch armv8.1-a\n\tmsr pan, #1\n\tisb" : : : "memory");
	}
}
