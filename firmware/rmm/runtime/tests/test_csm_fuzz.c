/*
 * Random RMI + RSI sequences against the RMM with core/csm on the fake
 * host, with four invariants checked after every call:
 *   1. consent: every page a realm maps is its own (the host created it in
 *      that realm), or a consumer page inside a range of a grant the realm
 *      attached (as its successful RSI calls say, tracked here
 *      independently of core/csm) to a region of the page's owner;
 *   2. the Normal world never maps Realm PAS: every granule's GPT entry
 *      agrees with its state (NS <-> Non-secure PAS), and no unprotected
 *      mapping names a CSM granule;
 *   3. mappings equal refcounts: a DATA granule's refcount is the number
 *      of RTT entries that map it, in all realms; an RTT's is its live
 *      entries;
 *   4. freed IDs are never reused: every realm, region and grant ID ever
 *      returned is remembered, and each new one must be new.
 * Also after every call: csm_check() on the state machine and no lock
 * held.  Calls: CAEC_CSM_FUZZ_CALLS (default 100,000, scaled by
 * CAEC_TEST_SCALE), seed CAEC_CSM_FUZZ_SEED.
 */
#include "csm_world.h"

#include <csm/check.h>
#include <lockdep.h>
#include <rmm_csm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS		4U
#define NGRANULES	(PLAT_NS_DRAM_SIZE >> GRANULE_SHIFT)
#define MAX_GRANTS	1024U
#define MAX_IDS		(1U << 18)

static struct w_realm realm[SLOTS];
static bool live[SLOTS];		/* built and not torn down */
static uint64_t rng;

/* Independent model: who owns each granule, which attachments consented. */
static int owner[NGRANULES];		/* realm slot, -1: none */
static struct {
	bool used, reserved, attached;
	unsigned int prov, cons;
	uint64_t id, region, cbase, size;
} grant[MAX_GRANTS];
static struct {
	uint64_t id, base, size;
	unsigned int prov;
	bool used;
} region[MAX_GRANTS];

/* Every ID ever returned: open addressing, never deleted. */
static uint64_t *ids;
static unsigned long nids, calls, stats_busy, stats_sea, stats_ok_rsi, ok_by_op[13];

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static unsigned int pick(unsigned int n)
{
	return (unsigned int)(rnd() % n);
}

static unsigned int gidx(uint64_t pa)
{
	return (unsigned int)((pa - PLAT_NS_DRAM_BASE) >> GRANULE_SHIFT);
}

/* Invariant 4: a new ID must never have been seen. */
static void new_id(uint64_t id)
{
	uint64_t h = (id * 0x9E3779B97F4A7C15UL) >> 46;	/* 18 bits */

	assert_int_not_equal(0, id);
	assert_true(nids < MAX_IDS / 2U);
	while (ids[h] != 0UL) {
		if (ids[h] == id) {
			fail_msg("ID 0x%lx issued twice", (unsigned long)id);
		}
		h = (h + 1U) & (MAX_IDS - 1U);
	}
	ids[h] = id;
	nids++;
}

static void own_realm_pages(unsigned int s)
{
	unsigned int i;

	for (i = 0U; i < W_PRIV_PAGES; i++) {
		if (realm[s].priv[i] != 0UL) {
			owner[gidx(realm[s].priv[i])] = (int)s;
		}
	}
	for (i = 0U; i < realm[s].npop; i++) {
		owner[gidx(realm[s].pop[i])] = (int)s;
	}
}

static void forget_realm(unsigned int s)
{
	unsigned int i;

	for (i = 0U; i < NGRANULES; i++) {
		if (owner[i] == (int)s) {
			owner[i] = -1;
		}
	}
	for (i = 0U; i < MAX_GRANTS; i++) {
		if (grant[i].used && (grant[i].prov == s || grant[i].cons == s)) {
			grant[i].used = false;
		}
		if (region[i].used && region[i].prov == s) {
			region[i].used = false;
		}
	}
}

static int find_grant(uint64_t id)
{
	unsigned int i;

	for (i = 0U; i < MAX_GRANTS; i++) {
		if (grant[i].used && grant[i].id == id) {
			return (int)i;
		}
	}
	return -1;
}

/* --- the invariants --------------------------------------------------------- */

static unsigned int data_maps[NGRANULES];

