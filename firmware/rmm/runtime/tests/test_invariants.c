/*
 * Randomised RMI sequences (valid and invalid arguments mixed) with a full
 * consistency check of the RMM state after every call:
 *  - a granule is in the Realm PAS iff its state is not NS;
 *  - every RTT's refcount equals its number of live entries, and every table
 *    entry points at a granule in state RTT;
 *  - every assigned protected entry points at a DATA granule, no DATA
 *    granule is mapped twice (in one realm or in two), no DATA is unmapped;
 *  - every RD's refcount equals the number of RECs that name it, and no
 *    REC is left marked busy after REC_ENTER returned;
 *  - a REC's auxiliary granules are REC_AUX, and every REC_AUX granule
 *    belongs to exactly one REC;
 *  - a protected entry's RIPAS is EMPTY, RAM or DESTROYED, and it is a
 *    valid (hardware) mapping exactly when it is ASSIGNED with RIPAS RAM;
 *  - a REC with no RIPAS change pending has ripas_addr = ripas_top = 0,
 *    one with a change pending has ripas_addr <= ripas_top.
 * The steps include RTT_FOLD (of unassigned RTTs, and once per seed of a
 * 2 MB block of DATA), and RTT_SET_RIPAS on RECs whose realm asked for a
 * RIPAS change (the fake realm makes random RSI_IPA_STATE_SET calls).
 */
#include "rmm_test.h"

#include <s2tt.h>
#include <stdlib.h>
#include <string.h>

#define POOL	48U
#define STEPS	8000U

static uint64_t pool[POOL];
static unsigned long max_state[GRANULE_STATE_NR];	/* coverage of the random walk */
static uint64_t src, run;
/* DATA mappings seen: the pool, then the 512 granules of the block area */
static unsigned int data_seen[POOL + S2TT_ENTRIES];
static bool block_built;
static unsigned long folds, ripas_sets, blocks;	/* successful calls: coverage */

static int pool_index(uint64_t pa)
{
	unsigned int i;
	uint64_t block = block_area_2mb();

	for (i = 0; i < POOL; i++) {
		if (pool[i] == pa) {
			return (int)i;
		}
	}
	if (pa >= block && pa < block + S2TT_ENTRIES * GRANULE_SIZE) {
		return (int)(POOL + (pa - block) / GRANULE_SIZE);
	}
	return -1;
}

static void check_table(uint64_t table_pa, int level, uint64_t ipa_base, const struct rd *rd)
{
	const uint64_t *t = fake_pa_ptr(table_pa);
	unsigned int i, live = 0;

	for (i = 0; i < S2TT_ENTRIES; i++) {
		uint64_t e = t[i];
		uint64_t ipa = ipa_base + (uint64_t)i * s2tt_map_size(level);

		if (s2tte_is_table(e, level)) {
			live++;
			assert_int_equal(GRANULE_STATE_RTT, granule_get_state(addr_to_granule(s2tte_pa(e))));
			check_table(s2tte_pa(e), level + 1, ipa, rd);
		} else if (s2tt_ipa_is_protected(&rd->s2, ipa)) {
			unsigned long ripas = s2tte_get_ripas(e, level);

			assert_true(ripas == RIPAS_EMPTY || ripas == RIPAS_RAM || ripas == RIPAS_DESTROYED);
			assert_int_equal(s2tte_is_assigned(e, level) && ripas == RIPAS_RAM,
					 (e & S2TTE_VALID) != 0);
		}
		if (s2tte_is_table(e, level)) {
			/* counted above */
		} else if (s2tte_is_assigned(e, level)) {
			/* A page, or a block of contiguous DATA granules (RTT_FOLD). */
			uint64_t n = s2tt_map_size(level) / GRANULE_SIZE, k;

			live++;
			assert_true(s2tt_ipa_is_protected(&rd->s2, ipa));
			for (k = 0; k < n; k++) {
				uint64_t pa = s2tte_pa(e) + k * GRANULE_SIZE;
				int idx = pool_index(pa);

				assert_true(idx >= 0);
				assert_int_equal(GRANULE_STATE_DATA, granule_get_state(addr_to_granule(pa)));
				data_seen[idx]++;
				assert_int_equal(1, data_seen[idx]);
			}
		} else if (s2tte_is_assigned_ns(e, level)) {
			/* RMM v1.0: ASSIGNED_NS does not make an RTT live (A5.5.8). */
			assert_false(s2tt_ipa_is_protected(&rd->s2, ipa));
		}
	}
	assert_int_equal(live, granule_refcount(addr_to_granule(table_pa)));
}

