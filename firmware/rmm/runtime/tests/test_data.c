/*
 * DATA_CREATE / DATA_CREATE_UNKNOWN / DATA_DESTROY, the RIM, and the
 * invariant that no granule is mapped in two realms.
 */
#include "rmm_test.h"

#include <s2tt.h>
#include <sha256.h>
#include <stdlib.h>
#include <string.h>

static uint64_t make_src(uint8_t fill)
{
	uint64_t pa = alloc_ns();

	memset(fake_pa_ptr(pa), fill, GRANULE_SIZE);
	return pa;
}

/* DATA_CREATE copies, maps ASSIGNED/RAM with a valid page descriptor. */
static void test_data_create_success(void **state)
{
	struct test_realm r;
	struct smc_result res;
	uint64_t data = alloc_delegated(), src = make_src(0x5A);
	uint64_t *l3;

	(void)state;
	realm_build(&r, 1);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_CREATE, r.rd, data, TEST_IPA_BASE, src,
				    RMI_MEASURE_CONTENT, NULL));
	assert_int_equal(GRANULE_STATE_DATA, granule_get_state(addr_to_granule(data)));
	assert_memory_equal(fake_pa_ptr(src), fake_pa_ptr(data), GRANULE_SIZE);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_READ_ENTRY, r.rd, TEST_IPA_BASE, 3, 0, 0, &res));
	assert_int_equal(RMI_ASSIGNED, res.x[2]);
	assert_int_equal(data, res.x[3]);
	assert_int_equal(RIPAS_RAM, res.x[4]);
	l3 = fake_pa_ptr(r.rtt_l3);
	assert_int_equal(data | S2TTE_AF | S2TTE_SH_INNER | S2TTE_AP_RW |
			 S2TTE_MEMATTR_NORMAL_WB | 3UL, l3[0]);
	assert_int_equal(1, granule_refcount(addr_to_granule(r.rtt_l3)));
}

/*
 * The RIM is exactly the v1.0 chain: SHA-256 over the 4 KB params with only
 * measured fields, then one 0x100-byte descriptor per DATA_CREATE.  Built
 * here byte by byte at the specification offsets, independently of
 * lib/measurement.
 */
static void test_rim_matches_spec(void **state)
{
	struct test_realm r;
	uint64_t data = alloc_delegated(), src = make_src(0x11);
	uint8_t buf[4096], desc[256], rim[32], chash[32];
	uint64_t v;

	(void)state;
	realm_build(&r, 1);
	memset(buf, 0, sizeof(buf));
	buf[0x8] = TEST_S2SZ;			/* s2sz */
	buf[0x18] = 1;				/* num_bps */
	buf[0x20] = 1;				/* num_wps */
	buf[0x30] = RMI_HASH_SHA_256;		/* hash_algo */
	sha256(buf, sizeof(buf), rim);
	assert_memory_equal(rim, ((struct rd *)fake_pa_ptr(r.rd))->rim, 32);

	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_CREATE, r.rd, data, TEST_IPA_BASE + 0x3000, src,
				    RMI_MEASURE_CONTENT, NULL));
	memset(desc, 0, sizeof(desc));
	desc[0] = 0;				/* MEASURE_DESC_TYPE_DATA */
	v = 0x100;
	memcpy(&desc[0x8], &v, 8);		/* len */
	memcpy(&desc[0x10], rim, 32);		/* current RIM */
	v = TEST_IPA_BASE + 0x3000;
	memcpy(&desc[0x50], &v, 8);		/* ipa */
	v = RMI_MEASURE_CONTENT;
	memcpy(&desc[0x58], &v, 8);		/* flags */
	sha256(fake_pa_ptr(src), GRANULE_SIZE, chash);
	memcpy(&desc[0x60], chash, 32);		/* content hash */
	sha256(desc, sizeof(desc), rim);
	assert_memory_equal(rim, ((struct rd *)fake_pa_ptr(r.rd))->rim, 32);
}

/*
 * RTT_INIT_RIPAS and REC_CREATE descriptors, byte by byte: RIPAS desc
 * {type 2, len, RIM, base @0x50, top @0x58}; REC desc {type 1, len, RIM,
 * content @0x50 = SHA-256(4 KB RmiRecParams with flags, pc, gprs only)}.
 */
