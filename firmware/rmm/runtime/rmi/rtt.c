/*
 * RMI_RTT_CREATE / DESTROY / FOLD / READ_ENTRY / INIT_RIPAS / SET_RIPAS /
 * MAP_UNPROTECTED / UNMAP_UNPROTECTED (RMM v1.0 B4.3.15-B4.3.22).
 * Each handler evaluates the specification's failure conditions in the
 * order the specification lists them; the comment above each handler
 * names them.  Every handler holds the RD lock for its walk (see
 * lib/s2tt), so the RTTs of a realm change under one lock.
 */
#include <granule.h>
#include <measurement.h>
#include <plat.h>
#include <realm.h>
#include <rmm_csm.h>
#include <s2tt.h>
#include <smc-handler.h>
#include <smc-rmi.h>

/* RttLevelIsValid(rd, level) && !RttLevelIsStarting(rd, level) */
static bool level_is_valid_non_starting(const struct rd *rd, unsigned long level)
{
	return (long)level > rd->s2.level_start && (long)level <= S2TT_PAGE_LEVEL;
}

/* RttLevelIsBlockOrPage(rd, level): levels 1..3 that the tree has. */
static bool level_is_block_or_page(const struct rd *rd, unsigned long level)
{
	return (long)level >= 1 && (long)level >= rd->s2.level_start &&
	       (long)level <= S2TT_PAGE_LEVEL;
}

/*
 * The common front of RTT_CREATE/DESTROY/FOLD after the RD is locked:
 * level_bound, ipa_align (to level - 1), ipa_bound.
 */
static bool rtt_level_ipa_valid(const struct rd *rd, uint64_t ipa, unsigned long level)
{
	return level_is_valid_non_starting(rd, level) &&
	       IS_ALIGNED(ipa, s2tt_map_size((int)level - 1)) && s2tt_ipa_in_range(&rd->s2, ipa);
}

/* MAP/UNMAP_UNPROTECTED: ipa_align to level, ipa_bound (in range, unprotected). */
static bool unprotected_ipa_valid(const struct rd *rd, uint64_t ipa, unsigned long level)
{
	return IS_ALIGNED(ipa, s2tt_map_size((int)level)) && s2tt_ipa_in_range(&rd->s2, ipa) &&
	       !s2tt_ipa_is_protected(&rd->s2, ipa);
}

/* IPA of the entry w points at (its table's base + index * size). */
static uint64_t walk_entry_ipa(const struct s2tt_walk *w, uint64_t ipa)
{
	return ipa & ~(s2tt_map_size(w->last_level) - 1UL);
}

/*
 * RMI_RTT_CREATE(rd, rtt, ipa, level)
 * Failure conditions, in order: rd_align, rd_bound, rd_state, level_bound,
 * ipa_align, ipa_bound, rtt_align, rtt_bound, rtt_state (all
 * RMI_ERROR_INPUT; rtt_bound2 needs LPA2), rtt_walk (walk stopped above
 * level - 1: RMI_ERROR_RTT, walk level), rtte_state (the parent entry is
 * already a TABLE: RMI_ERROR_RTT, walk level).
 * Success: RTT DELEGATED -> RTT; parent entry -> TABLE; the new RTT
 * unfolds the parent: unassigned entries are copied, an ASSIGNED or
 * ASSIGNED_NS block becomes 512 contiguous entries one level down.
 */
