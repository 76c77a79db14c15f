/*
 * Stage-2 translation table encoding and walking.  The walk runs with the
 * owning RD locked: RTT granules of one realm are only reached through its
 * RD, so the RD lock serialises every change to that realm's tree (coarser
 * than TF-RMM's hand-over-hand RTT locks, enough for this RMM).
 */
#include <granule.h>
#include <plat.h>
#include <s2tt.h>
#include <smc-rmi.h>

#define HIPAS_SHIFT		2
#define HIPAS_MASK		(0x7UL << HIPAS_SHIFT)
#define HIPAS_UNASSIGNED	(0UL << HIPAS_SHIFT)
#define HIPAS_ASSIGNED		(1UL << HIPAS_SHIFT)
#define HIPAS_UNASSIGNED_NS	(2UL << HIPAS_SHIFT)
#define RIPAS_SHIFT		5
#define RIPAS_MASK		(0x3UL << RIPAS_SHIFT)
#define CSM_MARK_SHIFT		7
#define CSM_MARK_MASK		(0x3UL << CSM_MARK_SHIFT)
#define CSM_VALID_BITS		(S2TTE_CSM_CONSUMER | S2TTE_CSM_REGION)

static int level_shift(int level)
{
	return (int)GRANULE_SHIFT + 9 * (3 - level);
}

unsigned long s2tt_map_size(int level)
{
	return 1UL << level_shift(level);
}

bool s2tt_ipa_in_range(const struct s2tt_ctx *ctx, uint64_t ipa)
{
	return ipa < (1UL << ctx->s2sz);
}

bool s2tt_ipa_is_protected(const struct s2tt_ctx *ctx, uint64_t ipa)
{
	return ipa < (1UL << (ctx->s2sz - 1U));
}

bool s2tt_params_valid(unsigned int s2sz, int level_start, unsigned int num_start)
{
	int top_bits;
	unsigned int needed;

	if (level_start < S2TT_MIN_STARTING_LEVEL || level_start > 2) {
		return false;
	}
	/* IPA bits resolved below the starting level. */
	top_bits = level_shift(level_start);
	if ((int)s2sz <= top_bits) {
		return false;	/* a lower starting level is required */
	}
	if ((int)s2sz - top_bits > 9 + 4) {
		return false;	/* would need more than 16 root tables */
	}
	needed = ((int)s2sz - top_bits > 9) ? (1U << ((int)s2sz - top_bits - 9)) : 1U;
	return num_start == needed;
}

uint64_t s2tte_create_unassigned(unsigned long ripas)
{
	return HIPAS_UNASSIGNED | (ripas << RIPAS_SHIFT);
}

uint64_t s2tte_create_unassigned_ns(void)
{
	return HIPAS_UNASSIGNED_NS;
}

uint64_t s2tte_create_assigned(uint64_t pa, int level, unsigned long ripas)
{
	if (ripas == RIPAS_RAM) {
		uint64_t type = (level == S2TT_PAGE_LEVEL) ? S2TTE_TABLE_OR_PAGE : S2TTE_BLOCK;

		return pa | S2TTE_AF | S2TTE_SH_INNER | S2TTE_AP_RW |
		       S2TTE_MEMATTR_NORMAL_WB | type;
	}
	return pa | HIPAS_ASSIGNED | (ripas << RIPAS_SHIFT);
}

uint64_t s2tte_create_assigned_ns(uint64_t host_desc, int level)
{
	uint64_t type = (level == S2TT_PAGE_LEVEL) ? S2TTE_TABLE_OR_PAGE : S2TTE_BLOCK;

	return (host_desc & (S2TTE_OA_MASK | S2TTE_NS_MEMATTR_MASK | S2TTE_AP_MASK)) |
	       S2TTE_NS | S2TTE_XN | S2TTE_AF | S2TTE_SH_INNER | type;
}

uint64_t s2tte_create_table(uint64_t pa)
{
	return pa | S2TTE_TABLE_OR_PAGE;
}