static bool consented(unsigned int c, uint64_t ipa, uint64_t pa)
{
	unsigned int i;

	for (i = 0U; i < MAX_GRANTS; i++) {
		if (grant[i].used && grant[i].attached && grant[i].cons == c &&
		    ipa >= grant[i].cbase && ipa < grant[i].cbase + grant[i].size &&
		    owner[gidx(pa)] == (int)grant[i].prov) {
			return true;
		}
	}
	return false;
}

static void check_table(unsigned int s, uint64_t table_pa, int level, uint64_t ipa_base)
{
	const struct rd *rd = fake_pa_ptr(realm[s].t.rd);
	const uint64_t *t = fake_pa_ptr(table_pa);
	unsigned int i, live_entries = 0U;

	for (i = 0U; i < S2TT_ENTRIES; i++) {
		uint64_t e = t[i], ipa = ipa_base + (uint64_t)i * s2tt_map_size(level);

		if (s2tte_is_table(e, level)) {
			live_entries++;
			check_table(s, s2tte_pa(e), level + 1, ipa);
		} else if (s2tte_is_assigned(e, level)) {
			uint64_t n = s2tt_map_size(level) / GRANULE_SIZE, k;

			live_entries++;
			for (k = 0U; k < n; k++) {
				uint64_t pa = s2tte_pa(e) + k * GRANULE_SIZE;

				assert_int_equal(GRANULE_STATE_DATA,
						 granule_get_state(addr_to_granule(pa)));
				data_maps[gidx(pa)]++;
				/* 1: consent */
				if (s2tte_is_csm_consumer(e, level)) {
					if (!consented(s, ipa, pa)) {
						fail_msg("realm %u maps 0x%lx at IPA 0x%lx without consent",
							 s, (unsigned long)pa, (unsigned long)ipa);
					}
				} else if (owner[gidx(pa)] != (int)s) {
					fail_msg("realm %u maps 0x%lx (owner %d) as its own", s,
						 (unsigned long)pa, owner[gidx(pa)]);
				}
			}
		} else if (s2tte_is_assigned_ns(e, level)) {
			/* 2: no unprotected mapping of a CSM granule */
			assert_false(s2tt_ipa_is_protected(&rd->s2, ipa));
			assert_false(rmm_csm_granule_is_shared(s2tte_pa(e)));
		}
	}
	/* 3: an RTT's refcount is its live entries */
	assert_int_equal(live_entries, granule_refcount(addr_to_granule(table_pa)));
}

static void check_all(void)
{
	unsigned int s, i;

	memset(data_maps, 0, sizeof(data_maps));
	for (s = 0U; s < SLOTS; s++) {
		if (live[s]) {
			const struct rd *rd = fake_pa_ptr(realm[s].t.rd);

			check_table(s, rd->s2.rtt_base, rd->s2.level_start, 0UL);
		}
	}
	for (i = 0U; i < NGRANULES; i++) {
		uint64_t pa = PLAT_NS_DRAM_BASE + (uint64_t)i * GRANULE_SIZE;
		const struct granule *g = addr_to_granule(pa);
		enum granule_state st = granule_get_state(g);

		/* 2: the GPT and the RMM agree on every granule's PAS */
		assert_int_equal(st == GRANULE_STATE_NS ? FAKE_GPI_NS : FAKE_GPI_REALM,
				 fake_gpt_get(pa));
		/* 3: a DATA granule's refcount is its number of mappings */
		if (st == GRANULE_STATE_DATA) {
			assert_int_equal(data_maps[i], granule_refcount(g));
		} else {
			assert_int_equal(0, data_maps[i]);
			assert_false(rmm_csm_granule_is_shared(pa));
		}
	}
	assert_int_equal(0, csm_check(rmm_csm_state()));
	assert_int_equal(0, lockdep_held());
}

/* --- operations -------------------------------------------------------------- */

static unsigned int any_live(void)
{
	unsigned int s = pick(SLOTS), k;

	for (k = 0U; k < SLOTS; k++) {
		if (live[(s + k) % SLOTS]) {
			return (s + k) % SLOTS;
		}
	}
	return SLOTS;
}

/* An IPA a realm might name: its window, its private pages, a bit beyond. */
static uint64_t any_ipa(void)
{
	switch (pick(8)) {
	case 0:
		return TEST_IPA_BASE + (uint64_t)pick(W_PRIV_PAGES) * G;
	case 1:
		return TEST_IPA_BASE + (uint64_t)pick(512) * G + (pick(4) == 0 ? 8UL : 0UL);
	case 2:
		return W_RSV_BASE + (uint64_t)pick(32) * G;
	default:
		return W_CSM_BASE + (uint64_t)pick(32) * G;
	}
}

