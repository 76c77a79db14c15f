/*
 * RMI_RTT_CREATE / DESTROY / READ_ENTRY / INIT_RIPAS /
 * MAP_UNPROTECTED / UNMAP_UNPROTECTED.
 * Every handler holds the RD lock for its walk (see lib/s2tt).
 */
#include <granule.h>
#include <measurement.h>
#include <plat.h>
#include <realm.h>
#include <s2tt.h>
#include <smc-handler.h>
#include <smc-rmi.h>

/* Level must name a non-root RTT level; ipa must start an RTT there. */
static bool rtt_level_ipa_valid(const struct rd *rd, uint64_t ipa, unsigned long level)
{
	if ((long)level <= rd->s2.level_start || level > (unsigned long)S2TT_PAGE_LEVEL) {
		return false;
	}
	return IS_ALIGNED(ipa, s2tt_map_size((int)level - 1)) && s2tt_ipa_in_range(&rd->s2, ipa);
}

/*
 * MAP/UNMAP_UNPROTECTED: level 2 (block) or 3 (page), below the start
 * level; ipa aligned to it, inside the IPA space and in its unprotected half.
 */
static bool unprotected_level_ipa_valid(const struct rd *rd, uint64_t ipa, unsigned long level)
{
	return (long)level > rd->s2.level_start && level >= 2UL && level <= 3UL &&
	       IS_ALIGNED(ipa, s2tt_map_size((int)level)) && s2tt_ipa_in_range(&rd->s2, ipa) &&
	       !s2tt_ipa_is_protected(&rd->s2, ipa);
}

/*
 * RMI_RTT_CREATE
 *   x1: PA of the RD, x2: PA of the new RTT (DELEGATED),
 *   x3: base IPA the RTT will map, x4: its level
 * Out:
 *   x0: RMI_SUCCESS
 *       RMI_ERROR_INPUT: RD/RTT granule states, level not in
 *       (start level, 3], IPA not aligned to the parent entry or out of range
 *       RMI_ERROR_RTT (index = level reached): the walk stopped above
 *       level - 1, or the parent entry is not UNASSIGNED (e.g. a table exists)
 * Transition: RTT DELEGATED -> RTT; its entries inherit the parent's
 * unassigned state (RIPAS, or UNASSIGNED_NS); parent entry -> TABLE.
 */
void smc_rtt_create(unsigned long rd_addr, unsigned long rtt_addr, unsigned long ipa,
		    unsigned long level, struct smc_result *res)
{
	struct granule_set set[2];
	struct s2tt_walk w;
	struct rd *rd;
	uint64_t parent;

	set[0].addr = rd_addr;
	set[0].state = GRANULE_STATE_RD;
	set[1].addr = rtt_addr;
	set[1].state = GRANULE_STATE_DELEGATED;
	if (!find_lock_granules(set, 2U)) {
		res->x[0] = RMI_ERROR_INPUT;
		return;
	}
	rd = granule_rd(set[0].g);
	if (!rtt_level_ipa_valid(rd, ipa, level)) {
		res->x[0] = RMI_ERROR_INPUT;
		goto out_unlock;
	}
	s2tt_walk_lock_unlock(&rd->s2, ipa, (int)level - 1, &w);
	if (w.last_level != (int)level - 1) {
		res->x[0] = rmi_pack(RMI_ERROR_RTT, (unsigned long)w.last_level);
		goto out_unlock;
	}
	parent = w.table[w.index];
	if (!s2tte_is_unassigned(parent) && !s2tte_is_unassigned_ns(parent)) {
		res->x[0] = rmi_pack(RMI_ERROR_RTT, (unsigned long)w.last_level);
		goto out_unlock;
	}
	s2tt_init_table(plat_granule_va(rtt_addr), parent);
	w.table[w.index] = s2tte_create_table(rtt_addr);
	granule_get(w.g_table);
	granule_set_state(set[1].g, GRANULE_STATE_RTT);
	res->x[0] = RMI_SUCCESS;
out_unlock:
	granule_unlock(set[0].g);
	granule_unlock(set[1].g);
}

