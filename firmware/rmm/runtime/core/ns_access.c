/*
 * Access to Normal-world buffers named by the host.  The RMM reaches NS
 * memory through an NS-PAS alias of its stage-1 map; touching a granule the
 * GPT marks Realm through that alias would be a GPF in the RMM, so the
 * granule must be tracked and in state NS.  The host could delegate it
 * concurrently on another CPU: the copy is made holding the granule's
 * lock (in state NS), which GRANULE_DELEGATE also takes, so the granule
 * cannot change PAS during the copy.  (TF-RMM uses GPF-tolerant accessors
 * instead.)  Callers hold no granule lock of a higher address.
 */
#include <granule.h>
#include <plat.h>
#include <smc-handler.h>
#include <string.h>

bool ns_granule_is_valid(uint64_t pa)
{
	struct granule *g = addr_to_granule(pa);

	return g != NULL && granule_get_state(g) == GRANULE_STATE_NS;
}

static struct granule *lock_ns(uint64_t pa, size_t offset, size_t len)
{
	if (offset > GRANULE_SIZE || len > GRANULE_SIZE - offset) {
		return NULL;
	}
	/* A leaf lock: callers may hold named granules of any address. */
	return find_lock_granule_leaf(pa, GRANULE_STATE_NS);
}

bool ns_buffer_read(uint64_t pa, size_t offset, void *dst, size_t len)
{
	struct granule *g = lock_ns(pa, offset, len);

	if (g == NULL) {
		return false;
	}
	memcpy(dst, (const uint8_t *)plat_ns_va(pa) + offset, len);
	granule_unlock(g);
	return true;
}

bool ns_buffer_write(uint64_t pa, size_t offset, const void *src, size_t len)
{
	struct granule *g = lock_ns(pa, offset, len);

	if (g == NULL) {
		return false;
	}
	memcpy((uint8_t *)plat_ns_va(pa) + offset, src, len);
	granule_unlock(g);
	return true;
}