/*
 * An object of the model for s, if there is one: a region of s (kind 0),
 * a grant by s (2), a grant to s: not reserved (1), reserved but not
 * attached (3), reserved or attached (4); an attached grant of s either
 * side (5).
 */
static int smart(unsigned int s, int kind)
{
	unsigned int k, i = pick(MAX_GRANTS);

	for (k = 0U; k < MAX_GRANTS; k++, i = (i + 1U) % MAX_GRANTS) {
		bool to_s = grant[i].used && grant[i].cons == s;

		if ((kind == 0 && region[i].used && region[i].prov == s) ||
		    (kind == 1 && to_s && !grant[i].reserved) ||
		    (kind == 2 && grant[i].used && grant[i].prov == s) ||
		    (kind == 3 && to_s && grant[i].reserved && !grant[i].attached) ||
		    (kind == 4 && to_s && grant[i].reserved) ||
		    (kind == 5 && grant[i].used && grant[i].attached &&
		     (grant[i].cons == s || grant[i].prov == s))) {
			return (int)i;
		}
	}
	return -1;
}

static uint64_t any_id(unsigned int s)
{
	unsigned int i = pick(MAX_GRANTS);

	switch (pick(6)) {
	case 0:
		return rnd();
	case 1:
		return realm[pick(SLOTS)].id;
	case 2:
	case 3:
		return region[i].id;
	default:
		return grant[i].id != 0UL ? grant[i].id : realm[s].id;
	}
}

static void host_answers(unsigned int s, const struct w_call *c)
{
	if (c->x[0] == RSI_ERROR_BUSY) {
		stats_busy++;
	}
	if (pick(4) == 0) {
		return;		/* the host ignores it: the realm may retry later */
	}
	switch (c->exit.exit_reason) {
	case RMI_EXIT_CSM_POPULATE:
		if (realm[s].npop + (c->exit.ripas_top - c->exit.ripas_base) / G < W_MAX_POP) {
			w_host_populate(&realm[s], c->exit.ripas_base, c->exit.ripas_top);
			own_realm_pages(s);
		}
		break;
	case RMI_EXIT_CSM_RELEASE:
		w_host_release(&realm[s], c->exit.ripas_base, c->exit.ripas_top);
		break;
	case RMI_EXIT_CSM_META:
		if (realm[s].nmeta < W_MAX_META) {
			(void)w_host_meta_add(&realm[s]);
		}
		break;
	default:
		break;
	}
}

/* Death: its grants and regions are gone; its pages are still its own. */
static void realm_dies(unsigned int s)
{
	unsigned int i;

	for (i = 0U; i < MAX_GRANTS; i++) {
		if (grant[i].used && (grant[i].prov == s || grant[i].cons == s)) {
			grant[i].used = false;
		}
		if (region[i].used && region[i].prov == s) {
			region[i].used = false;
		}
	}
	realm[s].off = true;
}

