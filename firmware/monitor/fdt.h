/*
 * The one thing the monitor needs from the flattened device tree QEMU
 * places at the start of RAM: the size of the DRAM region that starts at
 * a given address, from the /memory node(s).  The blob is untrusted input
 * as far as this parser is concerned: every offset, length and string is
 * checked against the blob's bounds before it is read, and the walk is
 * iterative with a depth limit.  Written from the Devicetree Specification
 * v0.4, chapter 5 (flattened format) and section 3.4 (/memory).
 */
#ifndef MONITOR_FDT_H
#define MONITOR_FDT_H

#include <stddef.h>
#include <stdint.h>

#define FDT_MAGIC		0xD00DFEEDU
#define FDT_HEADER_SIZE		40U
#define FDT_MAX_DEPTH		32U

#define FDT_BEGIN_NODE		0x1U
#define FDT_END_NODE		0x2U
#define FDT_PROP		0x3U
#define FDT_NOP			0x4U
#define FDT_END			0x9U

enum fdt_status {
	FDT_OK = 0,
	FDT_E_TRUNCATED,	/* fewer bytes available than the header needs */
	FDT_E_MAGIC,		/* not a flattened device tree */
	FDT_E_VERSION,		/* not compatible with version 17 */
	FDT_E_LAYOUT,		/* blocks outside totalsize, misaligned, overlapping the header */
	FDT_E_STRUCT,		/* bad token, unterminated name, property out of place, depth */
	FDT_E_CELLS,		/* #address-cells / #size-cells other than 1 or 2 */
	FDT_E_REG,		/* malformed reg, a region that wraps, or two at the base */
	FDT_E_NO_MEMORY,	/* no memory region starts at the requested base */
};

/*
 * Parse the blob (at most `avail` bytes readable) and find the reg entry
 * of a node with device_type = "memory" (a child of the root) whose
 * address is exactly `base`; its size goes to *size.  The memory
 * reservation block and regions that start elsewhere are ignored.
 */
enum fdt_status fdt_dram_size(const void *blob, size_t avail, uint64_t base, uint64_t *size);

const char *fdt_status_str(enum fdt_status st);

#endif /* MONITOR_FDT_H */
