/*
 * VMID allocator: a realm's VMID must be unique while the realm exists.
 * Realms are created and destroyed on any CPU under their own RD locks
 * only, so the bitmap has its own lock.
 */
#include <realm.h>

static uint64_t vmid_bits[(REALM_MAX_VMID + 1U) / 64U];
static spinlock_t vmid_lock;

bool vmid_reserve(unsigned int vmid)
{
	uint64_t bit = 1UL << (vmid % 64U);

	bool ok;

	if (vmid > REALM_MAX_VMID) {
		return false;
	}
	spinlock_acquire(&vmid_lock);
	ok = (vmid_bits[vmid / 64U] & bit) == 0UL;
	vmid_bits[vmid / 64U] |= bit;
	spinlock_release(&vmid_lock);
	return ok;
}

void vmid_free(unsigned int vmid)
{
	RMM_ASSERT(vmid <= REALM_MAX_VMID);
	spinlock_acquire(&vmid_lock);
	vmid_bits[vmid / 64U] &= ~(1UL << (vmid % 64U));
	spinlock_release(&vmid_lock);
}

void vmid_reset(void)
{
	unsigned int i;

	for (i = 0U; i < ARRAY_SIZE(vmid_bits); i++) {
		vmid_bits[i] = 0UL;
	}
}
