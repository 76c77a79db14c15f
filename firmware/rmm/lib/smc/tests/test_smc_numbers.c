/*
 * lib/smc's numbers against the RMM v1.0 (REL0) specification, transcribed
 * here a second time from its tables: RMI FIDs (B4.3), RSI FIDs (B5.3),
 * PSCI FIDs (B6.3), RmiStatusCode (B4.4.25), RsiCommandReturnCode (B5.4),
 * RmiRecExitReason, RmiRipas and RmiRttEntryState (B4.4).  The firmware,
 * its native tests and the hosts all take these numbers from the same
 * headers, so a wrong one would pass every other test; this one fails.
 * Also: the status packing, and that the CSM extension numbers are the
 * public ABI's (caec/abi/csm.h) in the SMCCC vendor range.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <smc-csm.h>
#include <smc-rmi.h>
#include <smc-rsi.h>

struct number {
	const char *name;
	unsigned long have, spec;
};

#define N(name, spec) { #name, (unsigned long)(name), (unsigned long)(spec) }

static void check(const struct number *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (t[i].have != t[i].spec) {
			fail_msg("%s = 0x%lx, the specification says 0x%lx", t[i].name, t[i].have,
				 t[i].spec);
		}
	}
}

static void test_rmi_fids(void **state)
{
	const struct number t[] = {
		N(SMC_RMI_VERSION, 0xC4000150), N(SMC_RMI_GRANULE_DELEGATE, 0xC4000151),
		N(SMC_RMI_GRANULE_UNDELEGATE, 0xC4000152), N(SMC_RMI_DATA_CREATE, 0xC4000153),
		N(SMC_RMI_DATA_CREATE_UNKNOWN, 0xC4000154), N(SMC_RMI_DATA_DESTROY, 0xC4000155),
		N(SMC_RMI_REALM_ACTIVATE, 0xC4000157), N(SMC_RMI_REALM_CREATE, 0xC4000158),
		N(SMC_RMI_REALM_DESTROY, 0xC4000159), N(SMC_RMI_REC_CREATE, 0xC400015A),
		N(SMC_RMI_REC_DESTROY, 0xC400015B), N(SMC_RMI_REC_ENTER, 0xC400015C),
		N(SMC_RMI_RTT_CREATE, 0xC400015D), N(SMC_RMI_RTT_DESTROY, 0xC400015E),
		N(SMC_RMI_RTT_MAP_UNPROTECTED, 0xC400015F), N(SMC_RMI_RTT_READ_ENTRY, 0xC4000161),
		N(SMC_RMI_RTT_UNMAP_UNPROTECTED, 0xC4000162), N(SMC_RMI_PSCI_COMPLETE, 0xC4000164),
		N(SMC_RMI_FEATURES, 0xC4000165), N(SMC_RMI_RTT_FOLD, 0xC4000166),
		N(SMC_RMI_REC_AUX_COUNT, 0xC4000167), N(SMC_RMI_RTT_INIT_RIPAS, 0xC4000168),
		N(SMC_RMI_RTT_SET_RIPAS, 0xC4000169),
		/* The range the RMM dispatches (SMCCC: 0x150..0x16F). */
		N(SMC_RMI_FID_FIRST, 0xC4000150), N(SMC_RMI_FID_LAST, 0xC400016F),
	};

	(void)state;
	check(t, sizeof(t) / sizeof(t[0]));
}

static void test_rsi_and_psci_fids(void **state)
{
	const struct number t[] = {
		N(SMC_RSI_VERSION, 0xC4000190), N(SMC_RSI_FEATURES, 0xC4000191),
		N(SMC_RSI_MEASUREMENT_READ, 0xC4000192), N(SMC_RSI_MEASUREMENT_EXTEND, 0xC4000193),
		N(SMC_RSI_ATTEST_TOKEN_INIT, 0xC4000194),
		N(SMC_RSI_ATTEST_TOKEN_CONTINUE, 0xC4000195), N(SMC_RSI_REALM_CONFIG, 0xC4000196),
		N(SMC_RSI_IPA_STATE_SET, 0xC4000197), N(SMC_RSI_IPA_STATE_GET, 0xC4000198),
		N(SMC_RSI_HOST_CALL, 0xC4000199),
		N(PSCI_VERSION, 0x84000000), N(PSCI_CPU_OFF, 0x84000002),
		N(PSCI_SYSTEM_OFF, 0x84000008), N(PSCI_SYSTEM_RESET, 0x84000009),
		N(PSCI_FEATURES, 0x8400000A), N(PSCI_CPU_SUSPEND_AARCH64, 0xC4000001),
		N(PSCI_CPU_ON_AARCH64, 0xC4000003), N(PSCI_AFFINITY_INFO_AARCH64, 0xC4000004),
	};

	(void)state;
	check(t, sizeof(t) / sizeof(t[0]));
}