void smc_rtt_create(unsigned long rd_addr, unsigned long rtt_addr, unsigned long ipa,
		    unsigned long level, struct smc_result *res)
{
	struct granule_set set[2];
	struct s2tt_walk w;
	struct rd *rd;
	uint64_t parent;
	unsigned int live;

	/*
	 * rd_* and rtt_* are all RMI_ERROR_INPUT, as are level_bound and
	 * ipa_* between them: locking both granules first (in address order)
	 * reports the same result as checking them in the listed order.
	 */
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
	if (s2tte_is_table(parent, w.last_level)) {
		res->x[0] = rmi_pack(RMI_ERROR_RTT, (unsigned long)w.last_level);
		goto out_unlock;
	}
	live = s2tt_init_table(plat_granule_va(rtt_addr), parent, (int)level);
	while (live-- > 0U) {
		granule_get(set[1].g);
	}
	/* TABLE replaces a block: a block was counted as one live entry too. */
	if (!s2tte_counts_in_refcount(parent, w.last_level)) {
		granule_get(w.g_table);
	}
	w.table[w.index] = s2tte_create_table(rtt_addr);
	if (s2tte_is_live(parent, w.last_level)) {
		/* A valid block became a table: no stale block translation. */
		plat_s2_tlbi_ipa(rd->s2.vmid, ipa, s2tt_map_size(w.last_level));
	}
	granule_set_state(set[1].g, GRANULE_STATE_RTT);
	res->x[0] = RMI_SUCCESS;
out_unlock:
	granule_unlock(set[0].g);
	granule_unlock(set[1].g);
}

/*
 * RMI_RTT_DESTROY(rd, ipa, level) -> (rtt, top)
 * Failure conditions, in order: rd_align, rd_bound, rd_state, level_bound,
 * ipa_align, ipa_bound (RMI_ERROR_INPUT, top 0); rtt_walk (walk stopped
 * above level - 1) and rtte_state (parent not TABLE): RMI_ERROR_RTT at the
 * walk level, top = walk_top; rtt_live (the RTT has an ASSIGNED or TABLE
 * entry): RMI_ERROR_RTT at level, top = ipa.
 * walk_top = RttSkipNonLiveEntries from the walk's entry: the IPA of the
 * next live entry of that table, or the end of the table.
 * Success: rtt = the destroyed RTT (-> DELEGATED, zeroed); the parent entry
 * -> UNASSIGNED, RIPAS DESTROYED (protected) or UNASSIGNED_NS; top =
 * walk_top.  ASSIGNED_NS entries do not make an RTT live: they go with it.
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
		res->x[2] = s2tt_skip_non_live(w.table, w.last_level, ipa);
		goto out_unlock;
	}
	rtt_pa = s2tte_pa(parent);
	g_rtt = addr_to_granule(rtt_pa);
	RMM_ASSERT(g_rtt != NULL);
	granule_lock(g_rtt, GRANULE_STATE_RTT);
	if (granule_refcount(g_rtt) != 0U) {
		granule_unlock(g_rtt);
		res->x[0] = rmi_pack(RMI_ERROR_RTT, level);
		res->x[2] = ipa;
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
	res->x[2] = s2tt_skip_non_live(w.table, w.last_level, ipa);
out_unlock:
	granule_unlock(g_rd);
}

/*
 * RMI_RTT_FOLD(rd, ipa, level) -> rtt
 * Failure conditions, in order: rd_align, rd_bound, rd_state, level_bound,
 * ipa_align, ipa_bound (RMI_ERROR_INPUT); rtt_walk (walk stopped above
 * level - 1) and rtte_state (parent not TABLE): RMI_ERROR_RTT at the walk
 * level; rtt_homo (the RTT is not homogeneous, A5.5.6): RMI_ERROR_RTT at
 * level.
 * Success: the parent entry becomes RttFold(RTT): UNASSIGNED with the
 * common RIPAS, UNASSIGNED_NS, or an ASSIGNED / ASSIGNED_NS block of the
 * contiguous, aligned output range; the RTT -> DELEGATED (zeroed).
 */