/*
 * RMI_RTT_DESTROY
 *   x1: PA of the RD, x2: base IPA of the RTT, x3: its level
 * Out:
 *   x0: RMI_SUCCESS
 *       RMI_ERROR_INPUT: not an RD, bad level or IPA alignment
 *       RMI_ERROR_RTT (index = level): no table at (ipa, level) (walk level
 *       reported), or the RTT is live (index = level)
 *   x1: PA of the destroyed RTT, x2: top of the IPA range it covered
 * Transition: RTT -> DELEGATED (zeroed); parent entry -> UNASSIGNED with
 * RIPAS DESTROYED (protected) or UNASSIGNED_NS (unprotected).
 */
void smc_rtt_destroy(unsigned long rd_addr, unsigned long ipa, unsigned long level,
		     struct smc_result *res)
{
	struct granule *g_rd = find_lock_granule(rd_addr, GRANULE_STATE_RD);
	struct granule *g_rtt;
	struct s2tt_walk w;
	struct rd *rd;
	uint64_t parent, rtt_pa;

	if (g_rd == NULL) {
		res->x[0] = RMI_ERROR_INPUT;
		return;
	}
	rd = granule_rd(g_rd);
	if (!rtt_level_ipa_valid(rd, ipa, level)) {
		res->x[0] = RMI_ERROR_INPUT;
		goto out_unlock;
	}
	s2tt_walk_lock_unlock(&rd->s2, ipa, (int)level - 1, &w);
	parent = w.table[w.index];
	if (w.last_level != (int)level - 1 || !s2tte_is_table(parent, w.last_level)) {
		res->x[0] = rmi_pack(RMI_ERROR_RTT, (unsigned long)w.last_level);
		goto out_unlock;
	}
	rtt_pa = s2tte_pa(parent);
	g_rtt = addr_to_granule(rtt_pa);
	RMM_ASSERT(g_rtt != NULL);
	granule_lock(g_rtt, GRANULE_STATE_RTT);
	if (granule_refcount(g_rtt) != 0U) {
		granule_unlock(g_rtt);
		res->x[0] = rmi_pack(RMI_ERROR_RTT, level);
		goto out_unlock;
	}
	w.table[w.index] = s2tt_ipa_is_protected(&rd->s2, ipa) ?
			   s2tte_create_unassigned(RIPAS_DESTROYED) :
			   s2tte_create_unassigned_ns();
	granule_put(w.g_table);
	plat_s2_tlbi_ipa(rd->s2.vmid, ipa, s2tt_map_size((int)level - 1));
	granule_memzero(g_rtt);
	granule_unlock_transition(g_rtt, GRANULE_STATE_DELEGATED);
	res->x[0] = RMI_SUCCESS;
	res->x[1] = rtt_pa;
	res->x[2] = ipa + s2tt_map_size((int)level - 1);
out_unlock:
	granule_unlock(g_rd);
}

/*
 * RMI_RTT_READ_ENTRY
 *   x1: PA of the RD, x2: IPA, x3: level
 * Out:
 *   x0: RMI_SUCCESS; RMI_ERROR_INPUT: not an RD, level not in
 *       [start, 3], IPA not aligned to the level or out of range
 *   x1: level the walk reached, x2: state (UNASSIGNED/ASSIGNED/TABLE),
 *   x3: descriptor (PA, or attrs|PA for unprotected), x4: RIPAS
 */
void smc_rtt_read_entry(unsigned long rd_addr, unsigned long ipa, unsigned long level,
			struct smc_result *res)
{
	struct granule *g_rd = find_lock_granule(rd_addr, GRANULE_STATE_RD);
	struct s2tt_walk w;
	struct rd *rd;
	uint64_t e;