bool s2tte_host_ns_attrs_valid(uint64_t desc)
{
	return (desc & ~(S2TTE_OA_MASK | S2TTE_NS_MEMATTR_MASK | S2TTE_AP_MASK)) == 0UL &&
	       (desc & S2TTE_NS_MEMATTR_MASK) != S2TTE_MEMATTR_FWB_RESERVED;
}

bool s2tte_host_ns_desc_valid(uint64_t desc, int level)
{
	return s2tte_host_ns_attrs_valid(desc) &&
	       IS_ALIGNED(desc & S2TTE_OA_MASK, s2tt_map_size(level));
}

bool s2tte_is_table(uint64_t s2tte, int level)
{
	return level < S2TT_PAGE_LEVEL && (s2tte & S2TTE_TYPE_MASK) == S2TTE_TABLE_OR_PAGE;
}

static bool s2tte_is_valid_leaf(uint64_t s2tte, int level)
{
	uint64_t type = s2tte & S2TTE_TYPE_MASK;

	if (level == S2TT_PAGE_LEVEL) {
		return type == S2TTE_TABLE_OR_PAGE;
	}
	return type == S2TTE_BLOCK;
}

bool s2tte_is_unassigned(uint64_t s2tte)
{
	/* A CSM-marked entry is not: the host cannot populate it. */
	return (s2tte & S2TTE_VALID) == 0UL && (s2tte & HIPAS_MASK) == HIPAS_UNASSIGNED &&
	       (s2tte & CSM_MARK_MASK) == 0UL;
}

static uint64_t csm_page(uint64_t pa, bool ro, uint64_t kind)
{
	uint64_t e = s2tte_create_assigned(pa, S2TT_PAGE_LEVEL, RIPAS_RAM) | kind;

	return ro ? ((e & ~S2TTE_AP_MASK) | S2TTE_AP_RO) : e;
}

uint64_t s2tte_create_csm_region(uint64_t pa, bool ro)
{
	return csm_page(pa, ro, S2TTE_CSM_REGION);
}

uint64_t s2tte_create_csm_consumer(uint64_t pa, bool ro)
{
	return csm_page(pa, ro, S2TTE_CSM_CONSUMER);
}

uint64_t s2tte_create_csm_marked(unsigned long mark)
{
	return s2tte_create_unassigned(RIPAS_EMPTY) | ((mark << CSM_MARK_SHIFT) & CSM_MARK_MASK);
}

unsigned long s2tte_csm_mark(uint64_t s2tte)
{
	if ((s2tte & S2TTE_VALID) != 0UL || (s2tte & HIPAS_MASK) != HIPAS_UNASSIGNED) {
		return S2TTE_CSM_MARK_NONE;
	}
	return (s2tte & CSM_MARK_MASK) >> CSM_MARK_SHIFT;
}

bool s2tte_is_csm_region(uint64_t s2tte, int level)
{
	return level == S2TT_PAGE_LEVEL && (s2tte & S2TTE_TYPE_MASK) == S2TTE_TABLE_OR_PAGE &&
	       (s2tte & CSM_VALID_BITS) == S2TTE_CSM_REGION;
}

bool s2tte_is_csm_consumer(uint64_t s2tte, int level)
{
	return level == S2TT_PAGE_LEVEL && (s2tte & S2TTE_TYPE_MASK) == S2TTE_TABLE_OR_PAGE &&
	       (s2tte & CSM_VALID_BITS) == S2TTE_CSM_CONSUMER;
}

bool s2tte_is_csm(uint64_t s2tte, int level)
{
	return s2tte_is_csm_region(s2tte, level) || s2tte_is_csm_consumer(s2tte, level) ||
	       s2tte_csm_mark(s2tte) != S2TTE_CSM_MARK_NONE;
}

bool s2tte_is_read_only(uint64_t s2tte)
{
	return (s2tte & S2TTE_VALID) != 0UL && (s2tte & S2TTE_AP_MASK) == S2TTE_AP_RO;
}

bool s2tte_is_unassigned_ns(uint64_t s2tte)
{
	return (s2tte & S2TTE_VALID) == 0UL && (s2tte & HIPAS_MASK) == HIPAS_UNASSIGNED_NS;
}