static void op_rsi(unsigned int s)
{
	struct w_realm *r = &realm[s];
	struct w_call c;
	/* share grant revoke unshare seal list reserve attach detach notify access id death */
	static const unsigned int weight[13] = { 10, 12, 3, 3, 4, 4, 13, 15, 5, 9, 15, 4, 3 };
	uint64_t a1 = any_id(s), base = any_ipa(), size = (uint64_t)(1U + pick(4)) * G;
	unsigned int op = 0U, w = pick(100);
	int gi, m;

	while (w >= weight[op]) {
		w -= weight[op++];
	}

	/* Half the time, arguments that can succeed: the model's own objects. */
	if (pick(2) == 0) {
		static const int kind[13] = { -1, 0, 2, 0, 0, -1, 1, 3, 4, 5, -1, -1, -1 };

		m = (kind[op] >= 0) ? smart(s, kind[op]) : -1;
		if (m >= 0 && (op == 1 || op == 3 || op == 4)) {
			a1 = region[m].id;
		} else if (m >= 0) {
			a1 = grant[m].id;
			if (op == 6) {	/* RESERVE: the region's size, in the reserve area */
				unsigned int j;

				for (j = 0U; j < MAX_GRANTS; j++) {
					if (region[j].used && region[j].id == grant[m].region) {
						size = region[j].size;
					}
				}
				base = W_RSV_BASE + (uint64_t)pick(24) * G;
			}
		}
	}
	switch (op) {
	case 0:		/* SHARE */
		w_rsi(r, SMC_RSI_CSM_SHARE, base, size, 0, 0, &c);
		if (c.x[0] == RSI_SUCCESS) {
			unsigned int i = pick(MAX_GRANTS);

			new_id(c.x[1]);
			region[i].used = true;
			region[i].id = c.x[1];
			region[i].base = base;
			region[i].size = size;
			region[i].prov = s;
		}
		break;
	case 1: {	/* GRANT, mostly to another live realm */
		unsigned int to = pick(SLOTS), i;

		for (i = 0U; i < SLOTS && pick(8) != 0U && (to == s || !live[to]); i++) {
			to = (to + 1U) % SLOTS;
		}

		w_rsi(r, SMC_RSI_CSM_GRANT, a1, realm[to].id, pick(2) ? CSM_PERM_RO : CSM_PERM_RW,
		      pick(8) == 0 ? TEST_IPA_BASE + 3 * G : 0, &c);
		if (c.x[0] == RSI_SUCCESS) {
			new_id(c.x[1]);
			for (i = 0U; i < MAX_GRANTS && grant[i].used; i++) {
			}
			assert_true(i < MAX_GRANTS);	/* the model needs every grant */
			grant[i].used = true;
			grant[i].reserved = false;
			grant[i].attached = false;
			grant[i].id = c.x[1];
			grant[i].region = a1;
			grant[i].prov = s;
			grant[i].cons = to;
		}
		break;
	}
	case 2:		/* REVOKE */
		w_rsi(r, SMC_RSI_CSM_REVOKE, a1, 0, 0, 0, &c);
		gi = find_grant(a1);
		if (c.x[0] == RSI_SUCCESS) {
			assert_true(gi >= 0 && grant[gi].prov == s);
			grant[gi].used = false;
		}
		break;
	case 3:		/* UNSHARE */
		w_rsi(r, SMC_RSI_CSM_UNSHARE, a1, 0, 0, 0, &c);
		if (c.x[0] == RSI_SUCCESS) {
			unsigned int i;

			for (i = 0U; i < MAX_GRANTS; i++) {
				if (grant[i].used && grant[i].region == a1) {
					grant[i].used = false;
				}
				if (region[i].used && region[i].id == a1) {
					region[i].used = false;
				}
			}
		}
		break;
	case 4:		/* SEAL, output in a private page or elsewhere */
		w_rsi(r, SMC_RSI_CSM_SEAL, a1, pick(2) ? TEST_IPA_BASE + 4 * G : base, 0, 0, &c);
		break;
	case 5:		/* GRANT_LIST */
		w_rsi(r, SMC_RSI_CSM_GRANT_LIST, pick(4), 0, 0, 0, &c);
		break;
	case 6:		/* RESERVE */
		w_rsi(r, SMC_RSI_CSM_RESERVE, a1, base, size, 0, &c);
		gi = find_grant(a1);
		if (c.x[0] == RSI_SUCCESS) {
			assert_true(gi >= 0 && grant[gi].cons == s);
			grant[gi].reserved = true;
			grant[gi].cbase = base;
			grant[gi].size = size;
		}
		break;
	case 7:		/* ATTACH, sometimes requiring a content hash (a private page or elsewhere) */
		if (pick(4) == 0) {
			w_rsi(r, SMC_RSI_CSM_ATTACH, a1, pick(2) ? TEST_IPA_BASE + 5 * G : base,
			      pick(3) ? 32U : pick(64), 0, &c);
		} else {
			w_rsi(r, SMC_RSI_CSM_ATTACH, a1, 0, 0, 0, &c);
		}
		gi = find_grant(a1);
		if (c.x[0] == RSI_SUCCESS) {
			assert_true(gi >= 0 && grant[gi].cons == s);
			grant[gi].attached = true;
		}
		break;
	case 8:		/* DETACH */
		w_rsi(r, SMC_RSI_CSM_DETACH, a1, 0, 0, 0, &c);
		gi = find_grant(a1);
		if (c.x[0] == RSI_SUCCESS) {
			assert_true(gi >= 0 && grant[gi].cons == s);
			grant[gi].reserved = false;
			grant[gi].attached = false;
		}
		break;
	case 9:		/* NOTIFY */
		w_rsi(r, SMC_RSI_CSM_NOTIFY, a1, 0, 0, 0, &c);
		break;
	case 10: {	/* the realm touches memory */
		uint64_t v = rnd();
		enum w_result res = w_access(r, base & ~7UL, pick(2) != 0, &v);

		stats_sea += (res == WA_SEA) ? 1U : 0U;
		return;
	}
	case 11:	/* REALM_ID: the same for the realm's whole life */
		w_rsi(r, SMC_RSI_CSM_REALM_ID, 0, 0, 0, 0, &c);
		assert_int_equal(RSI_SUCCESS, c.x[0]);
		assert_int_equal(r->id, c.x[1]);
		break;
	default:	/* death, rarely */
		if (pick(40) != 0) {
			return;
		}
		w_rsi(r, PSCI_SYSTEM_OFF, 0, 0, 0, 0, &c);
		realm_dies(s);
		return;
	}
	stats_ok_rsi += (c.x[0] == RSI_SUCCESS) ? 1U : 0U;
	ok_by_op[op] += (c.x[0] == RSI_SUCCESS) ? 1U : 0U;
	/* A failed CSM call names its cause: the magnitude of a caec_err in x1. */
	if (c.x[0] != RSI_SUCCESS && c.returned) {
		assert_true(c.x[1] >= 1U && c.x[1] < (unsigned long)CAEC_ERR_COUNT);
	}
	host_answers(s, &c);
}

