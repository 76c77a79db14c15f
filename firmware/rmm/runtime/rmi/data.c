/* RMI_DATA_CREATE / DATA_CREATE_UNKNOWN / DATA_DESTROY. */
#include <granule.h>
#include <measurement.h>
#include <plat.h>
#include <realm.h>
#include <s2tt.h>
#include <smc-handler.h>
#include <smc-rmi.h>
#include <string.h>

/*
 * Walk rd's RTTs to the level-3 entry of ipa.  Without a level-3 RTT there
 * is no such entry: x0 = RMI_ERROR_RTT with the level the walk reached.
 */
static bool walk_to_page(const struct rd *rd, unsigned long ipa, struct s2tt_walk *w,
			 struct smc_result *res)
{
	s2tt_walk_lock_unlock(&rd->s2, ipa, S2TT_PAGE_LEVEL, w);
	if (w->last_level != S2TT_PAGE_LEVEL) {
		res->x[0] = rmi_pack(RMI_ERROR_RTT, (unsigned long)w->last_level);
		return false;
	}
	return true;
}

/*
 * Common part of DATA_CREATE and DATA_CREATE_UNKNOWN.  src == 0 means
 * "unknown" content (zero-filled, not measured, RIPAS kept); otherwise the
 * content is copied from the NS granule src and measured if flags say so.
 */
static void data_create(unsigned long rd_addr, unsigned long data_addr, unsigned long ipa,
			uint64_t src, uint64_t flags, struct smc_result *res)
{
	struct granule_set set[2];
	struct s2tt_walk w;
	struct rd *rd;
	uint64_t e;
	void *data;

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
	if ((src != 0UL && rd->state != REALM_NEW) || rd->state == REALM_SYSTEM_OFF) {
		res->x[0] = RMI_ERROR_REALM;
		goto out_unlock;
	}
	if (!walk_to_page(rd, ipa, &w, res)) {
		goto out_unlock;
	}
	e = w.table[w.index];
	if (!s2tte_is_unassigned(e)) {
		res->x[0] = rmi_pack(RMI_ERROR_RTT, (unsigned long)S2TT_PAGE_LEVEL);
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
	granule_set_state(set[1].g, GRANULE_STATE_DATA);
	res->x[0] = RMI_SUCCESS;
out_unlock:
	granule_unlock(set[0].g);
	granule_unlock(set[1].g);
}

/*
 * RMI_DATA_CREATE
 *   x1: PA of the RD, x2: PA of the target granule (DELEGATED),
 *   x3: protected IPA, x4: PA of the NS source granule,
 *   x5: flags (RMI_MEASURE_CONTENT)
 * Out:
 *   x0: RMI_SUCCESS
 *       RMI_ERROR_INPUT: granule states, IPA unaligned or unprotected, src
 *       not an NS granule, unknown flags
 *       RMI_ERROR_REALM: realm not NEW
 *       RMI_ERROR_RTT: no level-3 RTT (index = walk level) or entry not
 *       UNASSIGNED (index 3)
 * Effect: content copied; RIM extended with a DATA descriptor (IPA, flags,
 * SHA-256 of the content iff measured); entry -> ASSIGNED, RIPAS RAM;
 * granule DELEGATED -> DATA.  A DATA granule is mapped at exactly one IPA
 * of one realm: it can only come from DELEGATED.
 */
void smc_data_create(unsigned long rd_addr, unsigned long data_addr, unsigned long ipa,
		     unsigned long src_addr, unsigned long flags, struct smc_result *res)
{
	if ((flags & ~RMI_MEASURE_CONTENT) != 0UL || src_addr == 0UL ||
	    !ns_granule_is_valid(src_addr)) {
		res->x[0] = RMI_ERROR_INPUT;
		return;
	}
	data_create(rd_addr, data_addr, ipa, src_addr, flags, res);
}

/*
 * RMI_DATA_CREATE_UNKNOWN
 *   x1: PA of the RD, x2: PA of the target granule (DELEGATED),
 *   x3: protected IPA
 * Out: as DATA_CREATE, but allowed in NEW and ACTIVE realms
 *   (RMI_ERROR_REALM after SYSTEM_OFF).  Content zeroed, not measured;
 *   the entry keeps its RIPAS.
 */
void smc_data_create_unknown(unsigned long rd_addr, unsigned long data_addr, unsigned long ipa,
			     struct smc_result *res)
{
	data_create(rd_addr, data_addr, ipa, 0UL, 0UL, res);
}

/*
 * RMI_DATA_DESTROY
 *   x1: PA of the RD, x2: protected IPA
 * Out:
 *   x0: RMI_SUCCESS
 *       RMI_ERROR_INPUT: not an RD, IPA unaligned or unprotected
 *       RMI_ERROR_RTT: no level-3 RTT (index = walk level) or entry not
 *       ASSIGNED (index 3)
 *   x1: PA of the released DATA granule, x2: top of the unmapped range
 * Effect: entry -> UNASSIGNED, RIPAS RAM -> DESTROYED (EMPTY stays EMPTY);
 * TLB invalidated; granule zeroed and DATA -> DELEGATED.
 */
void smc_data_destroy(unsigned long rd_addr, unsigned long ipa, struct smc_result *res)
{
	struct granule *g_rd = find_lock_granule(rd_addr, GRANULE_STATE_RD);
	struct granule *g_data;
	struct s2tt_walk w;
	struct rd *rd;
	uint64_t e, pa;
	unsigned long ripas;

	if (g_rd == NULL) {
		res->x[0] = RMI_ERROR_INPUT;
		return;
	}
	rd = granule_rd(g_rd);
	if (!GRANULE_ALIGNED(ipa) || !s2tt_ipa_is_protected(&rd->s2, ipa)) {
		res->x[0] = RMI_ERROR_INPUT;
		goto out_unlock;
	}
	if (!walk_to_page(rd, ipa, &w, res)) {
		goto out_unlock;
	}
	e = w.table[w.index];
	if (!s2tte_is_assigned(e, S2TT_PAGE_LEVEL)) {
		res->x[0] = rmi_pack(RMI_ERROR_RTT, (unsigned long)S2TT_PAGE_LEVEL);
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
	granule_memzero(g_data);
	granule_unlock_transition(g_data, GRANULE_STATE_DELEGATED);
	res->x[0] = RMI_SUCCESS;
	res->x[1] = pa;
	res->x[2] = ipa + GRANULE_SIZE;
out_unlock:
	granule_unlock(g_rd);
}