static void check_all(void)
{
	unsigned int i, j, data = 0;

	memset(data_seen, 0, sizeof(data_seen));
	for (i = 0; i < POOL; i++) {
		struct granule *g = addr_to_granule(pool[i]);
		enum granule_state st = granule_get_state(g);

		assert_int_equal(st == GRANULE_STATE_NS ? FAKE_GPI_NS : FAKE_GPI_REALM, fake_gpt_get(pool[i]));
		if (st == GRANULE_STATE_DATA) {
			data++;
		}
		if (st == GRANULE_STATE_REC) {
			const struct rec *rec = fake_pa_ptr(pool[i]);

			assert_int_equal(0, granule_refcount(g));	/* not left busy */
			for (j = 0; j < REC_AUX_GRANULES; j++) {
				assert_int_equal(GRANULE_STATE_REC_AUX,
						 granule_get_state(addr_to_granule(rec->aux[j])));
			}
			if (rec->ripas_pending == 0U) {
				assert_int_equal(0, rec->ripas_addr);
				assert_int_equal(0, rec->ripas_top);
			} else {
				assert_true(rec->ripas_addr <= rec->ripas_top);
			}
		}
		if (st == GRANULE_STATE_REC_AUX) {
			unsigned int owners = 0, k;

			for (j = 0; j < POOL; j++) {
				const struct rec *rec = fake_pa_ptr(pool[j]);

				if (granule_get_state(addr_to_granule(pool[j])) != GRANULE_STATE_REC) {
					continue;
				}
				for (k = 0; k < REC_AUX_GRANULES; k++) {
					owners += rec->aux[k] == pool[i];
				}
			}
			assert_int_equal(1, owners);
		}
		if (st == GRANULE_STATE_RD) {
			const struct rd *rd = fake_pa_ptr(pool[i]);
			unsigned int recs = 0;

			check_table(rd->s2.rtt_base, rd->s2.level_start, 0, rd);
			for (j = 0; j < POOL; j++) {
				if (granule_get_state(addr_to_granule(pool[j])) == GRANULE_STATE_REC &&
				    ((struct rec *)fake_pa_ptr(pool[j]))->rd_addr == pool[i]) {
					recs++;
				}
			}
			assert_int_equal(recs, granule_refcount(g));
		}
	}
	for (i = 0; i < POOL; i++) {
		if (granule_get_state(addr_to_granule(pool[i])) == GRANULE_STATE_DATA) {
			assert_int_equal(1, data_seen[i]);	/* no orphan DATA */
		}
	}
	for (i = 0; i < S2TT_ENTRIES; i++) {
		uint64_t pa = block_area_2mb() + i * GRANULE_SIZE;

		if (granule_get_state(addr_to_granule(pa)) == GRANULE_STATE_DATA) {
			assert_int_equal(1, data_seen[POOL + i]);
		}
	}
	for (i = 0; i < GRANULE_STATE_NR; i++) {
		unsigned long n = granule_count_in_state((enum granule_state)i);

		if (n > max_state[i]) {
			max_state[i] = n;
		}
	}
	(void)data;
}

static uint64_t any_granule(void)
{
	uint64_t g = pool[(unsigned int)rand() % POOL];

	switch (rand() % 16) {
	case 0:
		return g + 8;			/* misaligned */
	case 1:
		return PLAT_NS_DRAM_BASE - GRANULE_SIZE;	/* untracked */
	default:
		return g;
	}
}

/* Bias towards granules in a given state so the walk reaches deep states. */
static uint64_t granule_in_state(enum granule_state st)
{
	unsigned int i, start = (unsigned int)rand() % POOL;

	if (rand() % 4 == 0) {
		return any_granule();
	}
	for (i = 0; i < POOL; i++) {
		uint64_t pa = pool[(start + i) % POOL];

		if (granule_get_state(addr_to_granule(pa)) == st) {
			return pa;
		}
	}
	return any_granule();
}

static uint64_t any_ipa(void)
{
	static const uint64_t ipas[] = {
		0, TEST_IPA_BASE, TEST_IPA_BASE + 0x1000, TEST_IPA_BASE + 0x2000,
		TEST_IPA_BASE + 0x3000, TEST_IPA_BASE + 0x200000, TEST_UNPROT,
		TEST_UNPROT | 0x09000000UL, TEST_IPA_BASE + 0x10, 1UL << TEST_S2SZ,
		TEST_IPA_BASE + 0x400000, TEST_IPA_BASE + 0x405000,	/* the block */
	};

	return ipas[(unsigned int)rand() % ARRAY_SIZE(ipas)];
}