static void test_rim_ripas_and_rec_match_spec(void **state)
{
	struct test_realm r;
	uint8_t desc[256], rim[32], params[4096];
	uint64_t v, rec_params;
	struct rmi_rec_params *rp;

	(void)state;
	realm_build(&r, 1);
	memcpy(rim, ((struct rd *)fake_pa_ptr(r.rd))->rim, 32);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_INIT_RIPAS, r.rd, TEST_IPA_BASE,
				    TEST_IPA_BASE + 3 * GRANULE_SIZE, 0, 0, NULL));
	/* One descriptor per level-3 entry (RimExtendRipas, B3.46). */
	for (v = 0; v < 3; v++) {
		uint64_t b = TEST_IPA_BASE + v * GRANULE_SIZE, t = b + GRANULE_SIZE;

		memset(desc, 0, sizeof(desc));
		desc[0] = 2;
		desc[0x9] = 0x01;		/* len 0x100 */
		memcpy(&desc[0x10], rim, 32);
		memcpy(&desc[0x50], &b, 8);
		memcpy(&desc[0x58], &t, 8);
		sha256(desc, sizeof(desc), rim);
	}
	assert_memory_equal(rim, ((struct rd *)fake_pa_ptr(r.rd))->rim, 32);

	rec_params = make_rec_params(0x40001234UL, REC_PARAMS_FLAG_RUNNABLE);
	rp = fake_pa_ptr(rec_params);
	rp->gprs[7] = 0x77;		/* measured */
	memset(params, 0, sizeof(params));
	v = REC_PARAMS_FLAG_RUNNABLE;
	memcpy(&params[0x0], &v, 8);		/* flags */
	v = 0x40001234UL;
	memcpy(&params[0x200], &v, 8);		/* pc */
	v = 0x1234;
	memcpy(&params[0x300], &v, 8);		/* gprs[0], set by make_rec_params */
	v = 0x77;
	memcpy(&params[0x300 + 7 * 8], &v, 8);	/* gprs[7] */
	/* Two RECs (MPIDR 0 and 1): the same descriptor, as MPIDR is not measured. */
	for (v = 0; v < 2; v++) {
		rp->mpidr = v;
		rec_params_fresh_aux(rec_params);	/* aux granules are not measured */
		assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_CREATE, r.rd, alloc_delegated(), rec_params,
					    0, 0, NULL));
		memset(desc, 0, sizeof(desc));
		desc[0] = 1;
		desc[0x8] = 0x00;
		desc[0x9] = 0x01;			/* len 0x100 */
		memcpy(&desc[0x10], rim, 32);
		sha256(params, sizeof(params), &desc[0x50]);
		sha256(desc, sizeof(desc), rim);
		assert_memory_equal(rim, ((struct rd *)fake_pa_ptr(r.rd))->rim, 32);
	}
	/* A REC that is not runnable does not extend the RIM (B4.3.12.4). */
	rp->mpidr = 2;
	rp->flags = 0;
	rec_params_fresh_aux(rec_params);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REC_CREATE, r.rd, alloc_delegated(), rec_params,
				    0, 0, NULL));
	assert_memory_equal(rim, ((struct rd *)fake_pa_ptr(r.rd))->rim, 32);
}

/* Without RMI_MEASURE_CONTENT the content does not affect the RIM. */
static void test_rim_unmeasured_content(void **state)
{
	struct test_realm a, b;
	uint64_t sa = make_src(1), sb = make_src(2);

	(void)state;
	realm_build(&a, 1);
	realm_build(&b, 2);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_CREATE, a.rd, alloc_delegated(), TEST_IPA_BASE, sa, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_CREATE, b.rd, alloc_delegated(), TEST_IPA_BASE, sb, 0, NULL));
	assert_memory_equal(((struct rd *)fake_pa_ptr(a.rd))->rim, ((struct rd *)fake_pa_ptr(b.rd))->rim, 32);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_CREATE, a.rd, alloc_delegated(), TEST_IPA_BASE + 0x1000, sa,
				    RMI_MEASURE_CONTENT, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_CREATE, b.rd, alloc_delegated(), TEST_IPA_BASE + 0x1000, sb,
				    RMI_MEASURE_CONTENT, NULL));
	assert_memory_not_equal(((struct rd *)fake_pa_ptr(a.rd))->rim,
				((struct rd *)fake_pa_ptr(b.rd))->rim, 32);
}

