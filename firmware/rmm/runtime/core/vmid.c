/* VMID allocator: a realm's VMID must be unique while the realm exists. */
#include <realm.h>

static uint64_t vmid_bits[(REALM_MAX_VMID + 1U) / 64U];

bool vmid_reserve(unsigned int vmid)
{
	uint64_t bit = 1UL << (vmid % 64U);

	if (vmid > REALM_MAX_VMID || (vmid_bits[vmid / 64U] & bit) != 0UL) {
		return false;
	}
	vmid_bits[vmid / 64U] |= bit;
	return true;
}

void vmid_free(unsigned int vmid)
{
	RMM_ASSERT(vmid <= REALM_MAX_VMID);
	vmid_bits[vmid / 64U] &= ~(1UL << (vmid % 64U));
}

void vmid_reset(void)
{
	unsigned int i;

	for (i = 0U; i < ARRAY_SIZE(vmid_bits); i++) {
		vmid_bits[i] = 0UL;
	}
}
