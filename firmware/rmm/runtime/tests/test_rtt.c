/*
 * RTT_CREATE / DESTROY / READ_ENTRY / INIT_RIPAS / MAP / UNMAP_UNPROTECTED.
 */
#include "rmm_test.h"

#include <s2tt.h>
#include <string.h>

/* The fixture's tables are visible through READ_ENTRY with real descriptors. */
static void test_rtt_create_and_read(void **state)
{
	struct test_realm r;
	struct smc_result res;
	uint64_t *root;

	(void)state;
	realm_build(&r, 1);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_READ_ENTRY, r.rd, TEST_IPA_BASE, 1, 0, 0, &res));
	assert_int_equal(1, res.x[1]);
	assert_int_equal(RMI_TABLE, res.x[2]);
	assert_int_equal(r.rtt_l2, res.x[3]);
	/* hardware format: table descriptor = next-level PA | 0b11 */
	root = fake_pa_ptr(r.rtt_root);
	assert_int_equal(r.rtt_l2 | 3UL, root[1]);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_READ_ENTRY, r.rd, TEST_IPA_BASE, 3, 0, 0, &res));
	assert_int_equal(3, res.x[1]);
	assert_int_equal(RMI_UNASSIGNED, res.x[2]);
	assert_int_equal(RIPAS_EMPTY, res.x[4]);
	assert_int_equal(1, granule_refcount(addr_to_granule(r.rtt_root)));
	assert_int_equal(1, granule_refcount(addr_to_granule(r.rtt_l2)));
	assert_int_equal(0, granule_refcount(addr_to_granule(r.rtt_l3)));
}

/* Level and alignment errors are ERROR_INPUT; missing parents are ERROR_RTT. */
static void test_rtt_create_errors(void **state)
{
	struct test_realm r;
	uint64_t rtt = alloc_delegated();
	unsigned long ret;

	(void)state;
	realm_build(&r, 1);
	/* level must be below the start level and at most 3 */
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_RTT_CREATE, r.rd, rtt, 0, 1, 0, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_RTT_CREATE, r.rd, rtt, 0, 4, 0, NULL));
	/* IPA not aligned to the parent entry (2 MB for a level-3 table) */
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_RTT_CREATE, r.rd, rtt, TEST_IPA_BASE + 0x1000, 3, 0, NULL));
	/* IPA beyond s2sz */
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_RTT_CREATE, r.rd, rtt, 1UL << TEST_S2SZ, 2, 0, NULL));
	/* RTT granule not delegated / RD not an RD */
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_RTT_CREATE, r.rd, alloc_ns(), 0, 2, 0, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_RTT_CREATE, r.rtt_l2, rtt, 0, 2, 0, NULL));
	/* level 3 at IPA 0: no level-2 table there, the walk stops at level 1 */
	ret = rmi(SMC_RMI_RTT_CREATE, r.rd, rtt, 0, 3, 0, NULL);
	assert_int_equal(RMI_ERROR_RTT, RMI_STATUS(ret));
	assert_int_equal(1, RMI_INDEX(ret));
	/* a table already exists at (TEST_IPA_BASE, 3) */
	ret = rmi(SMC_RMI_RTT_CREATE, r.rd, rtt, TEST_IPA_BASE, 3, 0, NULL);
	assert_int_equal(RMI_ERROR_RTT, RMI_STATUS(ret));
	assert_int_equal(2, RMI_INDEX(ret));
	assert_int_equal(GRANULE_STATE_DELEGATED, granule_get_state(addr_to_granule(rtt)));
}

