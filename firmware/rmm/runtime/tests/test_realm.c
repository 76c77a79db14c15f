/*
 * REALM_CREATE / ACTIVATE / DESTROY, REC_AUX_COUNT, REC_CREATE / DESTROY
 * (with the REC's auxiliary granules).
 */
#include "rmm_test.h"

#include <string.h>

static struct rmi_realm_params *params_of(uint64_t pa)
{
	return fake_pa_ptr(pa);
}

/* A realm is created NEW with an initial RIM; RD and root RTT change state. */
static void test_realm_create_success(void **state)
{
	uint64_t rd = alloc_delegated(), rtt = alloc_delegated();
	uint64_t params = make_realm_params(rtt, 3);
	struct rd *d;
	static const uint8_t zero[32];

	(void)state;
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_CREATE, rd, params, 0, 0, 0, NULL));
	assert_int_equal(GRANULE_STATE_RD, granule_get_state(addr_to_granule(rd)));
	assert_int_equal(GRANULE_STATE_RTT, granule_get_state(addr_to_granule(rtt)));
	d = fake_pa_ptr(rd);
	assert_int_equal(REALM_NEW, d->state);
	assert_int_equal(TEST_S2SZ, d->s2.s2sz);
	assert_memory_not_equal(zero, d->rim, 32);
}

/* Each invalid parameter is refused with ERROR_INPUT and nothing changes. */
static void test_realm_create_bad_params(void **state)
{
	uint64_t rd = alloc_delegated(), rtt = alloc_delegated();
	uint64_t params = make_realm_params(rtt, 3);
	struct rmi_realm_params *p = params_of(params);
	struct rmi_realm_params saved;

	(void)state;
	memcpy(&saved, p, sizeof(saved));
#define TRY(mutation) \
	do { memcpy(p, &saved, sizeof(saved)); mutation; \
	     assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_REALM_CREATE, rd, params, 0, 0, 0, NULL)); } while (0)
	TRY(p->s2sz = 31);
	TRY(p->s2sz = 49);
	TRY(p->s2sz = 0x127);			/* bits above [7:0] */
	TRY(p->hash_algo = RMI_HASH_SHA_512);	/* not supported */
	TRY(p->flags = RMI_REALM_FLAGS_SVE);
	TRY(p->rtt_level_start = 2);		/* 39 bits need level 1 */
	TRY(p->rtt_level_start = 3);
	TRY(p->rtt_level_start = -1);
	TRY(p->rtt_level_start = (1L << 32) | 1);	/* not 1 once narrowed */
	TRY(p->rtt_num_start = 2);
	TRY(p->rtt_base = rtt + 8);
	TRY(p->rtt_base = rd);			/* RD == RTT */
	TRY(p->rtt_base = alloc_ns());		/* RTT not delegated */
	TRY(p->vmid = 256);
#undef TRY
	memcpy(p, &saved, sizeof(saved));
	/* RD not delegated */
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_REALM_CREATE, alloc_ns(), params, 0, 0, 0, NULL));
	/* params in a delegated granule: not readable as NS */
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_REALM_CREATE, rd, alloc_delegated(), 0, 0, 0, NULL));
	assert_int_equal(GRANULE_STATE_DELEGATED, granule_get_state(addr_to_granule(rd)));
	assert_int_equal(GRANULE_STATE_DELEGATED, granule_get_state(addr_to_granule(rtt)));
	assert_int_equal(0UL, granule_count_in_state(GRANULE_STATE_RD));
	/* and the unchanged params still work */
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_CREATE, rd, params, 0, 0, 0, NULL));
}

/* A VMID in use by a live realm cannot be reused until it is destroyed. */
static void test_realm_create_vmid_in_use(void **state)
{
	struct test_realm r;
	uint64_t rd2 = alloc_delegated(), rtt2 = alloc_delegated();

	(void)state;
	realm_build(&r, 7);
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_REALM_CREATE, rd2, make_realm_params(rtt2, 7),
					0, 0, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_CREATE, rd2, make_realm_params(rtt2, 8),
				    0, 0, 0, NULL));
}

/*
 * Concatenated starting tables: s2sz 40 at level 1 needs two root RTTs,
 * and their base must be aligned to both (8 KB): a base at an odd granule
 * is refused even though both granules are delegated.
 */
