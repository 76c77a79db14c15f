/*
 * GRANULE_DELEGATE / UNDELEGATE, VERSION, FEATURES and the dispatcher.
 */
#include "rmm_test.h"

#include <stdio.h>
#include <string.h>

/* A tracked NS granule is delegated: GPT says Realm, state DELEGATED. */
static void test_delegate_success(void **state)
{
	uint64_t pa = alloc_ns();

	(void)state;
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_GRANULE_DELEGATE, pa, 0, 0, 0, 0, NULL));
	assert_int_equal(FAKE_GPI_REALM, fake_gpt_get(pa));
	assert_int_equal(GRANULE_STATE_DELEGATED, granule_get_state(addr_to_granule(pa)));
}

/* Misaligned and untracked addresses are rejected, nothing changes. */
static void test_delegate_bad_address(void **state)
{
	uint64_t pa = alloc_ns();

	(void)state;
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_GRANULE_DELEGATE, pa + 8, 0, 0, 0, 0, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_GRANULE_DELEGATE, PLAT_NS_DRAM_BASE - GRANULE_SIZE,
					0, 0, 0, 0, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_GRANULE_DELEGATE,
					PLAT_NS_DRAM_BASE + PLAT_NS_DRAM_SIZE, 0, 0, 0, 0, NULL));
	assert_int_equal(FAKE_GPI_NS, fake_gpt_get(pa));
	assert_int_equal(0UL, granule_count_in_state(GRANULE_STATE_DELEGATED));
}

/* Delegating twice fails the second time with ERROR_INPUT. */
static void test_double_delegate(void **state)
{
	uint64_t pa = alloc_delegated();

	(void)state;
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_GRANULE_DELEGATE, pa, 0, 0, 0, 0, NULL));
	assert_int_equal(GRANULE_STATE_DELEGATED, granule_get_state(addr_to_granule(pa)));
}

/* If EL3 refuses the PAS change the granule stays NS. */
static void test_delegate_el3_refuses(void **state)
{
	uint64_t pa = alloc_ns();

	(void)state;
	fake_gtsi_fail_next();
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_GRANULE_DELEGATE, pa, 0, 0, 0, 0, NULL));
	assert_int_equal(GRANULE_STATE_NS, granule_get_state(addr_to_granule(pa)));
	assert_int_equal(FAKE_GPI_NS, fake_gpt_get(pa));
}

/* Undelegate returns the granule to NS and scrubs what the realm side left. */
static void test_undelegate_scrubs(void **state)
{
	uint64_t pa = alloc_delegated();
	uint8_t *p = fake_pa_ptr(pa);
	unsigned int i;

	(void)state;
	memset(p, 0xA5, GRANULE_SIZE);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_GRANULE_UNDELEGATE, pa, 0, 0, 0, 0, NULL));
	assert_int_equal(FAKE_GPI_NS, fake_gpt_get(pa));
	assert_int_equal(GRANULE_STATE_NS, granule_get_state(addr_to_granule(pa)));
	for (i = 0U; i < GRANULE_SIZE; i++) {
		assert_int_equal(0, p[i]);
	}
}

/* Undelegating an NS granule, or a granule in use (RD), fails. */
static void test_undelegate_wrong_state(void **state)
{
	struct test_realm r;

	(void)state;
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_GRANULE_UNDELEGATE, alloc_ns(), 0, 0, 0, 0, NULL));
	realm_build(&r, 1);
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_GRANULE_UNDELEGATE, r.rd, 0, 0, 0, 0, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_GRANULE_UNDELEGATE, r.rtt_l3, 0, 0, 0, 0, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_GRANULE_UNDELEGATE, r.rd + 1, 0, 0, 0, 0, NULL));
	assert_int_equal(GRANULE_STATE_RD, granule_get_state(addr_to_granule(r.rd)));
	assert_int_equal(FAKE_GPI_REALM, fake_gpt_get(r.rd));
}

