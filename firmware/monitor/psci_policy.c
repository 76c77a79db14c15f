/* PSCI decisions of the monitor (see psci_policy.h); PSCI 1.1, DEN0022. */
#include <plat_memory.h>
#include <psci_policy.h>
#include <smc.h>

bool psci_is_fid(uint64_t fid)
{
	return (fid & 0xBFFFFFE0UL) == 0x84000000UL;
}

unsigned int psci_target_cpu(uint64_t mpidr)
{
	if ((mpidr & ~0xFFUL) != 0UL || (mpidr & 0xFFUL) >= PLAT_MAX_CPUS) {
		return PLAT_MAX_CPUS;
	}
	return (unsigned int)mpidr;
}

bool psci_ns_entry_valid(uint64_t entry, const struct boot_mem *m)
{
	return entry >= PLAT_HOST_BASE && entry < m->dram_base + m->dram_size &&
	       (entry & 3UL) == 0UL;
}

uint64_t psci_features(uint64_t fid)
{
	switch (fid) {
	case PSCI_VERSION:
	case PSCI_FEATURES:
	case PSCI_CPU_ON_AARCH64_FID:
	case PSCI_CPU_OFF:
	case PSCI_AFFINITY_INFO_AARCH64:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
		return PSCI_SUCCESS;
	default:
		return PSCI_NOT_SUPPORTED;
	}
}

uint64_t psci_cpu_on_result(uint64_t mpidr, uint64_t entry, const struct boot_mem *m,
			    const uint32_t *states, unsigned int *cpu)
{
	unsigned int target = psci_target_cpu(mpidr);

	if (target == PLAT_MAX_CPUS) {
		return PSCI_INVALID_PARAMETERS;
	}
	if (!psci_ns_entry_valid(entry, m)) {
		return PSCI_INVALID_ADDRESS;
	}
	if (states[target] == CPU_ON_STATE) {
		return PSCI_ALREADY_ON;
	}
	if (states[target] == CPU_ON_PENDING_STATE) {
		return PSCI_ON_PENDING;
	}
	*cpu = target;
	return PSCI_SUCCESS;
}

uint64_t psci_affinity_info(uint64_t mpidr, uint64_t level, const uint32_t *states)
{
	unsigned int target = psci_target_cpu(mpidr);

	if (target == PLAT_MAX_CPUS || level != 0UL) {
		return PSCI_INVALID_PARAMETERS;
	}
	switch (states[target]) {
	case CPU_ON_STATE:
		return PSCI_AFF_ON;
	case CPU_ON_PENDING_STATE:
		return PSCI_AFF_ON_PENDING;
	default:
		return PSCI_AFF_OFF;
	}
}