static void test_realm_create_concatenated(void **state)
{
	uint64_t rd = alloc_delegated(), rtt = alloc_delegated(), rtt1 = alloc_delegated();
	uint64_t rtt2 = alloc_delegated();
	uint64_t params, odd;
	struct rmi_realm_params *p;
	struct smc_result res;

	(void)state;
	assert_int_equal(rtt + GRANULE_SIZE, rtt1);
	assert_int_equal(rtt1 + GRANULE_SIZE, rtt2);
	/* Of three consecutive granules, one pair starts 8 KB aligned. */
	odd = IS_ALIGNED(rtt, 2UL * GRANULE_SIZE) ? rtt1 : rtt;
	if (odd == rtt) {
		rtt = rtt1;
		rtt1 = rtt2;
	}
	params = make_realm_params(odd, 1);
	p = params_of(params);
	p->s2sz = 40;
	p->rtt_num_start = 2;
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_REALM_CREATE, rd, params, 0, 0, 0, NULL));
	assert_int_equal(GRANULE_STATE_DELEGATED, granule_get_state(addr_to_granule(odd)));
	assert_int_equal(GRANULE_STATE_DELEGATED, granule_get_state(addr_to_granule(rd)));
	p->rtt_base = rtt;
	p->rtt_num_start = 1;
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_REALM_CREATE, rd, params, 0, 0, 0, NULL));
	p->rtt_num_start = 2;
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_CREATE, rd, params, 0, 0, 0, NULL));
	assert_int_equal(GRANULE_STATE_RTT, granule_get_state(addr_to_granule(rtt1)));
	/* IPA 0x80_0000_0000 (>= 512 GB) is in the unprotected half, second table */
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_READ_ENTRY, rd, 1UL << 39, 1, 0, 0, &res));
	assert_int_equal(1, res.x[1]);
	assert_int_equal(RMI_UNASSIGNED, res.x[2]);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_DESTROY, rd, 0, 0, 0, 0, NULL));
	assert_int_equal(GRANULE_STATE_DELEGATED, granule_get_state(addr_to_granule(rtt1)));
}

/* ACTIVATE: NEW -> ACTIVE once; again is ERROR_REALM; non-RD is ERROR_INPUT. */
static void test_realm_activate(void **state)
{
	struct test_realm r;

	(void)state;
	realm_build(&r, 1);
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_REALM_ACTIVATE, r.rtt_root, 0, 0, 0, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_ACTIVATE, r.rd, 0, 0, 0, 0, NULL));
	assert_rmi(RMI_ERROR_REALM, rmi(SMC_RMI_REALM_ACTIVATE, r.rd, 0, 0, 0, 0, NULL));
}

/* DESTROY refuses a live realm (REC or live root RTT), then succeeds. */
static void test_realm_destroy_live(void **state)
{
	struct test_realm r;
	uint64_t rec = alloc_delegated(), params = make_rec_params(0, 1);
	const struct rmi_rec_params *p = fake_pa_ptr(params);
	unsigned int i;

	(void)state;
	realm_build(&r, 1);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_CREATE, r.rd, rec, params, 0, 0, NULL));
	assert_rmi(RMI_ERROR_REALM, rmi(SMC_RMI_REALM_DESTROY, r.rd, 0, 0, 0, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_DESTROY, rec, 0, 0, 0, 0, NULL));
	/* the L2 table still hangs off the root */
	assert_rmi(RMI_ERROR_REALM, rmi(SMC_RMI_REALM_DESTROY, r.rd, 0, 0, 0, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_DESTROY, r.rd, TEST_IPA_BASE, 3, 0, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_DESTROY, r.rd, TEST_IPA_BASE, 2, 0, 0, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_REALM_DESTROY, r.rtt_root, 0, 0, 0, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_DESTROY, r.rd, 0, 0, 0, 0, NULL));
	assert_int_equal(GRANULE_STATE_DELEGATED, granule_get_state(addr_to_granule(r.rd)));
	assert_int_equal(GRANULE_STATE_DELEGATED, granule_get_state(addr_to_granule(r.rtt_root)));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_REALM_DESTROY, r.rd, 0, 0, 0, 0, NULL));
	/* everything can go back to the host now */
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_GRANULE_UNDELEGATE, r.rd, 0, 0, 0, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_GRANULE_UNDELEGATE, r.rtt_root, 0, 0, 0, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_GRANULE_UNDELEGATE, r.rtt_l2, 0, 0, 0, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_GRANULE_UNDELEGATE, r.rtt_l3, 0, 0, 0, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_GRANULE_UNDELEGATE, rec, 0, 0, 0, 0, NULL));
	for (i = 0U; i < REC_AUX_GRANULES; i++) {
		assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_GRANULE_UNDELEGATE, p->aux[i], 0, 0, 0, 0, NULL));
	}
	assert_int_equal(0UL, granule_count_in_state(GRANULE_STATE_DELEGATED));
}

