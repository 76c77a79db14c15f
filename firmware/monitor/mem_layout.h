/*
 * From the DRAM size the device tree reports to the layout every firmware
 * component uses (boot_mem.h): checked against the platform's bounds,
 * rounded down to 2 MB, delegable range capped at PLAT_NS_DRAM_MAX.
 */
#ifndef MONITOR_MEM_LAYOUT_H
#define MONITOR_MEM_LAYOUT_H

#include <boot_mem.h>

enum mem_layout_status {
	MEM_LAYOUT_OK = 0,
	MEM_LAYOUT_TOO_SMALL,	/* below PLAT_DRAM_MIN after rounding */
	MEM_LAYOUT_TOO_LARGE,	/* DRAM would end above the GPT's 4 GB */
};

enum mem_layout_status mem_layout_from_dram(uint64_t dram_size, struct boot_mem *out);

#endif /* MONITOR_MEM_LAYOUT_H */
