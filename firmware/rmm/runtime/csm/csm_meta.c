/*
 * CSM metadata memory.  core/csm asks for one object at a time, at most
 * CSM_ALLOC_MAX (256) bytes, charged to the realm that owns it
 * (csm_plat_ops.alloc):
 *   - the state itself: a static buffer of the RMM;
 *   - a realm object: inside that realm's RD granule (struct rd_csm), so
 *     a realm joins the CSM at REALM_ACTIVATE without any host donation;
 *   - a region or a grant: a 256-byte slot of one of the metadata granules
 *     the host donated to the provider (RMI CSM_META_ADD).  When they are
 *     all full the allocation fails, the CSM call answers ERROR_BUSY with
 *     a CSM_META exit, the host donates a granule and the realm re-issues
 *     the call (docs/abi.md).
 * A metadata granule is in state CSM_META; its refcount is the number of
 * objects in it, so an empty one can be taken back (CSM_META_REMOVE) and
 * REALM_DESTROY returns them all.  Slot 0 is the granule's header.
 */
#include <arch_rmm.h>
#include <plat.h>
#include <string.h>

#include "csm_rmm.h"

static uint64_t state_mem[CSM_ALLOC_MAX / 8U];	/* struct csm (CSM_ALLOC_STATE) */

static struct csm_meta_hdr *meta_hdr(uint64_t pa)
{
	return (struct csm_meta_hdr *)plat_granule_va(pa);
}

void *csm_meta_alloc(enum csm_alloc_kind kind, uint64_t owner, size_t size)
{
	struct rd *rd;
	uint64_t pa;

	if (size > CSM_ALLOC_MAX) {
		return NULL;
	}
	if (kind == CSM_ALLOC_STATE) {
		return state_mem;
	}
	rd = (struct rd *)plat_granule_va(owner);
	if (kind == CSM_ALLOC_REALM) {
		return rd->csm.realm_obj;
	}
	for (pa = rd->csm.meta; pa != 0UL; pa = meta_hdr(pa)->next) {
		struct granule *g = find_lock_granule_leaf(pa, GRANULE_STATE_CSM_META);
		struct csm_meta_hdr *h = meta_hdr(pa);
		unsigned int i;

		RMM_ASSERT(g != NULL);
		for (i = 1U; i < CSM_META_SLOTS; i++) {
			if ((h->used & (1U << i)) == 0U) {
				h->used |= 1U << i;
				granule_get(g);
				granule_unlock(g);
				return (uint8_t *)h + i * CSM_META_SLOT;
			}
		}
		granule_unlock(g);
	}
	return NULL;	/* the realm's metadata is full: the host must add some */
}

void csm_meta_free(enum csm_alloc_kind kind, uint64_t owner, void *ptr, size_t size)
{
	struct csm_meta_hdr *h;
	struct granule *g;
	unsigned int i;

	(void)size;
	if (kind == CSM_ALLOC_STATE || kind == CSM_ALLOC_REALM) {
		return;	/* static, or part of the RD */
	}
	/* The header is at the start of the object's granule. */
	h = (struct csm_meta_hdr *)((uintptr_t)ptr & ~(uintptr_t)GRANULE_MASK);
	i = (unsigned int)(((uintptr_t)ptr & GRANULE_MASK) / CSM_META_SLOT);
	RMM_ASSERT(h->rd == owner && i != 0U && (h->used & (1U << i)) != 0U);
	g = find_lock_granule_leaf(h->self, GRANULE_STATE_CSM_META);
	RMM_ASSERT(g != NULL);
	memset(ptr, 0, CSM_META_SLOT);	/* no stale IDs or pointers left behind */
	h->used &= ~(1U << i);
	granule_put(g);
	granule_unlock(g);
}

void csm_meta_release_all(struct rd *rd)
{
	uint64_t pa = rd->csm.meta;

	while (pa != 0UL) {
		struct granule *g = find_lock_granule_leaf(pa, GRANULE_STATE_CSM_META);
		uint64_t next = meta_hdr(pa)->next;

		/* The realm is gone from the CSM: none of its objects is left. */
		RMM_ASSERT(g != NULL && granule_refcount(g) == 0U);
		granule_memzero(g);
		granule_unlock_transition(g, GRANULE_STATE_DELEGATED);
		pa = next;
	}
	rd->csm.meta = 0UL;
	rd->csm.nmeta = 0UL;
}