/* REC_AUX_COUNT: REC_AUX_GRANULES (3) for an RD, ERROR_INPUT otherwise. */
static void test_rec_aux_count(void **state)
{
	struct test_realm r;
	struct smc_result res;

	(void)state;
	realm_build(&r, 1);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_AUX_COUNT, r.rd, 0, 0, 0, 0, &res));
	assert_int_equal(3, res.x[1]);
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_REC_AUX_COUNT, r.rtt_root, 0, 0, 0, 0, NULL));
}

/* REC_CREATE extends the RIM and takes a reference on the RD. */
static void test_rec_create_success(void **state)
{
	struct test_realm r;
	uint64_t rec = alloc_delegated();
	uint8_t rim[32];
	struct rd *d;
	struct rec *rp;

	(void)state;
	realm_build(&r, 1);
	d = fake_pa_ptr(r.rd);
	memcpy(rim, d->rim, 32);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_CREATE, r.rd, rec, make_rec_params(0x40000000, 1),
				    0, 0, NULL));
	assert_int_equal(GRANULE_STATE_REC, granule_get_state(addr_to_granule(rec)));
	assert_int_equal(1, granule_refcount(addr_to_granule(r.rd)));
	assert_memory_not_equal(rim, d->rim, 32);
	rp = fake_pa_ptr(rec);
	assert_int_equal(0x40000000, rp->pc);
	assert_int_equal(0x1234, rp->regs[0]);
	assert_int_equal(1, rp->runnable);
}

/* REC_CREATE failure conditions (MPIDR: valid, and the realm's next REC index). */
static void test_rec_create_errors(void **state)
{
	struct test_realm r;
	uint64_t rec = alloc_delegated();
	uint64_t params = make_rec_params(0, 1);
	struct rmi_rec_params *p = fake_pa_ptr(params);

	(void)state;
	realm_build(&r, 1);
	p->num_aux = 0;
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_REC_CREATE, r.rd, rec, params, 0, 0, NULL));
	p->num_aux = REC_AUX_GRANULES + 1U;
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_REC_CREATE, r.rd, rec, params, 0, 0, NULL));
	p->num_aux = REC_AUX_GRANULES;
	p->flags = 2;
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_REC_CREATE, r.rd, rec, params, 0, 0, NULL));
	p->flags = 1;
	p->mpidr = 1UL << 60;
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_REC_CREATE, r.rd, rec, params, 0, 0, NULL));
	p->mpidr = 0x10;			/* Aff0[7:4] is not an RmiRecMpidr field */
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_REC_CREATE, r.rd, rec, params, 0, 0, NULL));
	p->mpidr = 1;				/* RECs come in MPIDR order: 0 first */
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_REC_CREATE, r.rd, rec, params, 0, 0, NULL));
	p->mpidr = 0;
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_REC_CREATE, r.rd, alloc_ns(), params, 0, 0, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_REC_CREATE, r.rtt_root, rec, params, 0, 0, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_REC_CREATE, r.rd, r.rd, params, 0, 0, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_REC_CREATE, r.rd, rec, rec, 0, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_ACTIVATE, r.rd, 0, 0, 0, 0, NULL));
	assert_rmi(RMI_ERROR_REALM, rmi(SMC_RMI_REC_CREATE, r.rd, rec, params, 0, 0, NULL));
	assert_int_equal(GRANULE_STATE_DELEGATED, granule_get_state(addr_to_granule(rec)));
	assert_int_equal(0, granule_refcount(addr_to_granule(r.rd)));
}

/*
 * Auxiliary granules: each must be aligned, DELEGATED, neither the REC
 * nor named twice; a failure changes none of them.  Success makes them
 * REC_AUX, zeroed; REC_DESTROY gives them back DELEGATED, zeroed.
 */
