/* RMI_DATA_CREATE / DATA_CREATE_UNKNOWN / DATA_DESTROY. */
#include <granule.h>
#include <measurement.h>
#include <plat.h>
#include <realm.h>
#include <rmm_csm.h>
#include <s2tt.h>
#include <smc-handler.h>
#include <smc-rmi.h>
#include <string.h>

/*
 * Common part of DATA_CREATE and DATA_CREATE_UNKNOWN, from the data_*
 * failure conditions on.  src == 0 means "unknown" content (zero-filled,
 * not measured, RIPAS kept); otherwise the content is copied from the NS
 * granule src (already checked) and measured if flags say so.
 */
static void data_create(unsigned long rd_addr, unsigned long data_addr, unsigned long ipa,
			uint64_t src, uint64_t flags, struct smc_result *res)
{
	struct granule_set set[2];
	struct s2tt_walk w;
	struct rd *rd;
	uint64_t e;
	void *data;

	/* data_* and rd_* are all RMI_ERROR_INPUT: lock both in address order. */
	set[0].addr = rd_addr;
	set[0].state = GRANULE_STATE_RD;
	set[1].addr = data_addr;
	set[1].state = GRANULE_STATE_DELEGATED;
	if (!find_lock_granules(set, 2U)) {
		res->x[0] = RMI_ERROR_INPUT;
		return;
	}
	rd = granule_rd(set[0].g);
	if (!GRANULE_ALIGNED(ipa) || !s2tt_ipa_is_protected(&rd->s2, ipa)) {
		res->x[0] = RMI_ERROR_INPUT;
		goto out_unlock;
	}
	if (src != 0UL && rd->state != REALM_NEW) {
		res->x[0] = RMI_ERROR_REALM;
		goto out_unlock;
	}
	s2tt_walk_lock_unlock(&rd->s2, ipa, S2TT_PAGE_LEVEL, &w);
	e = w.table[w.index];
	if (w.last_level != S2TT_PAGE_LEVEL || !s2tte_is_unassigned(e)) {
		res->x[0] = rmi_pack(RMI_ERROR_RTT, (unsigned long)w.last_level);
		goto out_unlock;
	}
	/* Reserved flags bits: an invalid encoding, checked after the listed conditions. */
	if ((flags & ~RMI_MEASURE_CONTENT) != 0UL) {
		res->x[0] = RMI_ERROR_INPUT;
		goto out_unlock;
	}

	data = plat_granule_va(data_addr);
	if (src != 0UL) {
		/* src == a granule locked here is not NS; do not lock it twice. */
		if (src == rd_addr || src == data_addr ||
		    !ns_buffer_read(src, 0U, data, GRANULE_SIZE)) {
			res->x[0] = RMI_ERROR_INPUT;
			goto out_unlock;
		}
		measurement_data_extend(rd->rim, ipa, flags, data);
		w.table[w.index] = s2tte_create_assigned(data_addr, S2TT_PAGE_LEVEL, RIPAS_RAM);
	} else {
		memset(data, 0, GRANULE_SIZE);
		w.table[w.index] = s2tte_create_assigned(data_addr, S2TT_PAGE_LEVEL,
							 s2tte_get_ripas(e, S2TT_PAGE_LEVEL));
	}
	granule_get(w.g_table);
	granule_get(set[1].g);		/* DATA refcount: its one mapping */
	granule_set_state(set[1].g, GRANULE_STATE_DATA);
	res->x[0] = RMI_SUCCESS;
out_unlock:
	granule_unlock(set[0].g);
	granule_unlock(set[1].g);
}

/*
 * RMI_DATA_CREATE(rd, data, ipa, src, flags)
 * Failure conditions, in order: src_align, src_bound, src_pas (src not an
 * NS granule of delegable memory), data_align, data_bound, data_state (not
 * DELEGATED), rd_align, rd_bound, rd_state, ipa_align, ipa_bound (not a
 * protected IPA) (all RMI_ERROR_INPUT; data_bound2 needs LPA2);
 * realm_state (not NEW: RMI_ERROR_REALM); rtt_walk (no level-3 RTT) and
 * rtte_state (entry not UNASSIGNED): RMI_ERROR_RTT at the walk level.
 * Reserved flags bits are an invalid encoding (RMI_ERROR_INPUT), checked
 * last.  A CSM-marked entry (a consumer's reserved range, or a revoked CSM
 * range: runtime/csm) is not UNASSIGNED: rtte_state.
 * Success: content copied; RIM extended with a DATA descriptor (IPA,
 * flags, SHA-256 of the content iff measured); entry -> ASSIGNED, RIPAS
 * RAM; granule DELEGATED -> DATA.  A DATA granule is mapped at exactly
 * one IPA of one realm: it can only come from DELEGATED.
 */
