/*
 * The CSM host calls (RMI extension, docs/abi.md) and the DATA_DESTROY of
 * a CSM page.
 */
#include <arch_rmm.h>
#include <plat.h>
#include <smc-csm.h>
#include <smc-handler.h>
#include <smc-rmi.h>
#include <string.h>

#include "csm_rmm.h"

#define CSM_ABI_1_0	CAEC_CSM_ABI_VERSION(CAEC_CSM_ABI_MAJOR, CAEC_CSM_ABI_MINOR)

/*
 * RMI CSM_VERSION(req) -> (lower, higher)
 * x0: RMI_SUCCESS if req is an implemented version (1.0), else
 * RMI_ERROR_INPUT; x1, x2: the lowest and highest implemented.
 */
static void csm_rmi_version(unsigned long req, struct smc_result *res)
{
	res->x[0] = (req == CSM_ABI_1_0 && rmm_csm.csm != NULL) ? RMI_SUCCESS : RMI_ERROR_INPUT;
	res->x[1] = CSM_ABI_1_0;
	res->x[2] = CSM_ABI_1_0;
}

/*
 * RMI CSM_META_ADD(rd, meta)
 * Failure conditions, in order: rd and meta not an RD and a DELEGATED
 * granule (RMI_ERROR_INPUT, both locked in address order as the standard
 * calls do); the realm not NEW or ACTIVE (RMI_ERROR_REALM).
 * Success: meta -> CSM_META, zeroed, on the realm's list: room for 15 more
 * regions or grants of that realm.
 */
static void csm_meta_add(unsigned long rd_addr, unsigned long meta, struct smc_result *res)
{
	struct granule_set set[2];
	struct csm_meta_hdr *h;
	struct rd *rd;

	rmm_csm_lock();
	set[0].addr = rd_addr;
	set[0].state = GRANULE_STATE_RD;
	set[1].addr = meta;
	set[1].state = GRANULE_STATE_DELEGATED;
	if (!find_lock_granules(set, 2U)) {
		res->x[0] = RMI_ERROR_INPUT;
		goto out;
	}
	rd = granule_rd(set[0].g);
	if (rd->state == REALM_SYSTEM_OFF) {
		res->x[0] = RMI_ERROR_REALM;
		goto out_unlock;
	}
	granule_memzero(set[1].g);
	h = (struct csm_meta_hdr *)plat_granule_va(meta);
	h->self = meta;
	h->rd = rd_addr;
	h->next = rd->csm.meta;
	h->used = 1U;	/* slot 0: this header */
	rd->csm.meta = meta;
	rd->csm.nmeta++;
	granule_set_state(set[1].g, GRANULE_STATE_CSM_META);
	res->x[0] = RMI_SUCCESS;
out_unlock:
	granule_unlock(set[0].g);
	granule_unlock(set[1].g);
out:
	rmm_csm_unlock();
}

/*
 * RMI CSM_META_REMOVE(rd, meta)
 * Failure conditions, in order: rd and meta not an RD and a CSM_META
 * granule, or meta not donated to that realm (RMI_ERROR_INPUT); meta
 * still holds objects (RMI_ERROR_REALM: the realm uses it).
 * Success: meta leaves the realm's list, zeroed, -> DELEGATED.
 */
static void csm_meta_remove(unsigned long rd_addr, unsigned long meta, struct smc_result *res)
{
	struct granule_set set[2];
	struct csm_meta_hdr *h;
	uint64_t *link;
	struct rd *rd;

	rmm_csm_lock();
	set[0].addr = rd_addr;
	set[0].state = GRANULE_STATE_RD;
	set[1].addr = meta;
	set[1].state = GRANULE_STATE_CSM_META;
	if (!find_lock_granules(set, 2U)) {
		res->x[0] = RMI_ERROR_INPUT;
		goto out;
	}
	rd = granule_rd(set[0].g);
	h = (struct csm_meta_hdr *)plat_granule_va(meta);
	if (h->rd != rd_addr) {
		res->x[0] = RMI_ERROR_INPUT;
		goto out_unlock;
	}
	if (granule_refcount(set[1].g) != 0U) {
		res->x[0] = RMI_ERROR_REALM;
		goto out_unlock;
	}
	for (link = &rd->csm.meta; *link != meta; ) {
		RMM_ASSERT(*link != 0UL);
		link = &((struct csm_meta_hdr *)plat_granule_va(*link))->next;
	}
	*link = h->next;
	rd->csm.nmeta--;
	granule_memzero(set[1].g);
	granule_set_state(set[1].g, GRANULE_STATE_DELEGATED);
	res->x[0] = RMI_SUCCESS;
out_unlock:
	granule_unlock(set[0].g);
	granule_unlock(set[1].g);
out:
	rmm_csm_unlock();
}