/*
 * REC params for REC_CREATE on a: usually the MPIDR of that realm's next
 * REC (so realms get several RECs), sometimes a wrong one (ERROR_INPUT).
 */
static uint64_t rec_params_for(uint64_t a)
{
	uint64_t aux[REC_AUX_GRANULES] = {
		granule_in_state(GRANULE_STATE_DELEGATED), granule_in_state(GRANULE_STATE_DELEGATED),
		granule_in_state(GRANULE_STATE_DELEGATED),
	};
	uint64_t params = make_rec_params_aux(0, 1, aux);
	struct granule *g = addr_to_granule(a);
	uint64_t next = 0;

	if (g != NULL && granule_get_state(g) == GRANULE_STATE_RD) {
		next = ((struct rd *)fake_pa_ptr(a))->num_recs_created;
	}
	if (rand() % 8 == 0) {
		next += 1U + (uint64_t)(rand() % 3);
	}
	/* index -> RmiRecMpidr: Aff0[3:0], then Aff1 */
	((struct rmi_rec_params *)fake_pa_ptr(params))->mpidr = (next & 0xFUL) |
								 ((next >> 4) << 8);
	return params;
}

/* A realm that asks for random RIPAS changes, host calls or powers off. */
static void random_realm(struct rec *rec, struct realm_exception *exc, void *arg)
{
	(void)arg;
	switch (rand() % 8) {
	case 0:
		rec->regs[0] = PSCI_SYSTEM_OFF;
		break;
	case 1:
	case 2:
		rec->regs[0] = SMC_RSI_HOST_CALL;
		rec->regs[1] = TEST_IPA_BASE;
		break;
	default:
		rec->regs[0] = SMC_RSI_IPA_STATE_SET;
		rec->regs[1] = (rand() % 4 == 0) ? any_ipa() :
			       TEST_IPA_BASE + GRANULE_SIZE * (unsigned long)(rand() % 8);
		rec->regs[2] = rec->regs[1] + GRANULE_SIZE * (1UL + (unsigned long)(rand() % 8));
		rec->regs[3] = (unsigned long)(rand() % 2);	/* EMPTY or RAM */
		rec->regs[4] = (unsigned long)(rand() % 2);	/* change DESTROYED? */
		break;
	}
	exc->kind = REALM_EXC_SYNC;
	exc->esr = (0x17UL << 26) | (1UL << 25);
}

/* RTT_SET_RIPAS on REC r, usually for its pending request (or part of it). */
static void set_ripas_step(uint64_t a, uint64_t r)
{
	struct granule *g = addr_to_granule(r);
	uint64_t base = any_ipa(), top = base + GRANULE_SIZE, rd = a;

	if (g != NULL && granule_get_state(g) == GRANULE_STATE_REC && rand() % 4 != 0) {
		const struct rec *rec = fake_pa_ptr(r);

		rd = rec->rd_addr;
		base = rec->ripas_addr;
		top = (rec->ripas_top > base) ?
		      base + GRANULE_SIZE * (1UL + (unsigned long)rand() % ((rec->ripas_top - base) / GRANULE_SIZE)) :
		      base + GRANULE_SIZE;
	}
	if (rmi(SMC_RMI_RTT_SET_RIPAS, rd, r, base, top, 0, NULL) == RMI_SUCCESS) {
		ripas_sets++;
	}
}

/*
 * Once per seed, in a NEW realm: 512 DATA granules of the 2 MB block area
 * at TEST_IPA_BASE + 4 MB, folded into a level-2 block.  Any step may fail
 * (the realm has no level-2 RTT, ...): the invariants hold either way.
 */