/* Every DATA_CREATE failure condition. */
static void test_data_create_errors(void **state)
{
	struct test_realm r;
	uint64_t data = alloc_delegated(), src = make_src(0);
	unsigned long ret;

	(void)state;
	realm_build(&r, 1);
	/* unknown flags, src not NS, src not aligned */
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_DATA_CREATE, r.rd, data, TEST_IPA_BASE, src, 2, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_DATA_CREATE, r.rd, data, TEST_IPA_BASE, alloc_delegated(), 0, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_DATA_CREATE, r.rd, data, TEST_IPA_BASE, src + 16, 0, NULL));
	/* IPA unaligned, unprotected */
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_DATA_CREATE, r.rd, data, TEST_IPA_BASE + 8, src, 0, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_DATA_CREATE, r.rd, data, TEST_UNPROT, src, 0, NULL));
	/* granule not delegated; RD not an RD */
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_DATA_CREATE, r.rd, alloc_ns(), TEST_IPA_BASE, src, 0, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_DATA_CREATE, r.rtt_l3, data, TEST_IPA_BASE, src, 0, NULL));
	/* no level-3 table: walk stops at level 1 (IPA 0) */
	ret = rmi(SMC_RMI_DATA_CREATE, r.rd, data, 0, src, 0, NULL);
	assert_int_equal(RMI_ERROR_RTT, RMI_STATUS(ret));
	assert_int_equal(1, RMI_INDEX(ret));
	/* already assigned */
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_CREATE, r.rd, data, TEST_IPA_BASE, src, 0, NULL));
	ret = rmi(SMC_RMI_DATA_CREATE, r.rd, alloc_delegated(), TEST_IPA_BASE, src, 0, NULL);
	assert_int_equal(RMI_ERROR_RTT, RMI_STATUS(ret));
	assert_int_equal(3, RMI_INDEX(ret));
	/* a DATA granule cannot be mapped a second time (state is DATA) */
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_DATA_CREATE, r.rd, data, TEST_IPA_BASE + 0x1000, src, 0, NULL));
	/* undelegate of a granule in use */
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_GRANULE_UNDELEGATE, data, 0, 0, 0, 0, NULL));
	/* ACTIVE realm: DATA_CREATE refused, DATA_CREATE_UNKNOWN allowed */
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_ACTIVATE, r.rd, 0, 0, 0, 0, NULL));
	assert_rmi(RMI_ERROR_REALM, rmi(SMC_RMI_DATA_CREATE, r.rd, alloc_delegated(), TEST_IPA_BASE + 0x1000,
					src, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_CREATE_UNKNOWN, r.rd, alloc_delegated(),
				    TEST_IPA_BASE + 0x1000, 0, 0, NULL));
}

/* DATA_CREATE_UNKNOWN keeps RIPAS, zeroes content, does not measure. */
static void test_data_create_unknown(void **state)
{
	struct test_realm r;
	struct smc_result res;
	uint64_t d1 = alloc_delegated(), d2 = alloc_delegated();
	uint8_t rim[32];
	static const uint8_t zero[4096];

	(void)state;
	realm_build(&r, 1);
	memset(fake_pa_ptr(d1), 0x77, GRANULE_SIZE);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_INIT_RIPAS, r.rd, TEST_IPA_BASE, TEST_IPA_BASE + 0x1000,
				    0, 0, NULL));
	memcpy(rim, ((struct rd *)fake_pa_ptr(r.rd))->rim, 32);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_CREATE_UNKNOWN, r.rd, d1, TEST_IPA_BASE, 0, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_CREATE_UNKNOWN, r.rd, d2, TEST_IPA_BASE + 0x1000, 0, 0, NULL));
	assert_memory_equal(rim, ((struct rd *)fake_pa_ptr(r.rd))->rim, 32);
	assert_memory_equal(zero, fake_pa_ptr(d1), GRANULE_SIZE);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_READ_ENTRY, r.rd, TEST_IPA_BASE, 3, 0, 0, &res));
	assert_int_equal(RMI_ASSIGNED, res.x[2]);
	assert_int_equal(RIPAS_RAM, res.x[4]);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_READ_ENTRY, r.rd, TEST_IPA_BASE + 0x1000, 3, 0, 0, &res));
	assert_int_equal(RMI_ASSIGNED, res.x[2]);
	assert_int_equal(RIPAS_EMPTY, res.x[4]);
	assert_int_equal(0UL, ((uint64_t *)fake_pa_ptr(r.rtt_l3))[1] & 1UL);	/* not valid */
}

