/*
 * core/csm's platform operations on the RMM: a region is the provider's
 * own DATA granules at [base, base + size) of its IPA space (the memory
 * cookie is that base), a mapping is a level-3 stage-2 entry in the
 * consumer's RTTs naming the provider's granule.  The descriptor states
 * are in lib/s2tt (s2tt.h): region page, consumer page, reserved, gone.
 *
 * Granule model: a CSM region page is a DATA granule whose refcount is
 * its number of mappings (1 for the provider + 1 per attached consumer)
 * and whose csm flag is set.  Read-only grants, and every mapping of a
 * sealed region, are read-only in stage 2.  Every unmap and every
 * permission reduction is followed by TLB invalidation by VMID and IPA
 * (plat_s2_tlbi_pages) before the operation returns.
 *
 * Each operation locks the RDs it touches (csm_rd_get: peer RDs under the
 * CSM lock, skipping the one the caller holds), walks their RTTs under
 * those locks, and takes a DATA granule's lock (a leaf) only to change its
 * refcount.  An operation that needs the host first (a range not yet
 * populated, private granules still in a reserved range) changes nothing
 * it cannot keep, records the exit in rmm_csm.busy_* and answers
 * CAEC_E_BUSY.
 */
#include <arch_rmm.h>
#include <plat.h>
#include <sha256.h>
#include <smc-csm.h>
#include <string.h>

#include "csm_rmm.h"

#define G	GRANULE_SIZE
/* Pages unmapped, then invalidated, then released, per batch. */
#define UNMAP_BATCH	64U

static void *op_alloc(void *plat, enum csm_alloc_kind kind, uint64_t owner, size_t size)
{
	(void)plat;
	return csm_meta_alloc(kind, owner, size);
}

static void op_free(void *plat, enum csm_alloc_kind kind, uint64_t owner, void *ptr, size_t size)
{
	(void)plat;
	csm_meta_free(kind, owner, ptr, size);
}

static int op_entropy(void *plat, void *buf, size_t len)
{
	(void)plat;
	return (plat_entropy(buf, len) == 0) ? 0 : CAEC_E_PLATFORM;
}

static int busy(unsigned long exit_reason, uint64_t base, uint64_t top)
{
	rmm_csm.busy_exit = exit_reason;
	rmm_csm.busy_base = base;
	rmm_csm.busy_top = top;
	return CAEC_E_BUSY;
}

/* A page the realm owns alone, mapped as RAM (not a CSM page). */
static bool is_private_ram(uint64_t e)
{
	return (e & S2TTE_VALID) != 0UL && s2tte_is_assigned(e, S2TT_PAGE_LEVEL) &&
	       !s2tte_is_csm(e, S2TT_PAGE_LEVEL);
}

/*
 * CSM_SHARE: the provider's [base, top) must be RAM it owns, mapped page
 * by page.  Pages without a granule (unassigned, whatever their RIPAS; a
 * "gone" page left by an earlier revoked CSM range; no level-3 RTT; a
 * block to split) need the host: they become unassigned RIPAS RAM (the
 * call is the realm's consent to have fresh RAM there, as RSI_IPA_STATE_SET
 * would be) and the call exits CSM_POPULATE.  A page assigned with RIPAS
 * EMPTY or DESTROYED, a reserved page or one already in CSM use is the
 * realm's error (CAEC_E_RANGE), and then nothing changes.  On success the
 * pages become region pages, zeroed.
 */