bool s2tte_is_assigned(uint64_t s2tte, int level)
{
	if ((s2tte & S2TTE_VALID) == 0UL) {
		return (s2tte & HIPAS_MASK) == HIPAS_ASSIGNED;
	}
	return s2tte_is_valid_leaf(s2tte, level) && (s2tte & S2TTE_NS) == 0UL;
}

bool s2tte_is_assigned_ns(uint64_t s2tte, int level)
{
	return (s2tte & S2TTE_VALID) != 0UL && s2tte_is_valid_leaf(s2tte, level) &&
	       (s2tte & S2TTE_NS) != 0UL;
}

bool s2tte_is_live(uint64_t s2tte, int level)
{
	return s2tte_is_table(s2tte, level) || s2tte_is_assigned(s2tte, level) ||
	       s2tte_is_assigned_ns(s2tte, level);
}

bool s2tte_counts_in_refcount(uint64_t s2tte, int level)
{
	return s2tte_is_table(s2tte, level) || s2tte_is_assigned(s2tte, level);
}

uint64_t s2tte_with_ripas(uint64_t s2tte, int level, unsigned long ripas)
{
	if (s2tte_is_assigned(s2tte, level)) {
		return s2tte_create_assigned(s2tte_pa(s2tte), level, ripas);
	}
	return s2tte_create_unassigned(ripas);
}

unsigned long s2tte_get_ripas(uint64_t s2tte, int level)
{
	if ((s2tte & S2TTE_VALID) != 0UL) {
		return (s2tte_is_assigned(s2tte, level)) ? RIPAS_RAM : RIPAS_EMPTY;
	}
	return (s2tte & RIPAS_MASK) >> RIPAS_SHIFT;
}

uint64_t s2tte_pa(uint64_t s2tte)
{
	return s2tte & S2TTE_OA_MASK;
}

unsigned long s2tte_rmi_state(uint64_t s2tte, int level)
{
	if (s2tte_is_table(s2tte, level)) {
		return RMI_TABLE;
	}
	if (s2tte_is_assigned(s2tte, level) || s2tte_is_assigned_ns(s2tte, level)) {
		return RMI_ASSIGNED;
	}
	return RMI_UNASSIGNED;
}

uint64_t s2tte_rmi_desc(uint64_t s2tte, int level)
{
	if (s2tte_is_assigned_ns(s2tte, level)) {
		return s2tte & (S2TTE_OA_MASK | S2TTE_NS_MEMATTR_MASK | S2TTE_AP_MASK);
	}
	if (s2tte_is_assigned(s2tte, level) || s2tte_is_table(s2tte, level)) {
		return s2tte_pa(s2tte);
	}
	return 0UL;
}

unsigned int s2tt_init_table(uint64_t *table, uint64_t parent, int level)
{
	unsigned long size = s2tt_map_size(level);
	uint64_t pa = s2tte_pa(parent);
	unsigned int i;

	if (s2tte_is_assigned(parent, level - 1)) {
		unsigned long ripas = s2tte_get_ripas(parent, level - 1);

		for (i = 0U; i < S2TT_ENTRIES; i++) {
			table[i] = s2tte_create_assigned(pa + i * size, level, ripas);
		}
		return S2TT_ENTRIES;
	}
	if (s2tte_is_assigned_ns(parent, level - 1)) {
		uint64_t attrs = parent & (S2TTE_NS_MEMATTR_MASK | S2TTE_AP_MASK);

		for (i = 0U; i < S2TT_ENTRIES; i++) {
			table[i] = s2tte_create_assigned_ns(attrs | (pa + i * size), level);
		}
		return 0U;
	}
	for (i = 0U; i < S2TT_ENTRIES; i++) {
		table[i] = parent;
	}
	return 0U;
}

