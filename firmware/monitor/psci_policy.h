/*
 * The decisions of the monitor's PSCI service, without locks, power
 * or hardware (psci.c does those): what each call answers for a given
 * CPU power state.  Unit-tested natively (monitor/tests).
 */
#ifndef MONITOR_PSCI_POLICY_H
#define MONITOR_PSCI_POLICY_H

#include <boot_mem.h>
#include <stdbool.h>
#include <stdint.h>

#include <smc.h>

#define PSCI_VERSION_1_1		0x10001UL
#define PSCI_CPU_ON_AARCH64_FID		0xC4000003UL
/* Also in smc.h for the RMM's realm PSCI: the same spelling, so no clash. */
#ifndef PSCI_AFFINITY_INFO_AARCH64
#define PSCI_AFFINITY_INFO_AARCH64	0xC4000004UL
#endif
#ifndef PSCI_SYSTEM_RESET
#define PSCI_SYSTEM_RESET		0x84000009UL
#endif
#ifndef PSCI_INVALID_ADDRESS
#define PSCI_INVALID_ADDRESS	((unsigned long)-9L)
#endif
#define PSCI_ON_PENDING			((unsigned long)-5L)
#define PSCI_AFF_ON			0UL
#define PSCI_AFF_OFF			1UL
#define PSCI_AFF_ON_PENDING		2UL

enum cpu_power { CPU_OFF_STATE = 0, CPU_ON_PENDING_STATE, CPU_ON_STATE };

/* PSCI function IDs: the SMC32/SMC64 standard-service range 0x84000000-0x8400001F. */
bool psci_is_fid(uint64_t fid);
/* MPIDR -> CPU index (Aff0 only, no other bit set), or PLAT_MAX_CPUS. */
unsigned int psci_target_cpu(uint64_t mpidr);
/* A CPU_ON entry point: 4-byte aligned, in NS DRAM from the host image up. */
bool psci_ns_entry_valid(uint64_t entry, const struct boot_mem *m);
/* PSCI_FEATURES(fid): SUCCESS for the calls served, else NOT_SUPPORTED. */
uint64_t psci_features(uint64_t fid);
/*
 * CPU_ON(mpidr, entry): INVALID_PARAMETERS (no such CPU), INVALID_ADDRESS,
 * ALREADY_ON, ON_PENDING, or SUCCESS, in that order of checks; *cpu gets
 * the target on SUCCESS.  states[] = each CPU's enum cpu_power.
 */
uint64_t psci_cpu_on_result(uint64_t mpidr, uint64_t entry, const struct boot_mem *m,
			    const uint32_t *states, unsigned int *cpu);
/* AFFINITY_INFO(mpidr, lowest level): ON, OFF, ON_PENDING or INVALID_PARAMETERS. */
uint64_t psci_affinity_info(uint64_t mpidr, uint64_t level, const uint32_t *states);

#endif /* MONITOR_PSCI_POLICY_H */