static int op_region_create(void *plat, uint64_t prov, uint64_t region_id, uint64_t base,
			    uint64_t size, uint64_t *mem_cookie)
{
	struct granule *g;
	struct rd *rd;
	struct s2tt_walk w;
	uint64_t ipa, need = 0UL, *e;
	bool missing = false;
	int rc = 0;

	(void)plat;
	(void)region_id;
	g = csm_rd_get(prov, &rd);
	for (ipa = base; ipa < base + size && rc == 0; ipa += G) {
		e = csm_s2_entry(rd, ipa, &w);
		if (e == NULL || s2tte_csm_mark(*e) == S2TTE_CSM_MARK_GONE ||
		    s2tte_is_unassigned(*e)) {
			if (!missing) {
				need = ipa;
			}
			missing = true;
		} else if (!is_private_ram(*e)) {
			rc = CAEC_E_RANGE;
		}
	}
	if (rc == 0 && missing) {
		for (ipa = need; ipa < base + size; ipa += G) {
			e = csm_s2_entry(rd, ipa, &w);
			/* Invalid before and after: no TLB maintenance needed. */
			if (e != NULL && (s2tte_csm_mark(*e) == S2TTE_CSM_MARK_GONE ||
					  s2tte_is_unassigned(*e))) {
				*e = s2tte_create_unassigned(RIPAS_RAM);
			}
		}
		rc = busy(RMI_EXIT_CSM_POPULATE, need, base + size);
	}
	if (rc == 0) {
		for (ipa = base; ipa < base + size; ipa += G) {
			struct granule *gd;
			uint64_t pa;

			e = csm_s2_entry(rd, ipa, &w);
			pa = s2tte_pa(*e);
			/* Same output and permissions: no TLB maintenance needed. */
			*e = s2tte_create_csm_region(pa, false);
			gd = find_lock_granule_leaf(pa, GRANULE_STATE_DATA);
			RMM_ASSERT(gd != NULL);
			__atomic_store_n(&gd->csm, 1U, __ATOMIC_RELEASE);
			memset(plat_granule_va(pa), 0, G);	/* a region starts zeroed */
			granule_unlock(gd);
		}
		*mem_cookie = base;
	}
	csm_rd_put(g);
	return rc;
}

/*
 * The region is gone and no consumer maps it: its pages become the
 * provider's private pages again (scrubbed, unless the provider is dead:
 * then DATA_DESTROY will scrub them); holes left by DATA_DESTROY become
 * DESTROYED, as for any page the host took away.
 */
static void op_region_release(void *plat, uint64_t prov, uint64_t region_id, uint64_t mem_cookie,
			      uint64_t size, bool provider_dead)
{
	struct granule *g;
	struct rd *rd;
	struct s2tt_walk w;
	uint64_t ipa, *e;
	bool was_ro = false;

	(void)plat;
	(void)region_id;
	g = csm_rd_get(prov, &rd);
	for (ipa = mem_cookie; ipa < mem_cookie + size; ipa += G) {
		e = csm_s2_entry(rd, ipa, &w);
		if (e == NULL) {
			continue;	/* the host destroyed the RTT: nothing left here */
		}
		if (s2tte_is_csm_region(*e, S2TT_PAGE_LEVEL)) {
			uint64_t pa = s2tte_pa(*e);
			struct granule *gd = find_lock_granule_leaf(pa, GRANULE_STATE_DATA);

			RMM_ASSERT(gd != NULL && granule_refcount(gd) == 1U);
			was_ro = was_ro || s2tte_is_read_only(*e);
			*e = s2tte_create_assigned(pa, S2TT_PAGE_LEVEL, RIPAS_RAM);
			if (!provider_dead) {
				memset(plat_granule_va(pa), 0, G);
			}
			__atomic_store_n(&gd->csm, 0U, __ATOMIC_RELEASE);
			granule_unlock(gd);
		} else if (s2tte_csm_mark(*e) == S2TTE_CSM_MARK_GONE) {
			*e = s2tte_create_unassigned(RIPAS_DESTROYED);
		}
	}
	if (was_ro) {
		/* Sealed pages become writable: no stale read-only translation. */
		plat_s2_tlbi_pages(rd->s2.vmid, mem_cookie, size);
	}
	csm_rd_put(g);
}

/*
 * CSM_ATTACH: every page of the region must still be there (a region page
 * of the provider), and every page of the consumer's reserved range must
 * be free (reserved, or unassigned if the host rebuilt the RTT) with a
 * level-3 RTT; otherwise the host must act first (CSM_RELEASE).
 */