/* DATA_DESTROY unmaps (TLBI), scrubs, RIPAS RAM -> DESTROYED, granule DELEGATED. */
static void test_data_destroy(void **state)
{
	struct test_realm r;
	struct smc_result res;
	uint64_t data = alloc_delegated();
	unsigned long tlbi, ret;
	static const uint8_t zero[4096];

	(void)state;
	realm_build(&r, 1);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_CREATE, r.rd, data, TEST_IPA_BASE, make_src(9), 0, NULL));
	tlbi = fake_tlbi_count();
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_DATA_DESTROY, r.rd, TEST_IPA_BASE + 8, 0, 0, 0, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_DATA_DESTROY, data, TEST_IPA_BASE, 0, 0, 0, NULL));
	ret = rmi(SMC_RMI_DATA_DESTROY, r.rd, 0, 0, 0, 0, NULL);
	assert_int_equal(RMI_ERROR_RTT, RMI_STATUS(ret));
	assert_int_equal(1, RMI_INDEX(ret));
	ret = rmi(SMC_RMI_DATA_DESTROY, r.rd, TEST_IPA_BASE + 0x1000, 0, 0, 0, NULL);
	assert_int_equal(RMI_ERROR_RTT, RMI_STATUS(ret));
	assert_int_equal(3, RMI_INDEX(ret));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_DESTROY, r.rd, TEST_IPA_BASE, 0, 0, 0, &res));
	assert_int_equal(data, res.x[1]);
	/* top: no live entry left in the level-3 RTT, so its end */
	assert_int_equal(TEST_IPA_BASE + 0x200000, res.x[2]);
	assert_true(fake_tlbi_count() > tlbi);
	assert_int_equal(GRANULE_STATE_DELEGATED, granule_get_state(addr_to_granule(data)));
	assert_memory_equal(zero, fake_pa_ptr(data), GRANULE_SIZE);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_READ_ENTRY, r.rd, TEST_IPA_BASE, 3, 0, 0, &res));
	assert_int_equal(RMI_UNASSIGNED, res.x[2]);
	assert_int_equal(RIPAS_DESTROYED, res.x[4]);
	assert_int_equal(0, granule_refcount(addr_to_granule(r.rtt_l3)));
	/* a destroyed IPA can be populated again by the host (UNKNOWN) */
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_CREATE_UNKNOWN, r.rd, data, TEST_IPA_BASE, 0, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_DESTROY, r.rd, TEST_IPA_BASE, 0, 0, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_GRANULE_UNDELEGATE, data, 0, 0, 0, 0, NULL));
}

/* Collect the PA of every valid/assigned leaf in a realm's level-3 table. */
static unsigned int collect_pas(const struct test_realm *r, uint64_t *out, unsigned int max)
{
	const uint64_t *l3 = fake_pa_ptr(r->rtt_l3);
	unsigned int i, n = 0;

	for (i = 0; i < S2TT_ENTRIES; i++) {
		if (s2tte_is_assigned(l3[i], 3)) {
			assert_true(n < max);
			out[n++] = s2tte_pa(l3[i]);
		}
	}
	return n;
}

/*
 * Invariant: no granule is mapped in two realms (or twice in one).  Random
 * DATA_CREATE/DESTROY from two realms, with the host trying to reuse
 * granules that are already mapped; after each step every assigned PA is
 * unique and is a DATA granule.
 */
static void test_no_granule_in_two_realms(void **state)
{
	struct test_realm r[2];
	uint64_t pool[24], pas[2 * S2TT_ENTRIES];
	unsigned int i, j, step, n;
	uint64_t src = make_src(0);

	(void)state;
	srand(1234);
	realm_build(&r[0], 1);
	realm_build(&r[1], 2);
	for (i = 0; i < ARRAY_SIZE(pool); i++) {
		pool[i] = alloc_delegated();
	}
	for (step = 0; step < 2000; step++) {
		struct test_realm *t = &r[rand() % 2];
		uint64_t ipa = TEST_IPA_BASE + (uint64_t)(rand() % 32) * GRANULE_SIZE;
		uint64_t g = pool[rand() % ARRAY_SIZE(pool)];

		switch (rand() % 3) {
		case 0:
			(void)rmi(SMC_RMI_DATA_CREATE_UNKNOWN, t->rd, g, ipa, 0, 0, NULL);
			break;
		case 1:
			(void)rmi(SMC_RMI_DATA_CREATE, t->rd, g, ipa, src, 0, NULL);
			break;
		default:
			(void)rmi(SMC_RMI_DATA_DESTROY, t->rd, ipa, 0, 0, 0, NULL);
			break;
		}
		n = collect_pas(&r[0], pas, ARRAY_SIZE(pas));
		n += collect_pas(&r[1], pas + n, ARRAY_SIZE(pas) - n);
		for (i = 0; i < n; i++) {
			assert_int_equal(GRANULE_STATE_DATA, granule_get_state(addr_to_granule(pas[i])));
			for (j = i + 1; j < n; j++) {
				assert_true(pas[i] != pas[j]);
			}
		}
		assert_int_equal(n, granule_count_in_state(GRANULE_STATE_DATA));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_data_create_success, rmm_test_setup),
		cmocka_unit_test_setup(test_rim_matches_spec, rmm_test_setup),
		cmocka_unit_test_setup(test_rim_ripas_and_rec_match_spec, rmm_test_setup),
		cmocka_unit_test_setup(test_rim_unmeasured_content, rmm_test_setup),
		cmocka_unit_test_setup(test_data_create_errors, rmm_test_setup),
		cmocka_unit_test_setup(test_data_create_unknown, rmm_test_setup),
		cmocka_unit_test_setup(test_data_destroy, rmm_test_setup),
		cmocka_unit_test_setup(test_no_granule_in_two_realms, rmm_test_setup),
	};

	return cmocka_run_group_tests_name("rmm-data", tests, NULL, NULL);
}