/* DESTROY of a live RTT is ERROR_RTT at its level; then parent RIPAS DESTROYED. */
static void test_rtt_destroy(void **state)
{
	struct test_realm r;
	struct smc_result res;
	unsigned long ret;

	(void)state;
	realm_build(&r, 1);
	ret = rmi(SMC_RMI_RTT_DESTROY, r.rd, TEST_IPA_BASE, 2, 0, 0, NULL);
	assert_int_equal(RMI_ERROR_RTT, RMI_STATUS(ret));
	assert_int_equal(2, RMI_INDEX(ret));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_RTT_DESTROY, r.rd, TEST_IPA_BASE, 1, 0, 0, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_RTT_DESTROY, r.rd, TEST_IPA_BASE + 4096, 3, 0, 0, NULL));
	/* nothing at IPA 0 level 3: walk reaches level 1 only */
	ret = rmi(SMC_RMI_RTT_DESTROY, r.rd, 0, 3, 0, 0, NULL);
	assert_int_equal(RMI_ERROR_RTT, RMI_STATUS(ret));
	assert_int_equal(1, RMI_INDEX(ret));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_DESTROY, r.rd, TEST_IPA_BASE, 3, 0, 0, &res));
	assert_int_equal(r.rtt_l3, res.x[1]);
	/* top: the level-2 RTT has no live entry left, so its end */
	assert_int_equal(TEST_IPA_BASE + 0x40000000, res.x[2]);
	assert_int_equal(GRANULE_STATE_DELEGATED, granule_get_state(addr_to_granule(r.rtt_l3)));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_READ_ENTRY, r.rd, TEST_IPA_BASE, 2, 0, 0, &res));
	assert_int_equal(RMI_UNASSIGNED, res.x[2]);
	assert_int_equal(RIPAS_DESTROYED, res.x[4]);
	assert_true(fake_tlbi_count() > 0);
	/* destroying it again: the entry is no longer a table */
	ret = rmi(SMC_RMI_RTT_DESTROY, r.rd, TEST_IPA_BASE, 3, 0, 0, NULL);
	assert_int_equal(RMI_ERROR_RTT, RMI_STATUS(ret));
	assert_int_equal(2, RMI_INDEX(ret));
}

/* READ_ENTRY input checks. */
static void test_rtt_read_entry_errors(void **state)
{
	struct test_realm r;

	(void)state;
	realm_build(&r, 1);
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_RTT_READ_ENTRY, r.rd, TEST_IPA_BASE, 0, 0, 0, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_RTT_READ_ENTRY, r.rd, TEST_IPA_BASE, 4, 0, 0, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_RTT_READ_ENTRY, r.rd, TEST_IPA_BASE + 8, 3, 0, 0, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_RTT_READ_ENTRY, r.rtt_l3, TEST_IPA_BASE, 3, 0, 0, NULL));
}