void smc_rtt_fold(unsigned long rd_addr, unsigned long ipa, unsigned long level,
		  struct smc_result *res)
{
	struct granule *g_rd = find_lock_granule(rd_addr, GRANULE_STATE_RD);
	struct granule *g_rtt;
	struct s2tt_walk w;
	struct rd *rd;
	uint64_t parent, rtt_pa, folded;

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
	if (!s2tt_fold(plat_granule_va(rtt_pa), (int)level, &folded)) {
		granule_unlock(g_rtt);
		res->x[0] = rmi_pack(RMI_ERROR_RTT, level);
		goto out_unlock;
	}
	/*
	 * Break before make: the table entry goes invalid and its
	 * translations are invalidated before the block is written.  A realm
	 * fault meanwhile reads the entry under the RD lock we hold, so it
	 * only ever sees the final value.
	 */
	w.table[w.index] = s2tte_create_unassigned(RIPAS_EMPTY);
	plat_s2_tlbi_ipa(rd->s2.vmid, ipa, s2tt_map_size((int)level - 1));
	w.table[w.index] = folded;
	if (!s2tte_counts_in_refcount(folded, w.last_level)) {
		granule_put(w.g_table);
	}
	granule_refcount_set(g_rtt, 0U);
	granule_memzero(g_rtt);
	granule_unlock_transition(g_rtt, GRANULE_STATE_DELEGATED);
	res->x[0] = RMI_SUCCESS;
	res->x[1] = rtt_pa;
out_unlock:
	granule_unlock(g_rd);
}

/*
 * RMI_RTT_READ_ENTRY(rd, ipa, level) -> (walk_level, state, desc, ripas)
 * Failure conditions (all RMI_ERROR_INPUT): rd_align, rd_bound, rd_state,
 * level_bound (not in [start level, 3]), ipa_align (to level), ipa_bound.
 * Output: the walk's level and entry: state UNASSIGNED (also for
 * UNASSIGNED_NS), ASSIGNED (also ASSIGNED_NS) or TABLE; desc = the output
 * address for ASSIGNED/TABLE, plus MemAttr and S2AP for ASSIGNED_NS, 0
 * otherwise; ripas of a protected entry, EMPTY for an unprotected one.
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
	if ((long)level < rd->s2.level_start || (long)level > S2TT_PAGE_LEVEL ||
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
 * RttSkipEntriesWithRipas(rtt, level, base, top, stop_at_destroyed): from
 * base's entry, the IPA of the first TABLE entry (or, with
 * stop_at_destroyed, of the first entry whose RIPAS is DESTROYED), else the
 * end of the table; at most top; aligned down to the entry size.  A CSM
 * entry stops it too: a realm cannot change the RIPAS of shared memory, of
 * a reserved range or of a revoked one (runtime/csm; SHARE and RESERVE
 * reclaim a revoked range instead).
 */
static uint64_t skip_entries_with_ripas(const struct s2tt_walk *w, uint64_t base, uint64_t top,
					bool stop_at_destroyed)
{
	unsigned long size = s2tt_map_size(w->last_level);
	uint64_t addr = walk_entry_ipa(w, base);
	unsigned long i;

	for (i = w->index; i < S2TT_ENTRIES && addr < top; i++, addr += size) {
		uint64_t e = w->table[i];

		/* A CSM page or mark (runtime/csm): its RIPAS is not the host's. */
		if (s2tte_is_table(e, w->last_level) || s2tte_is_csm(e, w->last_level) ||
		    (stop_at_destroyed && s2tte_get_ripas(e, w->last_level) == RIPAS_DESTROYED)) {
			break;
		}
	}
	if (addr > top) {
		addr = top;
	}
	return addr & ~(size - 1UL);
}

/*
 * Set the RIPAS of the entries of w's table in [base, top) (whole entries,
 * none of them a TABLE).  A RAM -> other change of a valid mapping is
 * followed by TLB invalidation.
 */
static void set_ripas_range(const struct rd *rd, const struct s2tt_walk *w, uint64_t base,
			    uint64_t top, unsigned long ripas)
{
	unsigned long size = s2tt_map_size(w->last_level);
	unsigned long i = w->index;
	uint64_t addr;

	for (addr = base; addr < top; addr += size, i++) {
		uint64_t e = w->table[i];

		w->table[i] = s2tte_with_ripas(e, w->last_level, ripas);
		if ((e & S2TTE_VALID) != 0UL && (w->table[i] & S2TTE_VALID) == 0UL) {
			plat_s2_tlbi_ipa(rd->s2.vmid, addr, size);
		}
	}
}