/* The host attacks or tidies: every call must fail cleanly or be legal. */
static void op_rmi(unsigned int s)
{
	struct w_realm *r = &realm[s];
	struct smc_result res;
	uint64_t pa = PLAT_NS_DRAM_BASE + (uint64_t)pick(1536) * G, ipa = any_ipa();

	switch (pick(8)) {
	case 0:		/* DATA_CREATE_UNKNOWN of any granule anywhere */
		if (rmi(SMC_RMI_DATA_CREATE_UNKNOWN, r->t.rd, pa, ipa, 0, 0, NULL) == RMI_SUCCESS) {
			/* Only DELEGATED granules can be: the host made it its own page. */
			if (r->npop < W_MAX_POP) {
				r->pop[r->npop++] = pa;
				owner[gidx(pa)] = (int)s;
			} else {
				assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_DESTROY, r->t.rd, ipa, 0, 0, 0,
							    NULL));
			}
		}
		break;
	case 1:		/* DATA_DESTROY anywhere */
		if (rmi(SMC_RMI_DATA_DESTROY, r->t.rd, ipa, 0, 0, 0, &res) == RMI_SUCCESS) {
			unsigned int i;

			for (i = 0U; i < r->npop; i++) {
				if (r->pop[i] == res.x[1]) {
					owner[gidx(res.x[1])] = -1;
					r->pop[i] = r->pop[--r->npop];
					assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_GRANULE_UNDELEGATE, res.x[1], 0,
								    0, 0, 0, NULL));
					w_free_ns(res.x[1]);
					break;
				}
			}
			for (i = 0U; i < W_PRIV_PAGES; i++) {
				if (r->priv[i] == res.x[1]) {
					owner[gidx(res.x[1])] = -1;
					r->priv[i] = 0UL;
					assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_GRANULE_UNDELEGATE, res.x[1], 0,
								    0, 0, 0, NULL));
					w_free_ns(res.x[1]);
				}
			}
		}
		break;
	case 2:		/* RTT_MAP_UNPROTECTED of any PA (a CSM one must fail) */
		if (rmi(SMC_RMI_RTT_MAP_UNPROTECTED, r->t.rd, TEST_UNPROT, 3, pa, 0, NULL) ==
		    RMI_SUCCESS) {
			assert_false(rmm_csm_granule_is_shared(pa));
		}
		break;
	case 3:		/* UNDELEGATE of any granule: only DELEGATED ones may go */
		if (granule_get_state(addr_to_granule(pa)) != GRANULE_STATE_DELEGATED) {
			assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_GRANULE_UNDELEGATE, pa, 0, 0, 0, 0,
							NULL));
		}
		break;
	case 4:		/* META_REMOVE of any granule */
		if (rmi(SMC_RMI_CSM_META_REMOVE, r->t.rd, pa, 0, 0, 0, NULL) == RMI_SUCCESS) {
			unsigned int i;

			for (i = 0U; i < r->nmeta; i++) {
				if (r->meta[i] == pa) {
					r->meta[i] = r->meta[--r->nmeta];
					assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_GRANULE_UNDELEGATE, pa, 0, 0,
								    0, 0, NULL));
					w_free_ns(pa);
				}
			}
		}
		break;
	case 5:		/* META_ADD */
		if (r->nmeta < W_MAX_META && !r->off) {
			(void)w_host_meta_add(r);
		}
		break;
	case 6:		/* RTT_READ_ENTRY */
		(void)rmi(SMC_RMI_RTT_READ_ENTRY, r->t.rd, ipa & ~GRANULE_MASK, 3, 0, 0, NULL);
		break;
	default:	/* REALM_DESTROY while it has RECs: refused */
		assert_rmi(RMI_ERROR_REALM, rmi(SMC_RMI_REALM_DESTROY, r->t.rd, 0, 0, 0, 0, NULL));
		break;
	}
}