static int op_map(void *plat, const struct csm_mapping *m)
{
	struct granule *gp, *gc;
	struct rd *prd, *crd;
	struct s2tt_walk wp, wc;
	uint64_t off, *pe, *ce;
	bool need = false;
	int rc = 0;

	(void)plat;
	csm_rd_get2(m->prov_cookie, m->realm_cookie, &gp, &gc);
	prd = (struct rd *)plat_granule_va(m->prov_cookie);
	crd = (struct rd *)plat_granule_va(m->realm_cookie);
	for (off = 0UL; off < m->size && rc == 0; off += G) {
		pe = csm_s2_entry(prd, m->mem_cookie + off, &wp);
		if (pe == NULL || !s2tte_is_csm_region(*pe, S2TT_PAGE_LEVEL)) {
			rc = CAEC_E_REVOKED;	/* the host destroyed part of the region */
			break;
		}
		ce = csm_s2_entry(crd, m->base + off, &wc);
		if (ce == NULL || (s2tte_csm_mark(*ce) != S2TTE_CSM_MARK_RESERVED &&
				   !s2tte_is_unassigned(*ce))) {
			need = true;
		}
	}
	if (rc == 0 && need) {
		rc = busy(RMI_EXIT_CSM_RELEASE, m->base, m->base + m->size);
	}
	for (off = 0UL; rc == 0 && off < m->size; off += G) {
		uint64_t pa;

		pe = csm_s2_entry(prd, m->mem_cookie + off, &wp);
		ce = csm_s2_entry(crd, m->base + off, &wc);
		pa = s2tte_pa(*pe);
		/* Invalid -> valid: no TLB maintenance needed. */
		*ce = s2tte_create_csm_consumer(pa, m->perm == CSM_PERM_RO);
		granule_get(wc.g_table);
		csm_data_get(pa);
	}
	csm_rd_put(gc);
	csm_rd_put(gp);
	return rc;
}

/*
 * Remove a consumer's mapping: its pages become "reserved" again (the
 * reservation ends in op_unreserve).  In batches: entries invalid, TLBI by
 * VMID and IPA, then the granules' refcounts drop, so no CPU can use a
 * translation of a granule the RMM may have released.
 */
static void op_unmap(void *plat, const struct csm_mapping *m, enum csm_unmap_reason why)
{
	uint64_t pas[UNMAP_BATCH], off, chunk;
	struct granule *g;
	struct rd *rd;
	struct s2tt_walk w;

	(void)plat;
	(void)why;
	g = csm_rd_get(m->realm_cookie, &rd);
	for (chunk = 0UL; chunk < m->size; chunk += UNMAP_BATCH * G) {
		uint64_t end = chunk + UNMAP_BATCH * G;
		unsigned int n = 0U, i;

		if (end > m->size) {
			end = m->size;
		}
		for (off = chunk; off < end; off += G) {
			uint64_t *e = csm_s2_entry(rd, m->base + off, &w);

			if (e == NULL || !s2tte_is_csm_consumer(*e, S2TT_PAGE_LEVEL)) {
				continue;	/* already removed by DATA_DESTROY */
			}
			pas[n++] = s2tte_pa(*e);
			*e = s2tte_create_csm_marked(S2TTE_CSM_MARK_RESERVED);
			granule_put(w.g_table);
		}
		if (n == 0U) {
			continue;
		}
		plat_s2_tlbi_pages(rd->s2.vmid, m->base + chunk, end - chunk);
		for (i = 0U; i < n; i++) {
			csm_data_put(pas[i]);
		}
	}
	csm_rd_put(g);
}

/*
 * CSM_RESERVE: the consumer's range must hold no private granule and have
 * level-3 RTTs (else CSM_RELEASE: the host reclaims them first); then every
 * entry is marked reserved, which DATA_CREATE refuses.
 */
static int op_reserve(void *plat, const struct csm_mapping *m)
{
	struct granule *g;
	struct rd *rd;
	struct s2tt_walk w;
	uint64_t off, *e;
	int rc = 0;

	(void)plat;
	g = csm_rd_get(m->realm_cookie, &rd);
	for (off = 0UL; off < m->size; off += G) {
		e = csm_s2_entry(rd, m->base + off, &w);
		if (e == NULL || (!s2tte_is_unassigned(*e) &&
				  s2tte_csm_mark(*e) != S2TTE_CSM_MARK_GONE)) {
			rc = busy(RMI_EXIT_CSM_RELEASE, m->base, m->base + m->size);
			break;
		}
	}
	for (off = 0UL; rc == 0 && off < m->size; off += G) {
		e = csm_s2_entry(rd, m->base + off, &w);
		*e = s2tte_create_csm_marked(S2TTE_CSM_MARK_RESERVED);
	}
	csm_rd_put(g);
	return rc;
}