/*
 * RMI_RTT_INIT_RIPAS(rd, base, top) -> out_top
 * Failure conditions, in order: rd_align, rd_bound, rd_state, size_valid
 * (top <= base), top_bound (top - 4 KB not protected) (RMI_ERROR_INPUT);
 * realm_state (not NEW: RMI_ERROR_REALM); base_align (base not aligned to
 * the level the walk to level 3 reached) and rtte_state (that entry is not
 * UNASSIGNED): RMI_ERROR_RTT at the walk level; top_gran_align
 * (RMI_ERROR_INPUT); no_progress (walk_top == base: RMI_ERROR_RTT, walk
 * level).
 * walk_top = RttSkipEntriesWithRipas(base, top, FALSE): up to the first
 * TABLE entry, the end of the table, or top, aligned to the entry size.
 * Success: every entry in [base, walk_top) gets RIPAS RAM, and the RIM is
 * extended with one RIPAS descriptor per entry (B4.3.18.4); out_top =
 * walk_top.
 */
void smc_rtt_init_ripas(unsigned long rd_addr, unsigned long base, unsigned long top,
			struct smc_result *res)
{
	struct granule *g_rd = find_lock_granule(rd_addr, GRANULE_STATE_RD);
	struct s2tt_walk w;
	struct rd *rd;
	uint64_t walk_top;

	if (g_rd == NULL) {
		res->x[0] = RMI_ERROR_INPUT;
		return;
	}
	rd = granule_rd(g_rd);
	/* top - 4 KB wraps around for top < 4 KB: not protected either. */
	if (top <= base || !s2tt_ipa_is_protected(&rd->s2, top - GRANULE_SIZE)) {
		res->x[0] = RMI_ERROR_INPUT;
		goto out_unlock;
	}
	if (rd->state != REALM_NEW) {
		res->x[0] = RMI_ERROR_REALM;
		goto out_unlock;
	}
	s2tt_walk_lock_unlock(&rd->s2, base, S2TT_PAGE_LEVEL, &w);
	if (!IS_ALIGNED(base, s2tt_map_size(w.last_level)) ||
	    !s2tte_is_unassigned(w.table[w.index])) {
		res->x[0] = rmi_pack(RMI_ERROR_RTT, (unsigned long)w.last_level);
		goto out_unlock;
	}
	if (!GRANULE_ALIGNED(top)) {
		res->x[0] = RMI_ERROR_INPUT;
		goto out_unlock;
	}
	walk_top = skip_entries_with_ripas(&w, base, top, false);
	if (walk_top == base) {
		res->x[0] = rmi_pack(RMI_ERROR_RTT, (unsigned long)w.last_level);
		goto out_unlock;
	}
	set_ripas_range(rd, &w, base, walk_top, RIPAS_RAM);
	measurement_ripas_extend_level(rd->rim, base, walk_top, s2tt_map_size(w.last_level));
	res->x[0] = RMI_SUCCESS;
	res->x[1] = walk_top;
out_unlock:
	granule_unlock(g_rd);
}

/*
 * RMI_RTT_SET_RIPAS(rd, rec, base, top) -> out_top
 * Completes (part of) the RIPAS change the REC's realm asked for with
 * RSI_IPA_STATE_SET.  Failure conditions, in order: rd_align, rd_bound,
 * rd_state, rec_align, rec_bound, rec_gran_state (RMI_ERROR_INPUT);
 * rec_state (running) and rec_owner (another realm's REC): RMI_ERROR_REC;
 * size_valid (top <= base), base_bound (base != rec.ripas_addr), top_bound
 * (top > rec.ripas_top): RMI_ERROR_INPUT; base_align (base not aligned to
 * the walk level, unless that entry already has the requested RIPAS):
 * RMI_ERROR_RTT at the walk level; top_gran_align: RMI_ERROR_INPUT;
 * no_progress (walk_top == base, unless the entry already has the RIPAS):
 * RMI_ERROR_RTT at the walk level.
 * walk_top = RttSkipEntriesWithRipas(base, top, stop_at_destroyed), where
 * a DESTROYED entry stops the change unless the realm allowed changing it.
 * Success: entries in [base, walk_top) get the requested RIPAS; out_top =
 * rec.ripas_addr = min(top, walk_top).
 */
