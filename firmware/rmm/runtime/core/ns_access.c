/*
 * Access to Normal-world buffers named by the host.  The RMM reaches NS
 * memory through an NS-PAS alias of its stage-1 map; touching a granule the
 * GPT marks Realm through that alias would be a GPF in the RMM, so the
 * granule must be tracked and in state NS.  The host could delegate it
 * concurrently on another CPU; this RMM runs on one CPU, so the check is
 * exact here (TF-RMM uses GPF-tolerant accessors for the SMP case).
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

bool ns_buffer_read(uint64_t pa, size_t offset, void *dst, size_t len)
{
	if (!ns_granule_is_valid(pa) || offset > GRANULE_SIZE || len > GRANULE_SIZE - offset) {
		return false;
	}
	memcpy(dst, (const uint8_t *)plat_ns_va(pa) + offset, len);
	return true;
}

bool ns_buffer_write(uint64_t pa, size_t offset, const void *src, size_t len)
{
	if (!ns_granule_is_valid(pa) || offset > GRANULE_SIZE || len > GRANULE_SIZE - offset) {
		return false;
	}
	memcpy((uint8_t *)plat_ns_va(pa) + offset, src, len);
	return true;
}
