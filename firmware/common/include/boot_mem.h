/*
 * The memory layout the EL3 monitor derives from the device tree at boot
 * and hands to the RMM and the host in registers (docs/firmware.md,
 * "Boot arguments"):
 *
 *   RMM, every CPU (Realm EL2 entry):  x0 = CPU index,
 *       x1 = DRAM base, x2 = DRAM size, x3 = delegable base, x4 = delegable size
 *   host, CPU 0 (Normal EL2 entry):
 *       x0 = DRAM base, x1 = DRAM size, x2 = delegable base, x3 = delegable size,
 *       x4 = PA of the device tree blob
 *   host, other CPUs (PSCI CPU_ON):    x0 = context id, as PSCI says
 *
 * DRAM is [dram_base, dram_base + dram_size); the delegable range (the NS
 * memory the host may give to realms, whose granules the RMM tracks) is
 * [ns_base, ns_base + ns_size), inside DRAM, both 2 MB aligned.
 */
#ifndef BOOT_MEM_H
#define BOOT_MEM_H

#include <stdint.h>

struct boot_mem {
	uint64_t dram_base, dram_size;
	uint64_t ns_base, ns_size;
};

#endif /* BOOT_MEM_H */