void smc_rtt_set_ripas(unsigned long rd_addr, unsigned long rec_addr, unsigned long base,
		       unsigned long top, struct smc_result *res)
{
	struct granule_set set[2];
	struct s2tt_walk w;
	struct rd *rd;
	struct rec *rec;
	unsigned long ripas;
	uint64_t walk_top, out_top;
	bool same;

	/* rd_* and rec_* are all RMI_ERROR_INPUT: lock both in address order. */
	set[0].addr = rd_addr;
	set[0].state = GRANULE_STATE_RD;
	set[1].addr = rec_addr;
	set[1].state = GRANULE_STATE_REC;
	if (!find_lock_granules(set, 2U)) {
		res->x[0] = RMI_ERROR_INPUT;
		return;
	}
	rd = granule_rd(set[0].g);
	rec = granule_rec(set[1].g);
	if (granule_refcount(set[1].g) != 0U || rec->rd_addr != rd_addr) {
		res->x[0] = RMI_ERROR_REC;
		goto out_unlock;
	}
	if (top <= base || rec->ripas_pending == 0U || base != rec->ripas_addr ||
	    top > rec->ripas_top) {
		res->x[0] = RMI_ERROR_INPUT;
		goto out_unlock;
	}
	s2tt_walk_lock_unlock(&rd->s2, base, S2TT_PAGE_LEVEL, &w);
	ripas = s2tte_get_ripas(w.table[w.index], w.last_level);
	same = ripas == rec->ripas_value;
	if (!IS_ALIGNED(base, s2tt_map_size(w.last_level)) && !same) {
		res->x[0] = rmi_pack(RMI_ERROR_RTT, (unsigned long)w.last_level);
		goto out_unlock;
	}
	if (!GRANULE_ALIGNED(top)) {
		res->x[0] = RMI_ERROR_INPUT;
		goto out_unlock;
	}
	walk_top = skip_entries_with_ripas(&w, base, top, rec->ripas_destroyed == 0U);
	if (walk_top == base && !same) {
		res->x[0] = rmi_pack(RMI_ERROR_RTT, (unsigned long)w.last_level);
		goto out_unlock;
	}
	if (walk_top > base) {
		set_ripas_range(rd, &w, walk_entry_ipa(&w, base), walk_top, rec->ripas_value);
	}
	out_top = (top < walk_top) ? top : walk_top;
	if (out_top <= base) {
		/*
		 * base lies inside an entry that already has the RIPAS and the
		 * range ends inside it too (walk_top, aligned down, fell below
		 * base): the whole range is done.  Never move ripas_addr back.
		 */
		out_top = top;
	}
	rec->ripas_addr = out_top;
	res->x[0] = RMI_SUCCESS;
	res->x[1] = out_top;
out_unlock:
	granule_unlock(set[0].g);
	granule_unlock(set[1].g);
}

/* Does the level-`level` mapping desc cover a page of a CSM region? */
static bool maps_csm(uint64_t desc, int level)
{
	uint64_t pa = desc & S2TTE_OA_MASK, off;

	for (off = 0UL; off < s2tt_map_size(level); off += GRANULE_SIZE) {
		if (rmm_csm_granule_is_shared(pa + off)) {
			return true;
		}
	}
	return false;
}