void smc_data_create(unsigned long rd_addr, unsigned long data_addr, unsigned long ipa,
		     unsigned long src_addr, unsigned long flags, struct smc_result *res)
{
	if (!ns_granule_is_valid(src_addr)) {
		res->x[0] = RMI_ERROR_INPUT;
		return;
	}
	data_create(rd_addr, data_addr, ipa, src_addr, flags, res);
}

/*
 * RMI_DATA_CREATE_UNKNOWN(rd, data, ipa)
 * Failure conditions, in order: data_align, data_bound, data_state,
 * rd_align, rd_bound, rd_state, ipa_align, ipa_bound (RMI_ERROR_INPUT);
 * rtt_walk and rtte_state (RMI_ERROR_RTT at the walk level).  There is no
 * realm state condition: any realm, NEW, ACTIVE or SYSTEM_OFF.
 * Success: content zeroed, not measured; entry -> ASSIGNED with its RIPAS
 * kept; granule DELEGATED -> DATA.
 */
void smc_data_create_unknown(unsigned long rd_addr, unsigned long data_addr, unsigned long ipa,
			     struct smc_result *res)
{
	data_create(rd_addr, data_addr, ipa, 0UL, 0UL, res);
}

/*
 * RMI_DATA_DESTROY(rd, ipa) -> (data, top)
 * Failure conditions, in order: rd_align, rd_bound, rd_state, ipa_align,
 * ipa_bound (RMI_ERROR_INPUT, top 0); rtt_walk (no level-3 RTT, e.g. a
 * block mapping) and rtte_state (entry not ASSIGNED): RMI_ERROR_RTT at the
 * walk level, top = walk_top.
 * walk_top = RttSkipNonLiveEntries from the walk's entry: the IPA of the
 * next live entry of that RTT, or the end of the RTT.
 * Success: data = the released granule (zeroed, DATA -> DELEGATED); entry
 * -> UNASSIGNED, RIPAS RAM -> DESTROYED (others kept); TLB invalidated;
 * top = walk_top after the change.
 * A CSM page (runtime/csm) is handled by rmm_csm_data_destroy: a region
 * page is first unmapped from every consumer; a consumer's page only
 * loses that mapping, the provider's granule is not released.  Either way
 * the entry becomes a "gone" CSM entry.  The CSM lock is taken first.
 */
void smc_data_destroy(unsigned long rd_addr, unsigned long ipa, struct smc_result *res)
{
	struct granule *g_rd;
	struct granule *g_data;
	struct s2tt_walk w;
	struct rd *rd;
	uint64_t e, pa;
	unsigned long ripas;

	rmm_csm_lock();
	g_rd = find_lock_granule(rd_addr, GRANULE_STATE_RD);
	if (g_rd == NULL) {
		res->x[0] = RMI_ERROR_INPUT;
		rmm_csm_unlock();
		return;
	}
	rd = granule_rd(g_rd);
	if (!GRANULE_ALIGNED(ipa) || !s2tt_ipa_is_protected(&rd->s2, ipa)) {
		res->x[0] = RMI_ERROR_INPUT;
		goto out_unlock;
	}
	s2tt_walk_lock_unlock(&rd->s2, ipa, S2TT_PAGE_LEVEL, &w);
	e = w.table[w.index];
	if (w.last_level != S2TT_PAGE_LEVEL || !s2tte_is_assigned(e, S2TT_PAGE_LEVEL)) {
		res->x[0] = rmi_pack(RMI_ERROR_RTT, (unsigned long)w.last_level);
		res->x[2] = s2tt_skip_non_live(w.table, w.last_level, ipa);
		goto out_unlock;
	}
	if (s2tte_is_csm(e, S2TT_PAGE_LEVEL)) {
		rmm_csm_data_destroy(g_rd, &w, ipa, res);
		goto out_unlock;
	}
	pa = s2tte_pa(e);
	ripas = s2tte_get_ripas(e, S2TT_PAGE_LEVEL);
	w.table[w.index] = s2tte_create_unassigned((ripas == RIPAS_RAM) ? RIPAS_DESTROYED : ripas);
	granule_put(w.g_table);
	plat_s2_tlbi_ipa(rd->s2.vmid, ipa, GRANULE_SIZE);

	g_data = addr_to_granule(pa);
	RMM_ASSERT(g_data != NULL);
	granule_lock(g_data, GRANULE_STATE_DATA);
	granule_put(g_data);		/* its only mapping is gone */
	granule_memzero(g_data);
	granule_unlock_transition(g_data, GRANULE_STATE_DELEGATED);
	res->x[0] = RMI_SUCCESS;
	res->x[1] = pa;
	res->x[2] = s2tt_skip_non_live(w.table, w.last_level, ipa);
out_unlock:
	granule_unlock(g_rd);
	rmm_csm_unlock();
}
