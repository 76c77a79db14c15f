/*
 * Granule Protection Table (FEAT_RME): PPS = 4 GB, PGS = 4 KB,
 * L0GPTSZ = 1 GB (QEMU's reset value).  L0 has 4 entries; the first GB
 * (flash, devices) and the GBs above DRAM are GPI ALL blocks; the DRAM GB
 * 0x40000000-0x7FFFFFFF has an L1 table of 4-bit GPIs per granule.
 */
#ifndef GPT_H
#define GPT_H

#include <stdbool.h>
#include <stdint.h>

#define GPI_NO_ACCESS	0x0U
#define GPI_SECURE	0x8U
#define GPI_NS		0x9U
#define GPI_ROOT	0xAU
#define GPI_REALM	0xBU
#define GPI_ANY		0xFU

/* Build the tables for the platform memory map (once, CPU 0). */
void gpt_build(void);
/* Point this CPU at the tables and enable GPC (every CPU). */
void gpt_enable(void);
unsigned int gpt_get_gpi(uint64_t pa);
/* Change one granule's GPI from `from` to `to`; false if it was not `from`. */
bool gpt_transition(uint64_t pa, unsigned int from, unsigned int to);

#endif /* GPT_H */
