/*
 * Stage-1 translation tables for the RMM's own address space (EL2
 * translation regime, HCR_EL2.E2H = 0, 4 KB granule, 39-bit VA: the walk
 * starts at level 1), and for the EL3 monitor's (the same descriptor
 * format; EL3 adds NSE to choose the Root or Realm PAS).  A region is mapped with 2 MB level-2 blocks where
 * VA, PA and size allow, else 4 KB level-3 pages, so every region gets
 * exactly its own permissions: nothing is mapped that was not asked for.
 * Portable: the native unit tests check the descriptors bit by bit; the
 * tables refer to each other by address (= PA on the RMM, VA = PA there).
 *
 * Descriptor bits used (Arm ARM D8.3, stage 1, one-privilege regime):
 *   [1:0] 0b11 table/page, 0b01 block; [4:2] AttrIndx (MAIR_EL2 index);
 *   [5] NS (output in the Non-secure PAS); [7] AP[2] (1 = read-only);
 *   [6] AP[1] (RES1 in a regime with one privilege level); [9:8] SH;
 *   [10] AF; [11] NSE (EL3 only: with NS, 0b10 Root, 0b11 Realm); [54] XN.
 */
#ifndef XLAT_H
#define XLAT_H

#include <stdbool.h>
#include <stdint.h>

#define XLAT_VA_BITS		39U
#define XLAT_ENTRIES		512U
#define XLAT_BLOCK_SIZE		(1UL << 21)	/* level 2 */
#define XLAT_PAGE_SIZE		(1UL << 12)	/* level 3 */

#define XLAT_DESC_VALID		(1UL << 0)
#define XLAT_DESC_TABLE		(1UL << 1)	/* table (L1, L2) or page (L3) */
#define XLAT_ATTR_INDX_SHIFT	2
#define XLAT_NS			(1UL << 5)
#define XLAT_AP1_RES1		(1UL << 6)
#define XLAT_AP2_RO		(1UL << 7)
#define XLAT_SH_INNER		(3UL << 8)
#define XLAT_AF			(1UL << 10)
#define XLAT_NSE_BIT		(1UL << 11)
#define XLAT_XN			(1UL << 54)
#define XLAT_ADDR_MASK		0x0000FFFFFFFFF000UL

/* MAIR_EL2 as the RMM programs it: index 0 Device-nGnRnE, 1 Normal WB RAWA. */
#define XLAT_MAIR		0xFF00UL
#define XLAT_MAIR_DEVICE	0U
#define XLAT_MAIR_NORMAL	1U

/* What a region is: memory type and permissions (flags, combined). */
#define XLAT_MT_DEVICE		0x0U
#define XLAT_MT_NORMAL		0x1U
#define XLAT_RO			0x2U	/* else read-write */
#define XLAT_EXEC		0x4U	/* else execute-never */
#define XLAT_NS_PAS		0x8U	/* output in the Non-secure PAS */
#define XLAT_NSE		0x10U	/* EL3: Root PAS, or Realm with XLAT_NS_PAS */

#define XLAT_CODE	(XLAT_MT_NORMAL | XLAT_RO | XLAT_EXEC)
#define XLAT_RODATA	(XLAT_MT_NORMAL | XLAT_RO)
#define XLAT_RWDATA	(XLAT_MT_NORMAL)
#define XLAT_DEV	(XLAT_MT_DEVICE)

enum xlat_status {
	XLAT_OK = 0,
	XLAT_E_ALIGN,		/* VA, PA or size not 4 KB aligned, or size 0 */
	XLAT_E_RANGE,		/* VA beyond the 39-bit space, or PA beyond 48 bits */
	XLAT_E_OVERLAP,		/* part of the VA range is already mapped */
	XLAT_E_NOMEM,		/* the table pool is used up */
	XLAT_E_ATTR,		/* writable and executable: refused (W^X) */
};

typedef uint64_t xlat_table_t[XLAT_ENTRIES];

struct xlat_ctx {
	xlat_table_t *pool;	/* pool[0] is the level-1 (root) table */
	unsigned int pool_size, used;
};

/* Start with an empty root; pool entries must be 4 KB aligned. */
void xlat_init(struct xlat_ctx *c, xlat_table_t *pool, unsigned int pool_size);
/* Map [va, va + size) to [pa, ...) as `flags` (XLAT_*); nothing changes on error. */
enum xlat_status xlat_map(struct xlat_ctx *c, uint64_t va, uint64_t pa, uint64_t size,
			  unsigned int flags);
/* The leaf descriptor bits (no address, no type) for `flags` at `level` 2 or 3. */
uint64_t xlat_leaf_attrs(unsigned int flags);
/* Software walk: the leaf descriptor of va and its level (0 if unmapped). */
uint64_t xlat_lookup(const struct xlat_ctx *c, uint64_t va, unsigned int *level);

#endif /* XLAT_H */