/*
 * The reservation ends.  The consumer's own detach leaves RIPAS EMPTY
 * (nothing there until the realm asks for RAM again); a revoke, unshare or
 * death leaves the range "gone": an access is an SEA, and the host cannot
 * populate it, so it cannot slip its own pages where the realm expected
 * the provider's.
 */
static void op_unreserve(void *plat, const struct csm_mapping *m, enum csm_unmap_reason why)
{
	struct granule *g;
	struct rd *rd;
	struct s2tt_walk w;
	uint64_t off, *e;

	(void)plat;
	g = csm_rd_get(m->realm_cookie, &rd);
	for (off = 0UL; off < m->size; off += G) {
		e = csm_s2_entry(rd, m->base + off, &w);
		if (e == NULL) {
			continue;
		}
		if (why == CSM_UNMAP_DETACH) {
			if (s2tte_csm_mark(*e) != S2TTE_CSM_MARK_NONE) {
				*e = s2tte_create_unassigned(RIPAS_EMPTY);
			}
		} else if (s2tte_csm_mark(*e) != S2TTE_CSM_MARK_NONE || s2tte_is_unassigned(*e)) {
			*e = s2tte_create_csm_marked(S2TTE_CSM_MARK_GONE);
		}
	}
	csm_rd_put(g);
}

/*
 * CSM_SEAL: every page of the provider becomes read-only (consumer pages
 * are read-only already: a region with a read-write grant cannot be
 * sealed), then the content is hashed with SHA-256, page by page in IPA
 * order.  A region with a hole (DATA_DESTROY) cannot be sealed.
 */
static int op_seal(void *plat, uint64_t prov, uint64_t region_id, uint64_t mem_cookie,
		   uint64_t size, uint8_t *hash, size_t cap, size_t *len)
{
	struct sha256_ctx ctx;
	struct granule *g;
	struct rd *rd;
	struct s2tt_walk w;
	uint64_t ipa, *e;
	int rc = 0;

	(void)plat;
	(void)region_id;
	if (cap < SHA256_DIGEST_SIZE) {
		return CAEC_E_RANGE;
	}
	g = csm_rd_get(prov, &rd);
	for (ipa = mem_cookie; ipa < mem_cookie + size; ipa += G) {
		e = csm_s2_entry(rd, ipa, &w);
		if (e == NULL || !s2tte_is_csm_region(*e, S2TT_PAGE_LEVEL)) {
			rc = CAEC_E_STATE;
			break;
		}
	}
	if (rc == 0) {
		for (ipa = mem_cookie; ipa < mem_cookie + size; ipa += G) {
			e = csm_s2_entry(rd, ipa, &w);
			*e = s2tte_create_csm_region(s2tte_pa(*e), true);
		}
		/* No writable translation may survive before the hash is taken. */
		plat_s2_tlbi_pages(rd->s2.vmid, mem_cookie, size);
		sha256_init(&ctx);
		for (ipa = mem_cookie; ipa < mem_cookie + size; ipa += G) {
			e = csm_s2_entry(rd, ipa, &w);
			sha256_update(&ctx, plat_granule_va(s2tte_pa(*e)), G);
		}
		sha256_final(&ctx, hash);
		*len = SHA256_DIGEST_SIZE;
	}
	csm_rd_put(g);
	return rc;
}

const struct csm_plat_ops rmm_csm_ops = {
	.alloc = op_alloc,
	.free = op_free,
	.entropy = op_entropy,
	.region_create = op_region_create,
	.region_release = op_region_release,
	.map = op_map,
	.unmap = op_unmap,
	.seal = op_seal,
	.peer_event = NULL,	/* providers learn of consumers through doorbells */
	.reserve = op_reserve,
	.unreserve = op_unreserve,
};