	if (g_rd == NULL) {
		res->x[0] = RMI_ERROR_INPUT;
		return;
	}
	rd = granule_rd(g_rd);
	if ((long)level < rd->s2.level_start || level > (unsigned long)S2TT_PAGE_LEVEL ||
	    !IS_ALIGNED(ipa, s2tt_map_size((int)level)) || !s2tt_ipa_in_range(&rd->s2, ipa)) {
		res->x[0] = RMI_ERROR_INPUT;
		goto out_unlock;
	}
	s2tt_walk_lock_unlock(&rd->s2, ipa, (int)level, &w);
	e = w.table[w.index];
	res->x[0] = RMI_SUCCESS;
	res->x[1] = (unsigned long)w.last_level;
	res->x[2] = s2tte_rmi_state(e, w.last_level);
	res->x[3] = s2tte_rmi_desc(e, w.last_level);
	res->x[4] = s2tt_ipa_is_protected(&rd->s2, ipa) ? s2tte_get_ripas(e, w.last_level) : 0UL;
out_unlock:
	granule_unlock(g_rd);
}

/*
 * RMI_RTT_INIT_RIPAS
 *   x1: PA of the RD, x2: base IPA, x3: top IPA (exclusive)
 * Out:
 *   x0: RMI_SUCCESS
 *       RMI_ERROR_INPUT: not an RD, base/top unaligned, base >= top, top
 *       beyond the protected IPA space
 *       RMI_ERROR_REALM: realm not NEW
 *       RMI_ERROR_RTT (index = walk level): base not aligned to the entry
 *       the walk reached, or the first entry is not UNASSIGNED
 *   x1: top of the range whose RIPAS was set (stops at the first entry that
 *       is not UNASSIGNED, at top, or at the end of the leaf RTT)
 * Effect: RIPAS EMPTY -> RAM on those entries; RIM extended with a RIPAS
 * descriptor [base, x1).
 */
void smc_rtt_init_ripas(unsigned long rd_addr, unsigned long base, unsigned long top,
			struct smc_result *res)
{
	struct granule *g_rd = find_lock_granule(rd_addr, GRANULE_STATE_RD);
	unsigned long addr, size;
	struct s2tt_walk w;
	struct rd *rd;

	if (g_rd == NULL) {
		res->x[0] = RMI_ERROR_INPUT;
		return;
	}
	rd = granule_rd(g_rd);
	if (!GRANULE_ALIGNED(base) || !GRANULE_ALIGNED(top) || base >= top ||
	    top > (1UL << (rd->s2.s2sz - 1U))) {
		res->x[0] = RMI_ERROR_INPUT;
		goto out_unlock;
	}
	if (rd->state != REALM_NEW) {
		res->x[0] = RMI_ERROR_REALM;
		goto out_unlock;
	}
	s2tt_walk_lock_unlock(&rd->s2, base, S2TT_PAGE_LEVEL, &w);
	size = s2tt_map_size(w.last_level);
	if (!IS_ALIGNED(base, size) || !s2tte_is_unassigned(w.table[w.index])) {
		res->x[0] = rmi_pack(RMI_ERROR_RTT, (unsigned long)w.last_level);
		goto out_unlock;
	}
	for (addr = base; w.index < S2TT_ENTRIES && addr + size <= top; w.index++, addr += size) {
		if (!s2tte_is_unassigned(w.table[w.index])) {
			break;
		}
		w.table[w.index] = s2tte_create_unassigned(RIPAS_RAM);
	}
	if (addr == base) {
		/* Range smaller than the entry the walk reached. */
		res->x[0] = rmi_pack(RMI_ERROR_RTT, (unsigned long)w.last_level);
		goto out_unlock;
	}
	measurement_ripas_extend(rd->rim, base, addr);
	res->x[0] = RMI_SUCCESS;
	res->x[1] = addr;
out_unlock:
	granule_unlock(g_rd);
}