static void block_step(uint64_t a)
{
	uint64_t ipa = TEST_IPA_BASE + 0x400000UL, pa = block_area_2mb();
	unsigned int i;

	if (block_built) {
		return;
	}
	(void)rmi(SMC_RMI_RTT_CREATE, a, granule_in_state(GRANULE_STATE_DELEGATED), TEST_IPA_BASE, 2,
		  0, NULL);
	(void)rmi(SMC_RMI_RTT_CREATE, a, granule_in_state(GRANULE_STATE_DELEGATED), ipa, 3, 0, NULL);
	(void)rmi(SMC_RMI_RTT_INIT_RIPAS, a, ipa, ipa + 0x200000UL, 0, 0, NULL);
	for (i = 0; i < S2TT_ENTRIES; i++) {
		(void)rmi(SMC_RMI_GRANULE_DELEGATE, pa + i * GRANULE_SIZE, 0, 0, 0, 0, NULL);
		(void)rmi(SMC_RMI_DATA_CREATE_UNKNOWN, a, pa + i * GRANULE_SIZE, ipa + i * GRANULE_SIZE,
			  0, 0, NULL);
	}
	if (rmi(SMC_RMI_RTT_FOLD, a, ipa, 3, 0, 0, NULL) == RMI_SUCCESS) {
		block_built = true;
		blocks++;
	}
}

static void random_step(void)
{
	uint64_t a = granule_in_state(GRANULE_STATE_RD);
	uint64_t b = granule_in_state(GRANULE_STATE_DELEGATED), ipa = any_ipa();
	unsigned long level = (rand() % 3 == 0) ? (unsigned long)(rand() % 5) : 2UL + (unsigned long)(rand() % 2);

	switch (rand() % 18) {
	case 15:
		if (rmi(SMC_RMI_RTT_FOLD, a, ipa, level, 0, 0, NULL) == RMI_SUCCESS) {
			folds++;
		}
		break;
	case 16:
		set_ripas_step(a, granule_in_state(GRANULE_STATE_REC));
		break;
	case 17:
		if (rand() % 16 == 0) {
			block_step(a);
		} else {
			uint64_t r = granule_in_state(GRANULE_STATE_REC);

			/* enter.flags: RIPAS response ACCEPT or REJECT */
			((struct rmi_rec_run *)fake_pa_ptr(run))->entry.flags =
				(rand() % 2) ? REC_ENTRY_FLAG_RIPAS_RESPONSE : 0UL;
			(void)rmi(SMC_RMI_REC_ENTER, r, run, 0, 0, 0, NULL);
			set_ripas_step(a, r);
		}
		break;
	case 0:
	case 1:
		(void)rmi(SMC_RMI_GRANULE_DELEGATE, granule_in_state(GRANULE_STATE_NS), 0, 0, 0, 0, NULL);
		break;
	case 2:
		(void)rmi(SMC_RMI_GRANULE_UNDELEGATE, (rand() % 2) ? b : any_granule(), 0, 0, 0, 0, NULL);
		break;
	case 3: {
		uint64_t params = make_realm_params(b, (unsigned int)(rand() % 4));

		(void)rmi(SMC_RMI_REALM_CREATE, granule_in_state(GRANULE_STATE_DELEGATED), params,
			  0, 0, 0, NULL);
		break;
	}
	case 4:
		(void)rmi(SMC_RMI_REALM_ACTIVATE, a, 0, 0, 0, 0, NULL);
		break;
	case 5:
		(void)rmi(SMC_RMI_REALM_DESTROY, a, 0, 0, 0, 0, NULL);
		break;
	case 6:
	case 7:
		(void)rmi(SMC_RMI_RTT_CREATE, a, b, ipa, level, 0, NULL);
		break;
	case 8:
		(void)rmi(SMC_RMI_RTT_DESTROY, a, ipa, level, 0, 0, NULL);
		break;
	case 9:
		(void)rmi(SMC_RMI_DATA_CREATE, a, b, ipa, src, (unsigned long)(rand() % 2), NULL);
		break;
	case 10:
		(void)rmi(SMC_RMI_DATA_CREATE_UNKNOWN, a, b, ipa, 0, 0, NULL);
		break;
	case 11:
		(void)rmi(SMC_RMI_DATA_DESTROY, a, ipa, 0, 0, 0, NULL);
		break;
	case 12:
		if (rand() % 4 == 0) {
			/* default fake realm: PSCI SYSTEM_OFF on first entry */
			(void)rmi(SMC_RMI_REC_ENTER, granule_in_state(GRANULE_STATE_REC), run, 0, 0, 0, NULL);
		} else if (rand() % 4 == 0) {
			(void)rmi(SMC_RMI_PSCI_COMPLETE, granule_in_state(GRANULE_STATE_REC),
				  granule_in_state(GRANULE_STATE_REC), 0, 0, 0, NULL);
		} else if (rand() % 2) {
			(void)rmi(SMC_RMI_REC_CREATE, a, b, rec_params_for(a), 0, 0, NULL);
		} else {
			(void)rmi(SMC_RMI_REC_DESTROY, granule_in_state(GRANULE_STATE_REC), 0, 0, 0, 0, NULL);
		}
		break;
	case 13:
		(void)rmi(SMC_RMI_RTT_INIT_RIPAS, a, ipa, ipa + GRANULE_SIZE * (1UL + (unsigned long)(rand() % 4)),
			  0, 0, NULL);
		break;
	default:
		if (rand() % 2) {
			(void)rmi(SMC_RMI_RTT_MAP_UNPROTECTED, a, ipa, level,
				  0x09000000UL | S2TTE_AP_RW, 0, NULL);
		} else {
			(void)rmi(SMC_RMI_RTT_UNMAP_UNPROTECTED, a, ipa, level, 0, 0, NULL);
		}
		break;
	}
}