bool s2tt_fold(const uint64_t *table, int level, uint64_t *folded)
{
	uint64_t first = table[0];
	unsigned long size = s2tt_map_size(level);
	uint64_t pa = s2tte_pa(first);
	unsigned int i;

	if (s2tte_is_unassigned(first) || s2tte_is_unassigned_ns(first)) {
		/* Same state and RIPAS: the software bits are the whole entry. */
		for (i = 1U; i < S2TT_ENTRIES; i++) {
			if (table[i] != first) {
				return false;
			}
		}
		*folded = first;
		return true;
	}
	/* Blocks exist at levels 1 and 2 only: fold level 2 and 3 tables. */
	if (level < 2 || !IS_ALIGNED(pa, s2tt_map_size(level - 1))) {
		return false;
	}
	if (s2tte_is_assigned(first, level)) {
		unsigned long ripas = s2tte_get_ripas(first, level);

		for (i = 0U; i < S2TT_ENTRIES; i++) {
			if (table[i] != s2tte_create_assigned(pa + i * size, level, ripas)) {
				return false;
			}
		}
		*folded = s2tte_create_assigned(pa, level - 1, ripas);
		return true;
	}
	if (s2tte_is_assigned_ns(first, level)) {
		uint64_t attrs = first & (S2TTE_NS_MEMATTR_MASK | S2TTE_AP_MASK);

		for (i = 0U; i < S2TT_ENTRIES; i++) {
			if (table[i] != s2tte_create_assigned_ns(attrs | (pa + i * size), level)) {
				return false;
			}
		}
		*folded = s2tte_create_assigned_ns(attrs | pa, level - 1);
		return true;
	}
	return false;	/* a TABLE entry: never homogeneous */
}

uint64_t s2tt_table_end(int level, uint64_t ipa)
{
	unsigned long span = s2tt_map_size(level) * S2TT_ENTRIES;

	return (ipa & ~(span - 1UL)) + span;
}

uint64_t s2tt_skip_non_live(const uint64_t *table, int level, uint64_t ipa)
{
	unsigned long size = s2tt_map_size(level);
	uint64_t addr = ipa & ~(size - 1UL);
	unsigned long i = (ipa >> level_shift(level)) & (S2TT_ENTRIES - 1UL);

	for (; i < S2TT_ENTRIES; i++, addr += size) {
		if (s2tte_is_live(table[i], level)) {
			return addr;
		}
	}
	return addr;
}

void s2tt_init_root(const struct s2tt_ctx *ctx)
{
	unsigned int t, i;
	unsigned long size = s2tt_map_size(ctx->level_start);

	for (t = 0U; t < ctx->num_start; t++) {
		uint64_t *table = plat_granule_va(ctx->rtt_base + t * GRANULE_SIZE);

		for (i = 0U; i < S2TT_ENTRIES; i++) {
			uint64_t ipa = ((uint64_t)t * S2TT_ENTRIES + i) * size;

			table[i] = s2tt_ipa_is_protected(ctx, ipa) ?
				   s2tte_create_unassigned(RIPAS_EMPTY) :
				   s2tte_create_unassigned_ns();
		}
	}
}

void s2tt_walk_lock_unlock(const struct s2tt_ctx *ctx, uint64_t ipa, int level,
			   struct s2tt_walk *w)
{
	int l = ctx->level_start;
	/* Concatenated root tables behave as one table of num_start * 512. */
	unsigned long idx = (ipa >> level_shift(l)) & (ctx->num_start * S2TT_ENTRIES - 1UL);
	uint64_t table_pa = ctx->rtt_base + (idx / S2TT_ENTRIES) * GRANULE_SIZE;

	idx %= S2TT_ENTRIES;
	for (;;) {
		uint64_t *table = plat_granule_va(table_pa);
		uint64_t e = table[idx];

		w->last_level = l;
		w->table = table;
		w->g_table = addr_to_granule(table_pa);
		w->index = idx;
		RMM_ASSERT(w->g_table != NULL);
		if (l == level || !s2tte_is_table(e, l)) {
			return;
		}
		table_pa = s2tte_pa(e);
		l++;
		idx = (ipa >> level_shift(l)) & (S2TT_ENTRIES - 1UL);
	}
}