#define CSM_RMI_IDX(fid)	((fid) - SMC_RMI_CSM_FID_FIRST)
#define CSM_RMI(_id, _name, _fn, _na, _nr) \
	[CSM_RMI_IDX(_id)] = { .name = (_name), .f##_na = (_fn), .num_args = (_na), \
			       .num_results = (_nr) }

const struct rmi_handler rmi_csm_handlers[SMC_RMI_CSM_FID_LAST - SMC_RMI_CSM_FID_FIRST + 1UL] = {
	CSM_RMI(SMC_RMI_CSM_VERSION, "CSM_VERSION", csm_rmi_version, 1, 3),
	CSM_RMI(SMC_RMI_CSM_META_ADD, "CSM_META_ADD", csm_meta_add, 2, 1),
	CSM_RMI(SMC_RMI_CSM_META_REMOVE, "CSM_META_REMOVE", csm_meta_remove, 2, 1),
};

/* DATA_DESTROY of a region page: remove one consumer's mapping of it. */
struct page_unmap {
	uint64_t off;	/* offset of the page in the region */
	uint64_t pa;
};

static void unmap_consumer_page(void *arg, const struct csm_mapping *m)
{
	const struct page_unmap *p = arg;
	struct granule *g;
	struct rd *rd;
	struct s2tt_walk w;
	uint64_t *e;

	g = csm_rd_get(m->realm_cookie, &rd);
	e = csm_s2_entry(rd, m->base + p->off, &w);
	if (e != NULL && s2tte_is_csm_consumer(*e, S2TT_PAGE_LEVEL) && s2tte_pa(*e) == p->pa) {
		*e = s2tte_create_csm_marked(S2TTE_CSM_MARK_GONE);
		granule_put(w.g_table);
		plat_s2_tlbi_pages(rd->s2.vmid, m->base + p->off, GRANULE_SIZE);
		csm_data_put(p->pa);
	}
	csm_rd_put(g);
}

void rmm_csm_data_destroy(struct granule *g_rd, const struct s2tt_walk *w, uint64_t ipa,
			  struct smc_result *res)
{
	struct rd *rd = granule_rd(g_rd);
	uint64_t e = w->table[w->index], pa = s2tte_pa(e);
	struct granule *g_data;

	rmm_csm.held_rd = granule_addr(g_rd);
	/* The range stays a CSM range: it becomes "gone" (SEA, not populatable). */
	w->table[w->index] = s2tte_create_csm_marked(S2TTE_CSM_MARK_GONE);
	granule_put(w->g_table);
	plat_s2_tlbi_pages(rd->s2.vmid, ipa, GRANULE_SIZE);
	if (s2tte_is_csm_consumer(e, S2TT_PAGE_LEVEL)) {
		/* A consumer's view: the provider's granule itself stays. */
		csm_data_put(pa);
	} else {
		struct page_unmap p = { 0UL, pa };
		uint64_t region = 0UL, base = 0UL;

		RMM_ASSERT(rmm_csm.csm != NULL &&
			   csm_region_find(rmm_csm.csm, rd->csm.id, ipa, &region, &base, NULL) == 0);
		p.off = ipa - base;
		(void)csm_region_for_each_mapping(rmm_csm.csm, region, unmap_consumer_page, &p);
		g_data = find_lock_granule_leaf(pa, GRANULE_STATE_DATA);
		RMM_ASSERT(g_data != NULL);
		granule_put(g_data);
		RMM_ASSERT(granule_refcount(g_data) == 0U);	/* no mapping left */
		__atomic_store_n(&g_data->csm, 0U, __ATOMIC_RELEASE);
		granule_memzero(g_data);
		granule_unlock_transition(g_data, GRANULE_STATE_DELEGATED);
	}
	rmm_csm.held_rd = 0UL;
	res->x[0] = RMI_SUCCESS;
	res->x[1] = pa;
	res->x[2] = s2tt_skip_non_live(w->table, w->last_level, ipa);
}
