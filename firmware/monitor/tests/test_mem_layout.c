/* The monitor's memory layout from the DRAM size (monitor/mem_layout.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <mem_layout.h>
#include <plat_memory.h>

#define MB (1UL << 20)

static void expect(uint64_t dram, uint64_t size, uint64_t ns_top)
{
	struct boot_mem m;

	assert_int_equal(MEM_LAYOUT_OK, mem_layout_from_dram(dram, &m));
	assert_int_equal(PLAT_DRAM_BASE, m.dram_base);
	assert_int_equal(size, m.dram_size);
	assert_int_equal(PLAT_NS_DRAM_BASE, m.ns_base);
	assert_int_equal(ns_top, m.ns_base + m.ns_size);
}

static void test_sizes(void **state)
{
	(void)state;
	expect(64 * MB, 64 * MB, 0x44000000UL);
	expect(66 * MB + 1, 66 * MB, 0x44200000UL);		/* rounded down to 2 MB */
	expect(512 * MB, 512 * MB, 0x60000000UL);
	expect(1024 * MB, 1024 * MB, 0x80000000UL);
	expect(1032 * MB, 1032 * MB, 0x80800000UL);		/* exactly the 1 GB cap */
	expect(2048 * MB, 2048 * MB, 0x80800000UL);		/* capped: the rest is NS only */
	expect(3072 * MB, 3072 * MB, 0x80800000UL);		/* DRAM ends at 4 GB */
}

static void test_bounds(void **state)
{
	struct boot_mem m = { 1, 2, 3, 4 };

	(void)state;
	assert_int_equal(MEM_LAYOUT_TOO_SMALL, mem_layout_from_dram(0U, &m));
	assert_int_equal(MEM_LAYOUT_TOO_SMALL, mem_layout_from_dram(64 * MB - 1, &m));
	assert_int_equal(MEM_LAYOUT_TOO_LARGE, mem_layout_from_dram(3072 * MB + 1, &m));
	assert_int_equal(MEM_LAYOUT_TOO_LARGE, mem_layout_from_dram(4096 * MB, &m));
	assert_int_equal(MEM_LAYOUT_TOO_LARGE, mem_layout_from_dram(~0UL, &m));
	assert_int_equal(1U, m.dram_base);	/* untouched on error */
	assert_int_equal(4U, m.ns_size);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