/* INIT_RIPAS sets RAM on unassigned entries, extends the RIM, NEW realms only. */
static void test_init_ripas(void **state)
{
	struct test_realm r;
	struct smc_result res;
	struct rd *d;
	uint8_t rim[32];
	unsigned long ret;

	(void)state;
	realm_build(&r, 1);
	d = fake_pa_ptr(r.rd);
	memcpy(rim, d->rim, 32);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_INIT_RIPAS, r.rd, TEST_IPA_BASE,
				    TEST_IPA_BASE + 4 * GRANULE_SIZE, 0, 0, &res));
	assert_int_equal(TEST_IPA_BASE + 4 * GRANULE_SIZE, res.x[1]);
	assert_memory_not_equal(rim, d->rim, 32);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_READ_ENTRY, r.rd, TEST_IPA_BASE + 3 * GRANULE_SIZE,
				    3, 0, 0, &res));
	assert_int_equal(RIPAS_RAM, res.x[4]);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_READ_ENTRY, r.rd, TEST_IPA_BASE + 4 * GRANULE_SIZE,
				    3, 0, 0, &res));
	assert_int_equal(RIPAS_EMPTY, res.x[4]);
	/* a range that runs past the end of the level-3 table stops there */
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_INIT_RIPAS, r.rd, TEST_IPA_BASE + 0x1FF000,
				    TEST_IPA_BASE + 0x400000, 0, 0, &res));
	assert_int_equal(TEST_IPA_BASE + 0x200000, res.x[1]);
	/* bad inputs */
	/* base_align is checked against the walk level: an RTT error */
	assert_rmi(rmi_pack(RMI_ERROR_RTT, 3), rmi(SMC_RMI_RTT_INIT_RIPAS, r.rd, TEST_IPA_BASE + 1,
						   TEST_IPA_BASE + 0x2000, 0, 0, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_RTT_INIT_RIPAS, r.rd, TEST_IPA_BASE + 0x2000,
					TEST_IPA_BASE + 0x2000, 0, 0, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_RTT_INIT_RIPAS, r.rd, TEST_UNPROT,
					TEST_UNPROT + 0x1000, 0, 0, NULL));
	/* level-1 entry at IPA 0 covers 1 GB: a 4 KB range is an RTT error at level 1 */
	ret = rmi(SMC_RMI_RTT_INIT_RIPAS, r.rd, 0, 0x1000, 0, 0, NULL);
	assert_int_equal(RMI_ERROR_RTT, RMI_STATUS(ret));
	assert_int_equal(1, RMI_INDEX(ret));
	/* assigned entry */
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_DATA_CREATE_UNKNOWN, r.rd, alloc_delegated(),
				    TEST_IPA_BASE + 0x10000, 0, 0, NULL));
	ret = rmi(SMC_RMI_RTT_INIT_RIPAS, r.rd, TEST_IPA_BASE + 0x10000, TEST_IPA_BASE + 0x11000, 0, 0, NULL);
	assert_int_equal(RMI_ERROR_RTT, RMI_STATUS(ret));
	assert_int_equal(3, RMI_INDEX(ret));
	/* not in an ACTIVE realm */
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_REALM_ACTIVATE, r.rd, 0, 0, 0, 0, NULL));
	assert_rmi(RMI_ERROR_REALM, rmi(SMC_RMI_RTT_INIT_RIPAS, r.rd, TEST_IPA_BASE + 0x20000,
					TEST_IPA_BASE + 0x21000, 0, 0, NULL));
}

