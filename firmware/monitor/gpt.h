/*
 * Granule Protection Table (FEAT_RME): PPS = 4 GB, PGS = 4 KB,
 * L0GPTSZ = 1 GB (QEMU's reset value).  L0 has 4 entries.  GB 0 (flash,
 * devices) is a GPI ALL block; every GB that holds DRAM has an L1 table of
 * 4-bit GPIs per granule (DRAM Normal world by default, the monitor Root,
 * the RMM Realm, the part of the GB past the end of DRAM no access); a GB
 * past the end of DRAM is a no-access block.  The tables are built for
 * the DRAM size the monitor found in the device tree.
 *
 * gpt.c (tables) and pas.c (PAS changes) are portable and unit-tested
 * natively; gpt_hw.c has the aarch64 instructions.
 */
#ifndef GPT_H
#define GPT_H

#include <boot_mem.h>
#include <stdbool.h>
#include <stdint.h>

#define GPI_NO_ACCESS	0x0U
#define GPI_SECURE	0x8U
#define GPI_NS		0x9U
#define GPI_ROOT	0xAU
#define GPI_REALM	0xBU
#define GPI_ANY		0xFU

#define GPT_L0_ENTRIES	4U		/* 4 GB PPS / 1 GB */
#define GPT_L1_ENTRIES	16384U		/* 1 GB / 64 KB per 64-bit entry */
#define GPT_L1_TABLES	3U		/* GB 1..3: DRAM ends at 4 GB at most */

/* Build the tables for this memory layout (once, CPU 0). */
void gpt_build(const struct boot_mem *m);
/* The L0 table (GPTBR_EL3 points at it). */
const uint64_t *gpt_l0_table(void);
/* GPI of any PA in the PPS; GPI_NO_ACCESS above it. */
unsigned int gpt_get_gpi(uint64_t pa);
/* Set one granule's GPI; false if the PA is not covered by an L1 table. */
bool gpt_set_gpi(uint64_t pa, unsigned int gpi);

/* Point this CPU at the tables and enable GPC (every CPU; gpt_hw.c). */
void gpt_enable(void);

/*
 * Change one granule's GPI from `from` to `to` (NS <-> Realm only), with
 * the cache maintenance and TLB invalidation the change needs (pas.c);
 * false, and nothing done, if the granule is not in `from` or the change
 * is not NS <-> Realm.  The caller serialises calls.
 */
bool gpt_transition(uint64_t pa, unsigned int from, unsigned int to);

#endif /* GPT_H */