static void test_codes(void **state)
{
	const struct number t[] = {
		N(RMI_SUCCESS, 0), N(RMI_ERROR_INPUT, 1), N(RMI_ERROR_REALM, 2),
		N(RMI_ERROR_REC, 3), N(RMI_ERROR_RTT, 4),
		N(RSI_SUCCESS, 0), N(RSI_ERROR_INPUT, 1), N(RSI_ERROR_STATE, 2),
		N(RSI_INCOMPLETE, 3), N(RSI_ERROR_UNKNOWN, 4),
		N(RMI_EXIT_SYNC, 0), N(RMI_EXIT_IRQ, 1), N(RMI_EXIT_FIQ, 2), N(RMI_EXIT_PSCI, 3),
		N(RMI_EXIT_RIPAS_CHANGE, 4), N(RMI_EXIT_HOST_CALL, 5), N(RMI_EXIT_SERROR, 6),
		N(RIPAS_EMPTY, 0), N(RIPAS_RAM, 1), N(RIPAS_DESTROYED, 2),
		N(RMI_UNASSIGNED, 0), N(RMI_ASSIGNED, 1), N(RMI_TABLE, 2),
		N(RMI_ABI_VERSION, 0x10000), N(RSI_ABI_VERSION, 0x10000),
		N(PSCI_SUCCESS, 0), N(PSCI_NOT_SUPPORTED, -1L), N(PSCI_INVALID_PARAMETERS, -2L),
		N(PSCI_DENIED, -3L), N(PSCI_ALREADY_ON, -4L), N(PSCI_INVALID_ADDRESS, -9L),
	};

	(void)state;
	check(t, sizeof(t) / sizeof(t[0]));
}

/* x0 = status in bits [7:0], index in [15:8] (B4.4.25, RmiCommandReturnCode). */
static void test_status_packing(void **state)
{
	unsigned long s, i;

	(void)state;
	for (s = 0; s <= RMI_ERROR_RTT; s++) {
		for (i = 0; i < 256; i++) {
			unsigned long r = rmi_pack(s, i);

			assert_int_equal(s | (i << 8), r);
			assert_int_equal(s, RMI_STATUS(r));
			assert_int_equal(i, RMI_INDEX(r));
		}
	}
}

/* The CSM calls: the public ABI's numbers, SMC64 fast calls in the
 * vendor-specific hypervisor range, outside every standard range. */
static void test_csm_extension(void **state)
{
	const unsigned long rsi[] = {
		SMC_RSI_CSM_VERSION, SMC_RSI_CSM_REALM_ID, SMC_RSI_CSM_SHARE, SMC_RSI_CSM_GRANT,
		SMC_RSI_CSM_REVOKE, SMC_RSI_CSM_UNSHARE, SMC_RSI_CSM_SEAL, SMC_RSI_CSM_GRANT_LIST,
		SMC_RSI_CSM_RESERVE, SMC_RSI_CSM_ATTACH, SMC_RSI_CSM_DETACH, SMC_RSI_CSM_NOTIFY,
	};
	const unsigned long rmi[] = {
		SMC_RMI_CSM_VERSION, SMC_RMI_CSM_META_ADD, SMC_RMI_CSM_META_REMOVE,
	};
	size_t i;

	(void)state;
	assert_int_equal(CAEC_RSI_CSM_SHARE, SMC_RSI_CSM_SHARE);
	assert_int_equal(CAEC_RMI_CSM_META_ADD, SMC_RMI_CSM_META_ADD);
	for (i = 0; i < sizeof(rsi) / sizeof(rsi[0]); i++) {
		assert_int_equal(0xC7000000UL, rsi[i] & 0xFFFF0000UL);	/* SMC64, fast, vendor hyp */
		assert_in_range(rsi[i], SMC_RSI_CSM_FID_FIRST, SMC_RSI_CSM_FID_LAST);
		if (i > 0) {
			assert_true(rsi[i] > rsi[i - 1]);
		}
	}
	for (i = 0; i < sizeof(rmi) / sizeof(rmi[0]); i++) {
		assert_int_equal(0xC7000000UL, rmi[i] & 0xFFFF0000UL);
		assert_in_range(rmi[i], SMC_RMI_CSM_FID_FIRST, SMC_RMI_CSM_FID_LAST);
	}
	assert_true(SMC_RMI_CSM_FID_LAST < SMC_RSI_CSM_FID_FIRST);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rmi_fids),
		cmocka_unit_test(test_rsi_and_psci_fids),
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_status_packing),
		cmocka_unit_test(test_csm_extension),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