/*
 * A head start for each seed: an ACTIVE realm made of pool granules, with
 * RAM at TEST_IPA_BASE and two runnable RECs, so that REC_ENTER, the
 * realm's RIPAS change requests and RTT_SET_RIPAS happen often.
 */
static void seed_realm(void)
{
	uint64_t params = make_realm_params(pool[1], 9);
	unsigned int i;

	for (i = 0; i < 16; i++) {
		assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_GRANULE_DELEGATE, pool[i], 0, 0, 0, 0, NULL));
	}
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_CREATE, pool[0], params, 0, 0, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_CREATE, pool[0], pool[2], TEST_IPA_BASE, 2, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_CREATE, pool[0], pool[3], TEST_IPA_BASE, 3, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_INIT_RIPAS, pool[0], TEST_IPA_BASE,
				    TEST_IPA_BASE + 8 * GRANULE_SIZE, 0, 0, NULL));
	for (i = 4; i < 8; i++) {
		assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_CREATE_UNKNOWN, pool[0], pool[i],
					    TEST_IPA_BASE + (i - 4) * GRANULE_SIZE, 0, 0, NULL));
	}
	for (i = 8; i < 10; i++) {
		params = make_rec_params_aux(TEST_IPA_BASE, REC_PARAMS_FLAG_RUNNABLE,
					     &pool[10 + 3 * (i - 8)]);
		((struct rmi_rec_params *)fake_pa_ptr(params))->mpidr = i - 8;
		assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_CREATE, pool[0], pool[i], params, 0, 0, NULL));
	}
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_ACTIVATE, pool[0], 0, 0, 0, 0, NULL));
}

/* Random sequences never break the RMM's invariants. */
static void test_random_rmi_sequences(void **state)
{
	unsigned int i, step, seed;

	(void)state;
	for (seed = 1; seed <= 4; seed++) {
		rmm_test_setup(NULL);
		fake_set_realm(random_realm, NULL);
		block_built = false;
		srand(seed);
		for (i = 0; i < POOL; i++) {
			pool[i] = alloc_ns();
		}
		src = alloc_ns();
		run = alloc_ns();
		seed_realm();
		check_all();
		for (step = 0; step < STEPS / 4; step++) {
			random_step();
			check_all();
			if (step % 64 == 63) {
				rmm_test_recycle_ns();
			}
		}
	}
	print_message("max granules seen: RD %lu REC %lu REC_AUX %lu RTT %lu DATA %lu "
		      "DELEGATED %lu; folds %lu, blocks %lu, RTT_SET_RIPAS %lu\n",
		      max_state[GRANULE_STATE_RD], max_state[GRANULE_STATE_REC],
		      max_state[GRANULE_STATE_REC_AUX],
		      max_state[GRANULE_STATE_RTT], max_state[GRANULE_STATE_DATA],
		      max_state[GRANULE_STATE_DELEGATED], folds, blocks, ripas_sets);
	/* The walk must actually reach populated realms to prove anything. */
	assert_true(max_state[GRANULE_STATE_RD] >= 2);
	assert_true(max_state[GRANULE_STATE_RTT] >= 4);
	assert_true(max_state[GRANULE_STATE_DATA] >= 2);
	assert_true(max_state[GRANULE_STATE_REC] >= 1);
	assert_true(max_state[GRANULE_STATE_REC_AUX] >= 3);
	assert_true(folds > 0);
	assert_true(ripas_sets > 0);
	assert_true(blocks > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_rmi_sequences),
	};

	return cmocka_run_group_tests_name("rmm-invariants", tests, NULL, NULL);
}