static void test_rec_create_aux(void **state)
{
	struct test_realm r;
	uint64_t rec = alloc_delegated(), params = make_rec_params(0, 1), ns = alloc_ns();
	struct rmi_rec_params *p = fake_pa_ptr(params);
	uint64_t aux[REC_AUX_GRANULES];
	unsigned int i;

	(void)state;
	realm_build(&r, 1);
	memcpy(aux, p->aux, sizeof(aux));
	for (i = 0U; i < REC_AUX_GRANULES; i++) {
		memset(fake_pa_ptr(aux[i]), 0xA5, GRANULE_SIZE);	/* host data before delegation */
	}
	p->aux[1] = aux[1] + 8U;			/* aux_align */
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_REC_CREATE, r.rd, rec, params, 0, 0, NULL));
	p->aux[1] = rec;				/* aux_alias: the REC */
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_REC_CREATE, r.rd, rec, params, 0, 0, NULL));
	p->aux[1] = aux[0];				/* aux_alias: twice */
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_REC_CREATE, r.rd, rec, params, 0, 0, NULL));
	p->aux[1] = ns;					/* aux_state: NS */
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_REC_CREATE, r.rd, rec, params, 0, 0, NULL));
	p->aux[1] = r.rd;				/* aux_state: the RD */
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_REC_CREATE, r.rd, rec, params, 0, 0, NULL));
	p->aux[1] = PLAT_NS_DRAM_BASE - GRANULE_SIZE;	/* aux_state: not delegable */
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_REC_CREATE, r.rd, rec, params, 0, 0, NULL));
	for (i = 0U; i < REC_AUX_GRANULES; i++) {
		assert_int_equal(GRANULE_STATE_DELEGATED, granule_get_state(addr_to_granule(aux[i])));
	}
	assert_int_equal(GRANULE_STATE_DELEGATED, granule_get_state(addr_to_granule(rec)));

	p->aux[1] = aux[1];
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_CREATE, r.rd, rec, params, 0, 0, NULL));
	for (i = 0U; i < REC_AUX_GRANULES; i++) {
		const uint8_t *b = fake_pa_ptr(aux[i]);

		assert_int_equal(GRANULE_STATE_REC_AUX, granule_get_state(addr_to_granule(aux[i])));
		assert_int_equal(aux[i], ((struct rec *)fake_pa_ptr(rec))->aux[i]);
		assert_int_equal(0, b[0] | b[GRANULE_SIZE - 1U]);
		memset(fake_pa_ptr(aux[i]), 0x5A, GRANULE_SIZE);	/* as a token would */
	}
	/* In use: neither undelegated nor given to another REC. */
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_GRANULE_UNDELEGATE, aux[0], 0, 0, 0, 0, NULL));
	p->mpidr = 1;
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_REC_CREATE, r.rd, alloc_delegated(), params,
					0, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_DESTROY, rec, 0, 0, 0, 0, NULL));
	for (i = 0U; i < REC_AUX_GRANULES; i++) {
		const uint8_t *b = fake_pa_ptr(aux[i]);

		assert_int_equal(GRANULE_STATE_DELEGATED, granule_get_state(addr_to_granule(aux[i])));
		assert_int_equal(0, b[0] | b[GRANULE_SIZE - 1U]);
		assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_GRANULE_UNDELEGATE, aux[i], 0, 0, 0, 0, NULL));
	}
}

/* REC_DESTROY: only on a REC; drops the RD reference; zeroes the granule. */
static void test_rec_destroy(void **state)
{
	struct test_realm r;
	uint64_t rec = alloc_delegated();

	(void)state;
	realm_build(&r, 1);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_CREATE, r.rd, rec, make_rec_params(0, 1), 0, 0, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_REC_DESTROY, r.rd, 0, 0, 0, 0, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_GRANULE_UNDELEGATE, rec, 0, 0, 0, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_DESTROY, rec, 0, 0, 0, 0, NULL));
	assert_int_equal(0, granule_refcount(addr_to_granule(r.rd)));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_REC_DESTROY, rec, 0, 0, 0, 0, NULL));
	assert_int_equal(0, ((struct rec *)fake_pa_ptr(rec))->pc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_realm_create_success, rmm_test_setup),
		cmocka_unit_test_setup(test_realm_create_bad_params, rmm_test_setup),
		cmocka_unit_test_setup(test_realm_create_vmid_in_use, rmm_test_setup),
		cmocka_unit_test_setup(test_realm_create_concatenated, rmm_test_setup),
		cmocka_unit_test_setup(test_realm_activate, rmm_test_setup),
		cmocka_unit_test_setup(test_realm_destroy_live, rmm_test_setup),
		cmocka_unit_test_setup(test_rec_aux_count, rmm_test_setup),
		cmocka_unit_test_setup(test_rec_create_success, rmm_test_setup),
		cmocka_unit_test_setup(test_rec_create_errors, rmm_test_setup),
		cmocka_unit_test_setup(test_rec_create_aux, rmm_test_setup),
		cmocka_unit_test_setup(test_rec_destroy, rmm_test_setup),
	};

	return cmocka_run_group_tests_name("rmm-realm", tests, NULL, NULL);
}