/* VERSION answers 1.0 and rejects other versions; FEATURES reports S2SZ/SHA-256. */
static void test_version_features(void **state)
{
	struct smc_result res;

	(void)state;
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_VERSION, 0x10000, 0, 0, 0, 0, &res));
	assert_int_equal(0x10000, res.x[1]);
	assert_int_equal(0x10000, res.x[2]);
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_VERSION, 0x20000, 0, 0, 0, 0, &res));
	assert_int_equal(0x10000, res.x[1]);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_FEATURES, 0, 0, 0, 0, 0, &res));
	assert_int_equal(48, res.x[1] & 0xFF);
	assert_true((res.x[1] & RMI_FEATURE_REGISTER_0_HASH_SHA_256) != 0);
	assert_true((res.x[1] & RMI_FEATURE_REGISTER_0_HASH_SHA_512) == 0);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_FEATURES, 1, 0, 0, 0, 0, &res));
	assert_int_equal(0, res.x[1]);
}

/*
 * The dispatcher passes a handler exactly its declared argument registers
 * and returns exactly its declared result registers: extra registers from
 * the host are not seen (the log shows one argument for VERSION), and
 * result registers past num_results read as zero.
 */
static void test_dispatch_named_args(void **state)
{
	struct smc_result res;
	uint64_t pa = alloc_ns();
	char want[128];

	(void)state;
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_VERSION, 0x10000, 0xAA, 0xBB, 0xCC, 0xDD, &res));
	assert_string_equal("RMI RMI_VERSION 10000 > 0 10000 10000", fake_last_call_log());
	assert_int_equal(0, res.x[3]);
	assert_int_equal(0, res.x[4]);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_GRANULE_DELEGATE, pa, 0x1, 0x2, 0x3, 0x4, &res));
	snprintf(want, sizeof(want), "RMI GRANULE_DELEGATE %lx > 0", (unsigned long)pa);
	assert_string_equal(want, fake_last_call_log());
	assert_int_equal(0, res.x[1]);
	assert_non_null(rmi_handler_lookup(SMC_RMI_DATA_CREATE));
	assert_int_equal(5, rmi_handler_lookup(SMC_RMI_DATA_CREATE)->num_args);
	assert_int_equal(5, rmi_handler_lookup(SMC_RMI_RTT_READ_ENTRY)->num_results);
	assert_null(rmi_handler_lookup(0xC4000156UL));	/* hole in the RMI range */
}

/* Unimplemented FIDs in the RMI range, the CSM range (past the three CSM
 * host calls) and elsewhere: SMC_UNKNOWN. */
static void test_unknown_fid(void **state)
{
	(void)state;
	assert_int_equal(SMC_UNKNOWN, rmi(0xC4000156UL, 0, 0, 0, 0, 0, NULL));
	assert_int_equal(SMC_UNKNOWN, rmi(0xC4000160UL, 0, 0, 0, 0, 0, NULL));
	assert_int_equal(SMC_UNKNOWN, rmi(0xC4000163UL, 0, 0, 0, 0, 0, NULL));
	assert_int_equal(SMC_UNKNOWN, rmi(SMC64_VENDOR_FID(0x153), 0, 0, 0, 0, 0, NULL));
	assert_int_equal(SMC_UNKNOWN, rmi(SMC64_VENDOR_FID(0x18F), 0, 0, 0, 0, 0, NULL));
	assert_int_equal(SMC_UNKNOWN, rmi(0xC4000100UL, 0, 0, 0, 0, 0, NULL));
	assert_int_equal(SMC_UNKNOWN, rmi(SMC_RMI_FID_LAST, 0, 0, 0, 0, 0, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_delegate_success, rmm_test_setup),
		cmocka_unit_test_setup(test_delegate_bad_address, rmm_test_setup),
		cmocka_unit_test_setup(test_double_delegate, rmm_test_setup),
		cmocka_unit_test_setup(test_delegate_el3_refuses, rmm_test_setup),
		cmocka_unit_test_setup(test_undelegate_scrubs, rmm_test_setup),
		cmocka_unit_test_setup(test_undelegate_wrong_state, rmm_test_setup),
		cmocka_unit_test_setup(test_version_features, rmm_test_setup),
		cmocka_unit_test_setup(test_unknown_fid, rmm_test_setup),
		cmocka_unit_test_setup(test_dispatch_named_args, rmm_test_setup),
	};

	return cmocka_run_group_tests_name("rmm-granule", tests, NULL, NULL);
}
