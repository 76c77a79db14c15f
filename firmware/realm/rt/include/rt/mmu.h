/*
 * Stage-1 translation tables for realm code (VMSAv8-64, 4 KB granule,
 * 39-bit VA, walks start at level 1 with one 512-entry table).  The same
 * code builds the runtime's own map at boot (MMU off) and, in a realm
 * kernel, one table per application address space.
 *
 * Mappings use 2 MB level-2 blocks where VA, PA and the remaining size
 * allow it and 4 KB pages elsewhere.  Memory types come from MAIR_EL1 as
 * rt_mmu_enable programs it.  Every mapping is execute-never at the level
 * that does not own it (kernel pages UXN, user pages PXN) and WXN is on,
 * so nothing is both writable and executable.
 */
#ifndef RT_MMU_H
#define RT_MMU_H

#include <stdbool.h>
#include <stdint.h>

#define RT_PAGE_SIZE	4096UL
#define RT_BLOCK_SIZE	(2UL << 20)
#define RT_VA_BITS	39U

/* What a range is mapped as. */
enum rt_map_attr {
	RT_MAP_KERNEL_RX,	/* EL1 read + execute */
	RT_MAP_KERNEL_RO,	/* EL1 read */
	RT_MAP_KERNEL_RW,	/* EL1 read + write */
	RT_MAP_DEVICE,		/* EL1 read + write, Device-nGnRE */
	RT_MAP_USER_RX,		/* EL0 read + execute, EL1 read */
	RT_MAP_USER_RO,		/* EL0 and EL1 read */
	RT_MAP_USER_RW,		/* EL0 and EL1 read + write */
};

/* Returns a zero-filled, 4 KB-aligned table whose VA is its PA, or NULL. */
typedef uint64_t *(*rt_table_alloc_fn)(void *arg);

struct rt_pt {
	uint64_t *root;			/* level-1 table */
	rt_table_alloc_fn alloc;
	void *arg;
	uint16_t asid;			/* for TLB maintenance of nG (user) entries */
};

/* Error codes (negative): */
#define RT_PT_EINVAL	(-1)	/* unaligned, outside the VA space, or wraps */
#define RT_PT_ENOMEM	(-2)	/* no table for the walk */
#define RT_PT_EEXIST	(-3)	/* part of the range is already mapped */
#define RT_PT_EPARTIAL	(-4)	/* unmap would split a block */

/*
 * Maps [va, va + size) to [pa, pa + size).  Page-aligned; refuses to
 * replace a live entry (no break-before-make needed).  On failure nothing
 * new stays mapped.
 */
int rt_pt_map(struct rt_pt *pt, uint64_t va, uint64_t pa, uint64_t size, enum rt_map_attr attr);

/*
 * Unmaps [va, va + size) with TLB invalidation before it returns.  Holes
 * are fine; a block that is only partly inside the range is refused.
 * Intermediate tables stay.
 */
int rt_pt_unmap(struct rt_pt *pt, uint64_t va, uint64_t size);

/* The descriptor that translates va (page or block), or 0. */
uint64_t rt_pt_lookup(const struct rt_pt *pt, uint64_t va, unsigned int *level);

/* Output address of a page or block descriptor. */
uint64_t rt_pt_desc_pa(uint64_t desc);

/*
 * Programs MAIR/TCR/TTBR0 for `root` (ASID 0), invalidates the TLB and
 * turns the MMU, caches, WXN and (if implemented) PAN on.
 */
void rt_mmu_enable(uint64_t *root);

/* TTBR0_EL1 value for an address space. */
static inline uint64_t rt_pt_ttbr(const struct rt_pt *pt)
{
	return (uint64_t)(uintptr_t)pt->root | ((uint64_t)pt->asid << 48);
}

#endif /* RT_MMU_H */
