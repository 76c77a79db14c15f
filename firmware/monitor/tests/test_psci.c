/* The monitor's PSCI decisions for the Normal world (monitor/psci_policy.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <mem_layout.h>
#include <plat_memory.h>
#include <psci_policy.h>

#define MB (1UL << 20)

static struct boot_mem layout(uint64_t dram)
{
	struct boot_mem m;

	assert_int_equal(MEM_LAYOUT_OK, mem_layout_from_dram(dram, &m));
	return m;
}

static void test_fids(void **state)
{
	(void)state;
	assert_true(psci_is_fid(0x84000000UL));
	assert_true(psci_is_fid(0xC4000003UL));
	assert_true(psci_is_fid(0x8400001FUL));
	assert_false(psci_is_fid(0x84000020UL));
	assert_false(psci_is_fid(0xC4000150UL));	/* RMI */
	assert_false(psci_is_fid(0x85000000UL));
	assert_int_equal(PSCI_SUCCESS, psci_features(PSCI_VERSION));
	assert_int_equal(PSCI_SUCCESS, psci_features(PSCI_FEATURES));
	assert_int_equal(PSCI_SUCCESS, psci_features(PSCI_CPU_ON_AARCH64_FID));
	assert_int_equal(PSCI_SUCCESS, psci_features(PSCI_CPU_OFF));
	assert_int_equal(PSCI_SUCCESS, psci_features(PSCI_AFFINITY_INFO_AARCH64));
	assert_int_equal(PSCI_SUCCESS, psci_features(PSCI_SYSTEM_OFF));
	assert_int_equal(PSCI_SUCCESS, psci_features(PSCI_SYSTEM_RESET));
	assert_int_equal(PSCI_NOT_SUPPORTED, psci_features(0x84000003UL));	/* CPU_ON SMC32 */
	assert_int_equal(PSCI_NOT_SUPPORTED, psci_features(0xC4000001UL));	/* CPU_SUSPEND */
	assert_int_equal(PSCI_NOT_SUPPORTED, psci_features(0UL));
}

static void test_target_cpu(void **state)
{
	(void)state;
	assert_int_equal(0U, psci_target_cpu(0UL));
	assert_int_equal(1U, psci_target_cpu(1UL));
	assert_int_equal(PLAT_MAX_CPUS, psci_target_cpu(PLAT_MAX_CPUS));
	assert_int_equal(PLAT_MAX_CPUS, psci_target_cpu(0x100UL));	/* Aff1 */
	assert_int_equal(PLAT_MAX_CPUS, psci_target_cpu(0x80000000UL));
	assert_int_equal(PLAT_MAX_CPUS, psci_target_cpu(0x100000000UL));	/* Aff3 */
}

/* The entry point: aligned NS DRAM from the host image to the end of DRAM. */
static void test_entry(void **state)
{
	struct boot_mem m1 = layout(1024 * MB), m2 = layout(2048 * MB);

	(void)state;
	assert_true(psci_ns_entry_valid(PLAT_HOST_BASE, &m1));
	assert_true(psci_ns_entry_valid(0x7FFFFFFCUL, &m1));
	assert_false(psci_ns_entry_valid(0x80000000UL, &m1));	/* past DRAM */
	assert_true(psci_ns_entry_valid(0x80000000UL, &m2));	/* DRAM there at -m 2G */
	assert_true(psci_ns_entry_valid(0xBFFFFFFCUL, &m2));
	assert_false(psci_ns_entry_valid(0xC0000000UL, &m2));
	assert_false(psci_ns_entry_valid(PLAT_HOST_BASE + 2U, &m1));	/* misaligned */
	assert_false(psci_ns_entry_valid(PLAT_RMM_BASE, &m1));		/* Realm */
	assert_false(psci_ns_entry_valid(PLAT_MONITOR_BASE, &m1));	/* Root */
	assert_false(psci_ns_entry_valid(PLAT_DRAM_BASE, &m1));	/* DTB */
	assert_false(psci_ns_entry_valid(0UL, &m1));
	assert_false(psci_ns_entry_valid(~3UL, &m1));
}

static void test_cpu_on(void **state)
{
	struct boot_mem m = layout(1024 * MB);
	uint32_t st[PLAT_MAX_CPUS] = { CPU_ON_STATE, CPU_OFF_STATE };
	unsigned int cpu = 99U;

	(void)state;
	/* order of checks: the CPU, then the address, then its state */
	assert_int_equal(PSCI_INVALID_PARAMETERS, psci_cpu_on_result(7UL, 0UL, &m, st, &cpu));
	assert_int_equal(PSCI_INVALID_ADDRESS, psci_cpu_on_result(1UL, PLAT_RMM_BASE, &m, st, &cpu));
	assert_int_equal(PSCI_INVALID_ADDRESS, psci_cpu_on_result(0UL, 0UL, &m, st, &cpu));
	assert_int_equal(PSCI_ALREADY_ON, psci_cpu_on_result(0UL, PLAT_HOST_BASE, &m, st, &cpu));
	assert_int_equal(99U, cpu);
	assert_int_equal(PSCI_SUCCESS, psci_cpu_on_result(1UL, PLAT_HOST_BASE, &m, st, &cpu));
	assert_int_equal(1U, cpu);
	st[1] = CPU_ON_PENDING_STATE;
	assert_int_equal(PSCI_ON_PENDING, psci_cpu_on_result(1UL, PLAT_HOST_BASE, &m, st, &cpu));
	st[1] = CPU_ON_STATE;
	assert_int_equal(PSCI_ALREADY_ON, psci_cpu_on_result(1UL, PLAT_HOST_BASE, &m, st, &cpu));
}

static void test_affinity_info(void **state)
{
	uint32_t st[PLAT_MAX_CPUS] = { CPU_ON_STATE, CPU_OFF_STATE };

	(void)state;
	assert_int_equal(PSCI_AFF_ON, psci_affinity_info(0UL, 0UL, st));
	assert_int_equal(PSCI_AFF_OFF, psci_affinity_info(1UL, 0UL, st));
	st[1] = CPU_ON_PENDING_STATE;
	assert_int_equal(PSCI_AFF_ON_PENDING, psci_affinity_info(1UL, 0UL, st));
	assert_int_equal(PSCI_INVALID_PARAMETERS, psci_affinity_info(1UL, 1UL, st));	/* level */
	assert_int_equal(PSCI_INVALID_PARAMETERS, psci_affinity_info(2UL, 0UL, st));
	assert_int_equal(PSCI_INVALID_PARAMETERS, psci_affinity_info(0x100UL, 0UL, st));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fids),
		cmocka_unit_test(test_target_cpu),
		cmocka_unit_test(test_entry),
		cmocka_unit_test(test_cpu_on),
		cmocka_unit_test(test_affinity_info),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