static unsigned int generation[SLOTS];

static void op_lifecycle(void)
{
	unsigned int s = pick(SLOTS);

	if (!live[s]) {
		/* A VMID no other live realm has: one residue class per slot. */
		w_realm_make(&realm[s], s + 1U + SLOTS * (generation[s]++ % 60U));
		new_id(realm[s].id);
		live[s] = true;
		own_realm_pages(s);
	} else if (pick(3) == 0) {
		forget_realm(s);
		w_realm_teardown(&realm[s]);
		live[s] = false;
	}
}

static unsigned long fuzz_calls(void)
{
	const char *n = getenv("CAEC_CSM_FUZZ_CALLS");
	const char *scale = getenv("CAEC_TEST_SCALE");
	double f = (scale != NULL && *scale != '\0') ? atof(scale) : 1.0;

	if (n != NULL && *n != '\0') {
		return strtoul(n, NULL, 0);
	}
	if (f <= 0.0 || f > 1.0) {
		f = 1.0;
	}
	return (unsigned long)(100000.0 * f);
}

/*
 * Proves the four invariants (and csm_check, and no lock held) after every
 * one of CAEC_CSM_FUZZ_CALLS random calls: realm lifecycle, every CSM RSI
 * call with mostly valid and some random arguments, realm memory accesses,
 * deaths, a host that answers or ignores CSM exits, and host attacks
 * (DATA_CREATE of any granule, DATA_DESTROY anywhere, unprotected mappings
 * of any PA, UNDELEGATE and META_REMOVE of anything).
 */
static void test_csm_fuzz(void **state)
{
	unsigned long n = fuzz_calls(), i;
	const char *seed = getenv("CAEC_CSM_FUZZ_SEED");
	unsigned int s;

	(void)state;
	rng = (seed != NULL && *seed != '\0') ? strtoull(seed, NULL, 0) : 0xC5A1F022DEADBEEFUL;
	if (rng == 0UL) {
		rng = 1UL;
	}
	ids = calloc(MAX_IDS, sizeof(*ids));
	assert_non_null(ids);
	memset(owner, -1, sizeof(owner));
	for (i = 0UL; i < n; i++) {
		unsigned int k = pick(100);

		if (k < 3U) {
			op_lifecycle();
		} else if ((s = any_live()) == SLOTS) {
			op_lifecycle();
		} else if (k < 25U) {
			op_rmi(s);
		} else if (!realm[s].off) {
			op_rsi(s);
		} else {
			op_rmi(s);
		}
		calls++;
		check_all();
	}
	for (s = 0U; s < SLOTS; s++) {
		if (live[s]) {
			forget_realm(s);
			w_realm_teardown(&realm[s]);
			live[s] = false;
		}
	}
	check_all();
	assert_int_equal(0, granule_count_in_state(GRANULE_STATE_DELEGATED));
	print_message("  %lu calls, %lu IDs issued, %lu successful CSM calls, %lu BUSY, %lu SEAs "
		      "(seed 0x%lx)\n", calls, nids, stats_ok_rsi, stats_busy, stats_sea,
		      (unsigned long)(seed ? strtoull(seed, NULL, 0) : 0xC5A1F022DEADBEEFUL));
	print_message("  successes: share %lu grant %lu revoke %lu unshare %lu seal %lu list %lu "
		      "reserve %lu attach %lu detach %lu notify %lu\n", ok_by_op[0], ok_by_op[1],
		      ok_by_op[2], ok_by_op[3], ok_by_op[4], ok_by_op[5], ok_by_op[6], ok_by_op[7],
		      ok_by_op[8], ok_by_op[9]);
	/* Every kind of call succeeded often enough for the run to mean something. */
	for (i = 0UL; i < 10UL; i++) {
		assert_true(ok_by_op[i] > n / 2000UL);
	}
	assert_true(stats_sea > 0U);
	free(ids);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_csm_fuzz, rmm_test_setup),
	};

	w_world_reset();
	return cmocka_run_group_tests_name("rmm-csm-fuzz", tests, NULL, NULL);
}