/*
 * RMI_RTT_MAP_UNPROTECTED(rd, ipa, level, desc)
 * Failure conditions, in order: attr_valid (desc has bits other than the
 * host-controlled PA, MemAttr and S2AP), rd_align, rd_bound, rd_state,
 * level_bound (not a block or page level), addr_align (PA not aligned to
 * level), ipa_align, ipa_bound (out of range or protected) (all
 * RMI_ERROR_INPUT; addr_bound needs LPA2); rtt_walk (walk stopped above
 * level) and rtte_state (entry not UNASSIGNED_NS): RMI_ERROR_RTT at the
 * walk level.
 * CSM (runtime/csm): desc naming a page of a CSM region is refused
 * (RMI_ERROR_INPUT, after the conditions above): confidential shared
 * memory is never mapped through the Normal world's PAS.  The check is
 * made without the CSM lock; the GPC keeps the granule out of reach
 * anyway, the refusal only makes the attempt fail cleanly.
 * Success: entry -> ASSIGNED_NS, a valid NS-PAS mapping of desc's PA.
 */
void smc_rtt_map_unprotected(unsigned long rd_addr, unsigned long ipa, unsigned long level,
			     unsigned long desc, struct smc_result *res)
{
	struct granule *g_rd;
	struct s2tt_walk w;
	struct rd *rd;

	if (!s2tte_host_ns_attrs_valid(desc)) {
		res->x[0] = RMI_ERROR_INPUT;
		return;
	}
	g_rd = find_lock_granule(rd_addr, GRANULE_STATE_RD);
	if (g_rd == NULL) {
		res->x[0] = RMI_ERROR_INPUT;
		return;
	}
	rd = granule_rd(g_rd);
	if (!level_is_block_or_page(rd, level) || !s2tte_host_ns_desc_valid(desc, (int)level) ||
	    !unprotected_ipa_valid(rd, ipa, level) || maps_csm(desc, (int)level)) {
		res->x[0] = RMI_ERROR_INPUT;
		goto out_unlock;
	}
	s2tt_walk_lock_unlock(&rd->s2, ipa, (int)level, &w);
	if (w.last_level != (int)level || !s2tte_is_unassigned_ns(w.table[w.index])) {
		res->x[0] = rmi_pack(RMI_ERROR_RTT, (unsigned long)w.last_level);
		goto out_unlock;
	}
	w.table[w.index] = s2tte_create_assigned_ns(desc, (int)level);
	res->x[0] = RMI_SUCCESS;
out_unlock:
	granule_unlock(g_rd);
}

/*
 * RMI_RTT_UNMAP_UNPROTECTED(rd, ipa, level) -> top
 * Failure conditions, in order: rd_align, rd_bound, rd_state, level_bound,
 * ipa_align, ipa_bound (RMI_ERROR_INPUT, top 0); rtt_walk (walk stopped
 * above level) and rtte_state (entry not ASSIGNED_NS): RMI_ERROR_RTT at the
 * walk level, top = walk_top (RttSkipNonLiveEntries from the walk's entry).
 * Success: entry -> UNASSIGNED_NS, TLB invalidated; top = walk_top.
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
	if (!level_is_block_or_page(rd, level) || !unprotected_ipa_valid(rd, ipa, level)) {
		res->x[0] = RMI_ERROR_INPUT;
		goto out_unlock;
	}
	s2tt_walk_lock_unlock(&rd->s2, ipa, (int)level, &w);
	if (w.last_level != (int)level || !s2tte_is_assigned_ns(w.table[w.index], w.last_level)) {
		res->x[0] = rmi_pack(RMI_ERROR_RTT, (unsigned long)w.last_level);
		res->x[1] = s2tt_skip_non_live(w.table, w.last_level, ipa);
		goto out_unlock;
	}
	w.table[w.index] = s2tte_create_unassigned_ns();
	plat_s2_tlbi_ipa(rd->s2.vmid, ipa, s2tt_map_size((int)level));
	res->x[0] = RMI_SUCCESS;
	res->x[1] = s2tt_skip_non_live(w.table, w.last_level, ipa);
out_unlock:
	granule_unlock(g_rd);
}