/* Unprotected mappings: real NS descriptors, errors for bad inputs/state. */
static void test_map_unmap_unprotected(void **state)
{
	struct test_realm r;
	struct smc_result res;
	uint64_t ipa = TEST_UNPROT | 0x09000000UL;
	uint64_t desc = 0x09000000UL | S2TTE_MEMATTR_DEV_NGNRE | S2TTE_AP_RW;
	uint64_t *l3;
	unsigned long ret;
	uint64_t l2u = alloc_delegated(), l3u = alloc_delegated();

	(void)state;
	realm_build(&r, 1);
	/* no table yet: ERROR_RTT at level 1 */
	ret = rmi(SMC_RMI_RTT_MAP_UNPROTECTED, r.rd, ipa, 3, desc, 0, NULL);
	assert_int_equal(RMI_ERROR_RTT, RMI_STATUS(ret));
	assert_int_equal(1, RMI_INDEX(ret));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_CREATE, r.rd, l2u, TEST_UNPROT, 2, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_CREATE, r.rd, l3u, TEST_UNPROT | 0x09000000UL, 3, 0, NULL));
	/* input errors */
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_RTT_MAP_UNPROTECTED, r.rd, TEST_IPA_BASE, 3, desc, 0, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_RTT_MAP_UNPROTECTED, r.rd, ipa + 8, 3, desc, 0, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_RTT_MAP_UNPROTECTED, r.rd, ipa, 3, desc | 1, 0, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_RTT_MAP_UNPROTECTED, r.rd, ipa, 3, desc | S2TTE_NS, 0, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_RTT_MAP_UNPROTECTED, r.rd, ipa, 1, desc, 0, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_RTT_MAP_UNPROTECTED, r.rd, ipa, 3, desc + 0x800, 0, NULL));
	/* success: a valid level-3 page descriptor with NS set */
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_MAP_UNPROTECTED, r.rd, ipa, 3, desc, 0, NULL));
	l3 = fake_pa_ptr(l3u);
	assert_int_equal(3UL, l3[0] & 3UL);
	assert_true((l3[0] & S2TTE_NS) != 0);
	assert_int_equal(0x09000000UL, l3[0] & S2TTE_OA_MASK);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_READ_ENTRY, r.rd, ipa, 3, 0, 0, &res));
	assert_int_equal(RMI_ASSIGNED, res.x[2]);
	assert_int_equal(desc, res.x[3]);
	/* mapped twice: ERROR_RTT level 3; ASSIGNED_NS does not make the RTT live */
	ret = rmi(SMC_RMI_RTT_MAP_UNPROTECTED, r.rd, ipa, 3, desc, 0, NULL);
	assert_int_equal(RMI_ERROR_RTT, RMI_STATUS(ret));
	assert_int_equal(3, RMI_INDEX(ret));
	assert_int_equal(0, granule_refcount(addr_to_granule(l3u)));
	/* unmap */
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_RTT_UNMAP_UNPROTECTED, r.rd, TEST_IPA_BASE, 3, 0, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_UNMAP_UNPROTECTED, r.rd, ipa, 3, 0, 0, &res));
	/* top: the rest of the level-3 RTT holds no live entry */
	assert_int_equal(TEST_UNPROT | 0x09200000UL, res.x[1]);
	ret = rmi(SMC_RMI_RTT_UNMAP_UNPROTECTED, r.rd, ipa, 3, 0, 0, NULL);
	assert_int_equal(RMI_ERROR_RTT, RMI_STATUS(ret));
	assert_int_equal(3, RMI_INDEX(ret));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_DESTROY, r.rd, TEST_UNPROT | 0x09000000UL, 3, 0, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_DESTROY, r.rd, TEST_UNPROT, 2, 0, 0, NULL));
	/* an unprotected parent goes back to UNASSIGNED_NS (read as unassigned, ripas 0) */
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_READ_ENTRY, r.rd, TEST_UNPROT, 1, 0, 0, &res));
	assert_int_equal(RMI_UNASSIGNED, res.x[2]);
}

/* Level-2 block mapping of unprotected memory. */
static void test_map_unprotected_block(void **state)
{
	struct test_realm r;
	uint64_t l2u = alloc_delegated();
	uint64_t *l2;

	(void)state;
	realm_build(&r, 1);
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_CREATE, r.rd, l2u, TEST_UNPROT, 2, 0, NULL));
	assert_rmi(RMI_ERROR_INPUT, rmi(SMC_RMI_RTT_MAP_UNPROTECTED, r.rd, TEST_UNPROT, 2,
					0x1000 | S2TTE_AP_RW, 0, NULL));
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_MAP_UNPROTECTED, r.rd, TEST_UNPROT, 2,
				    0x200000 | S2TTE_AP_RW | S2TTE_MEMATTR_NORMAL_WB, 0, NULL));
	l2 = fake_pa_ptr(l2u);
	assert_int_equal(1UL, l2[0] & 3UL);	/* block descriptor */
	assert_rmi(RMI_SUCCESS, rmi(SMC_RMI_RTT_UNMAP_UNPROTECTED, r.rd, TEST_UNPROT, 2, 0, 0, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_rtt_create_and_read, rmm_test_setup),
		cmocka_unit_test_setup(test_rtt_create_errors, rmm_test_setup),
		cmocka_unit_test_setup(test_rtt_destroy, rmm_test_setup),
		cmocka_unit_test_setup(test_rtt_read_entry_errors, rmm_test_setup),
		cmocka_unit_test_setup(test_init_ripas, rmm_test_setup),
		cmocka_unit_test_setup(test_map_unmap_unprotected, rmm_test_setup),
		cmocka_unit_test_setup(test_map_unprotected_block, rmm_test_setup),
	};

	return cmocka_run_group_tests_name("rmm-rtt", tests, NULL, NULL);
}
