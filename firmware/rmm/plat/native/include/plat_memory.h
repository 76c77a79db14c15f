/*
 * Native (fake-host) memory map: a small static buffer stands for the
 * host-delegable DRAM; addresses are offsets from a fake physical base.
 */
#ifndef PLAT_MEMORY_H
#define PLAT_MEMORY_H

#define PLAT_NS_DRAM_BASE	0x80000000UL
#define PLAT_MAX_CPUS		2U
#define PLAT_NS_DRAM_SIZE	0x00800000UL	/* 8 MB = 2048 granules */
#define PLAT_GRANULES_MAX	(PLAT_NS_DRAM_SIZE >> 12)

#endif /* PLAT_MEMORY_H */