/*
 * RMI_RTT_MAP_UNPROTECTED
 *   x1: PA of the RD, x2: IPA (unprotected half), x3: level (2 or 3,
 *   below the start level), x4: descriptor: PA[47:12] | S2AP[7:6] |
 *   MemAttr[5:2], PA aligned to the level's block size
 * Out:
 *   x0: RMI_SUCCESS
 *       RMI_ERROR_INPUT: not an RD, bad level, IPA protected/unaligned/out
 *       of range, descriptor has other bits set or is unaligned
 *       RMI_ERROR_RTT: walk stopped above level (index = walk level), or the
 *       entry is not UNASSIGNED_NS (index = level)
 * Effect: entry -> valid NS-PAS mapping of the host's PA; RTT refcount + 1.
 */
void smc_rtt_map_unprotected(unsigned long rd_addr, unsigned long ipa, unsigned long level,
			     unsigned long desc, struct smc_result *res)
{
	struct granule *g_rd = find_lock_granule(rd_addr, GRANULE_STATE_RD);
	struct s2tt_walk w;
	struct rd *rd;

	if (g_rd == NULL) {
		res->x[0] = RMI_ERROR_INPUT;
		return;
	}
	rd = granule_rd(g_rd);
	if (!unprotected_level_ipa_valid(rd, ipa, level) ||
	    !s2tte_host_ns_desc_valid(desc, (int)level)) {
		res->x[0] = RMI_ERROR_INPUT;
		goto out_unlock;
	}
	s2tt_walk_lock_unlock(&rd->s2, ipa, (int)level, &w);
	if (w.last_level != (int)level || !s2tte_is_unassigned_ns(w.table[w.index])) {
		res->x[0] = rmi_pack(RMI_ERROR_RTT, (unsigned long)w.last_level);
		goto out_unlock;
	}
	w.table[w.index] = s2tte_create_assigned_ns(desc, (int)level);
	granule_get(w.g_table);
	res->x[0] = RMI_SUCCESS;
out_unlock:
	granule_unlock(g_rd);
}

/*
 * RMI_RTT_UNMAP_UNPROTECTED
 *   x1: PA of the RD, x2: IPA (unprotected half), x3: level
 * Out:
 *   x0: RMI_SUCCESS
 *       RMI_ERROR_INPUT: as for MAP_UNPROTECTED
 *       RMI_ERROR_RTT: walk stopped above level, or entry not ASSIGNED_NS
 *   x1: top of the unmapped range
 * Effect: entry -> UNASSIGNED_NS, stage-2 TLB invalidated before return.
 */
void smc_rtt_unmap_unprotected(unsigned long rd_addr, unsigned long ipa, unsigned long level,
			       struct smc_result *res)
{
	struct granule *g_rd = find_lock_granule(rd_addr, GRANULE_STATE_RD);
	struct s2tt_walk w;
	struct rd *rd;

	if (g_rd == NULL) {
		res->x[0] = RMI_ERROR_INPUT;
		return;
	}
	rd = granule_rd(g_rd);
	if (!unprotected_level_ipa_valid(rd, ipa, level)) {
		res->x[0] = RMI_ERROR_INPUT;
		goto out_unlock;
	}
	s2tt_walk_lock_unlock(&rd->s2, ipa, (int)level, &w);
	if (w.last_level != (int)level || !s2tte_is_assigned_ns(w.table[w.index], w.last_level)) {
		res->x[0] = rmi_pack(RMI_ERROR_RTT, (unsigned long)w.last_level);
		goto out_unlock;
	}
	w.table[w.index] = s2tte_create_unassigned_ns();
	granule_put(w.g_table);
	plat_s2_tlbi_ipa(rd->s2.vmid, ipa, s2tt_map_size((int)level));
	res->x[0] = RMI_SUCCESS;
	res->x[1] = ipa + s2tt_map_size((int)level);
out_unlock:
	granule_unlock(g_rd);
}
