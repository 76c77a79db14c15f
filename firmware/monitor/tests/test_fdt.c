/*
 * The monitor's device-tree parser (monitor/fdt.c): the DRAM size from
 * well-formed trees shaped like QEMU's, and a clear error, never a read
 * outside the blob, for every kind of malformed one.  Each blob is parsed
 * from a heap copy of exactly its size, so a stray read is an ASan error
 * in the sanitizer build.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <fdt.h>

#include "fdt_builder.h"

#define DRAM_BASE	0x40000000UL
#define GB		0x40000000UL

static uint8_t blob[16384];

static enum fdt_status parse_n(const uint8_t *b, size_t avail, uint64_t *size)
{
	uint8_t *copy = malloc(avail == 0U ? 1U : avail);
	enum fdt_status st;

	assert_non_null(copy);
	memcpy(copy, b, avail);
	st = fdt_dram_size(copy, avail, DRAM_BASE, size);
	free(copy);
	return st;
}

static enum fdt_status parse(const uint8_t *b, uint64_t *size)
{
	return parse_n(b, fdtb_get32(b, FDTH_TOTALSIZE), size);
}

/* Root and a /memory node the way QEMU virt writes them. */
static void memory_node(struct fdtb *b, unsigned int ac, unsigned int sc, uint64_t base,
			uint64_t size)
{
	uint64_t reg[2] = { base, size };

	fdtb_begin(b, "memory@40000000");
	fdtb_prop_reg(b, ac, sc, reg, 1U);
	fdtb_prop_str(b, "device_type", "memory");
	fdtb_end(b);
}

static void root_open(struct fdtb *b, unsigned int ac, unsigned int sc)
{
	fdtb_init(b);
	fdtb_begin(b, "");
	fdtb_prop_u32(b, "#address-cells", ac);
	fdtb_prop_u32(b, "#size-cells", sc);
	fdtb_prop_str(b, "compatible", "linux,dummy-virt");
	fdtb_begin(b, "psci");
	fdtb_prop_str(b, "compatible", "arm,psci-1.0");
	fdtb_end(b);
}

static size_t qemu_like(uint64_t size)
{
	struct fdtb b;

	root_open(&b, 2U, 2U);
	memory_node(&b, 2U, 2U, DRAM_BASE, size);
	fdtb_begin(&b, "cpus");
	fdtb_prop_u32(&b, "#address-cells", 1U);
	fdtb_prop_u32(&b, "#size-cells", 0U);
	fdtb_begin(&b, "cpu@0");
	fdtb_prop_u32(&b, "reg", 0U);
	fdtb_end(&b);
	fdtb_end(&b);
	fdtb_begin(&b, "chosen");
	fdtb_end(&b);
	fdtb_end(&b);
	return fdtb_finish(&b, blob, sizeof(blob));
}

static void test_qemu_sizes(void **state)
{
	static const uint64_t sizes[] = { 64UL << 20, 512UL << 20, GB, 2 * GB, 3 * GB, 4 * GB,
					  255 * GB };
	uint64_t size;
	unsigned int i;

	(void)state;
	for (i = 0U; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size = 0U;
		qemu_like(sizes[i]);
		assert_int_equal(FDT_OK, parse(blob, &size));
		assert_int_equal(sizes[i], size);
	}
}

/* #address-cells / #size-cells of 1, and the defaults (2, 1) when absent. */
static void test_cells(void **state)
{
	struct fdtb b;
	uint64_t size = 0U;

	(void)state;
	root_open(&b, 1U, 1U);
	memory_node(&b, 1U, 1U, DRAM_BASE, 0x20000000U);
	fdtb_end(&b);
	fdtb_finish(&b, blob, sizeof(blob));
	assert_int_equal(FDT_OK, parse(blob, &size));
	assert_int_equal(0x20000000U, size);

	fdtb_init(&b);
	fdtb_begin(&b, "");
	memory_node(&b, 2U, 1U, DRAM_BASE, 0x30000000U);
	fdtb_end(&b);
	fdtb_finish(&b, blob, sizeof(blob));
	assert_int_equal(FDT_OK, parse(blob, &size));
	assert_int_equal(0x30000000U, size);
}

/* Several regions and nodes: only the one starting at the base counts. */
static void test_regions(void **state)
{
	uint64_t pairs[6] = { 0x100000000UL, GB, DRAM_BASE, 0x10000000UL, 0x200000000UL, GB };
	struct fdtb b;
	uint64_t size = 0U;

	(void)state;
	root_open(&b, 2U, 2U);
	fdtb_begin(&b, "memory@100000000");
	fdtb_prop_str(&b, "device_type", "memory");
	fdtb_prop_reg(&b, 2U, 2U, pairs, 1U);
	fdtb_end(&b);
	fdtb_begin(&b, "memory@40000000");
	fdtb_prop_str(&b, "device_type", "memory");	/* before reg: order is free */
	fdtb_prop_reg(&b, 2U, 2U, pairs + 2, 2U);
	fdtb_end(&b);
	fdtb_token(&b, FDT_NOP);
	fdtb_end(&b);
	fdtb_finish(&b, blob, sizeof(blob));
	assert_int_equal(FDT_OK, parse(blob, &size));
	assert_int_equal(0x10000000UL, size);
}

static enum fdt_status one_memory_node(const char *type, unsigned int depth, const uint64_t *pairs,
				       unsigned int n, uint64_t *size)
{
	struct fdtb b;
	unsigned int i;

	root_open(&b, 2U, 2U);
	for (i = 1U; i < depth; i++) {
		fdtb_begin(&b, "soc");
	}
	fdtb_begin(&b, "memory@40000000");
	if (type != NULL) {
		fdtb_prop_str(&b, "device_type", type);
	}
	if (pairs != NULL) {
		fdtb_prop_reg(&b, 2U, 2U, pairs, n);
	}
	fdtb_end(&b);
	for (i = 1U; i < depth; i++) {
		fdtb_end(&b);
	}
	fdtb_end(&b);
	fdtb_finish(&b, blob, sizeof(blob));
	return parse(blob, size);
}

static void test_no_memory(void **state)
{
	uint64_t at_base[2] = { DRAM_BASE, GB }, elsewhere[2] = { 0x80000000UL, GB };
	uint64_t size = 0x1234U;

	(void)state;
	/* no device_type, the wrong one, a node that is not the root's child */
	assert_int_equal(FDT_E_NO_MEMORY, one_memory_node(NULL, 1U, at_base, 1U, &size));
	assert_int_equal(FDT_E_NO_MEMORY, one_memory_node("memoryx", 1U, at_base, 1U, &size));
	assert_int_equal(FDT_E_NO_MEMORY, one_memory_node("memor", 1U, at_base, 1U, &size));
	assert_int_equal(FDT_E_NO_MEMORY, one_memory_node("memory", 2U, at_base, 1U, &size));
	/* a memory node, but not at the DRAM base */
	assert_int_equal(FDT_E_NO_MEMORY, one_memory_node("memory", 1U, elsewhere, 1U, &size));
	assert_int_equal(0x1234U, size);	/* untouched on error */
}

static void test_bad_reg(void **state)
{
	uint64_t twice[4] = { DRAM_BASE, GB, DRAM_BASE, 2 * GB };
	uint64_t wraps[2] = { 0xFFFFFFFFF0000000UL, 0x20000000UL };
	uint64_t size = 0U;
	struct fdtb b;
	uint8_t odd[12] = { 0 };

	(void)state;
	assert_int_equal(FDT_E_REG, one_memory_node("memory", 1U, twice, 2U, &size));
	assert_int_equal(FDT_E_REG, one_memory_node("memory", 1U, wraps, 1U, &size));
	assert_int_equal(FDT_E_REG, one_memory_node("memory", 1U, NULL, 0U, &size));

	root_open(&b, 2U, 2U);
	fdtb_begin(&b, "memory@40000000");
	fdtb_prop_str(&b, "device_type", "memory");
	fdtb_prop(&b, "reg", odd, sizeof(odd));	/* not a whole (2 + 2)-cell entry */
	fdtb_end(&b);
	fdtb_end(&b);
	fdtb_finish(&b, blob, sizeof(blob));
	assert_int_equal(FDT_E_REG, parse(blob, &size));

	root_open(&b, 2U, 2U);
	fdtb_begin(&b, "memory@40000000");
	fdtb_prop_str(&b, "device_type", "memory");
	fdtb_prop(&b, "reg", NULL, 0U);
	fdtb_end(&b);
	fdtb_end(&b);
	fdtb_finish(&b, blob, sizeof(blob));
	assert_int_equal(FDT_E_REG, parse(blob, &size));
}

static void test_bad_cells(void **state)
{
	static const uint32_t ac_sc[][2] = { { 3U, 2U }, { 2U, 0U }, { 0U, 1U }, { 2U, 3U } };
	struct fdtb b;
	uint64_t size = 0U;
	unsigned int i;
	uint8_t eight[8] = { 0, 0, 0, 2, 0, 0, 0, 2 };

	(void)state;
	for (i = 0U; i < sizeof(ac_sc) / sizeof(ac_sc[0]); i++) {
		root_open(&b, ac_sc[i][0], ac_sc[i][1]);
		memory_node(&b, 2U, 2U, DRAM_BASE, GB);
		fdtb_end(&b);
		fdtb_finish(&b, blob, sizeof(blob));
		assert_int_equal(FDT_E_CELLS, parse(blob, &size));
	}
	fdtb_init(&b);
	fdtb_begin(&b, "");
	fdtb_prop(&b, "#address-cells", eight, sizeof(eight));
	memory_node(&b, 2U, 1U, DRAM_BASE, GB);
	fdtb_end(&b);
	fdtb_finish(&b, blob, sizeof(blob));
	assert_int_equal(FDT_E_CELLS, parse(blob, &size));
}

static void test_bad_header(void **state)
{
	size_t total = qemu_like(GB);
	uint8_t good[16384];
	uint64_t size = 0U;
	static const struct { size_t off; uint32_t v; enum fdt_status st; } cases[] = {
		{ 0U, 0xD00DFEEEU, FDT_E_MAGIC },
		{ FDTH_VERSION, 16U, FDT_E_VERSION },
		{ FDTH_LAST_COMP, 18U, FDT_E_VERSION },
		{ FDTH_TOTALSIZE, 39U, FDT_E_TRUNCATED },
		{ FDTH_TOTALSIZE, 0xFFFFFFFFU, FDT_E_TRUNCATED },
		{ FDTH_OFF_STRUCT, 58U, FDT_E_LAYOUT },		/* misaligned */
		{ FDTH_OFF_STRUCT, 36U, FDT_E_LAYOUT },		/* inside the header */
		{ FDTH_OFF_STRUCT, 0xFFFFFFF0U, FDT_E_LAYOUT },	/* far outside, no wrap */
		{ FDTH_SIZE_STRUCT, 0xFFFFFFF0U, FDT_E_LAYOUT },
		{ FDTH_SIZE_STRUCT, 6U, FDT_E_LAYOUT },		/* not whole tokens */
		{ FDTH_OFF_STR, 0xFFFFFFFFU, FDT_E_LAYOUT },
		{ FDTH_SIZE_STR, 0x10000U, FDT_E_LAYOUT },
	};
	unsigned int i;

	(void)state;
	memcpy(good, blob, total);
	for (i = 0U; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memcpy(blob, good, total);
		fdtb_set32(blob, cases[i].off, cases[i].v);
		assert_int_equal(cases[i].st, parse_n(blob, total, &size));
	}
	assert_int_equal(FDT_E_TRUNCATED, fdt_dram_size(NULL, 100U, DRAM_BASE, &size));
	assert_int_equal(FDT_E_TRUNCATED, fdt_dram_size(good, 100U, DRAM_BASE, NULL));
	/* Every prefix shorter than totalsize is refused, without a read past it. */
	for (i = 0U; i < total; i++) {
		assert_int_not_equal(FDT_OK, parse_n(good, i, &size));
	}
}

/* The structure block, token by token. */
static void test_bad_structure(void **state)
{
	struct fdtb b;
	uint64_t size = 0U;
	size_t total;
	unsigned int i;
	uint8_t huge[8];

	(void)state;
	/* unknown token */
	root_open(&b, 2U, 2U);
	fdtb_token(&b, 0x5U);
	fdtb_end(&b);
	fdtb_finish(&b, blob, sizeof(blob));
	assert_int_equal(FDT_E_STRUCT, parse(blob, &size));

	/* END_NODE with no open node */
	fdtb_init(&b);
	fdtb_end(&b);
	fdtb_finish(&b, blob, sizeof(blob));
	assert_int_equal(FDT_E_STRUCT, parse(blob, &size));

	/* FDT_END inside the root (fdtb_finish adds it before the root closes) */
	root_open(&b, 2U, 2U);
	memory_node(&b, 2U, 2U, DRAM_BASE, GB);
	fdtb_finish(&b, blob, sizeof(blob));
	assert_int_equal(FDT_E_STRUCT, parse(blob, &size));

	/* a property before the root node, and after a child node */
	fdtb_init(&b);
	fdtb_prop_u32(&b, "#address-cells", 2U);
	fdtb_begin(&b, "");
	memory_node(&b, 2U, 2U, DRAM_BASE, GB);
	fdtb_end(&b);
	fdtb_finish(&b, blob, sizeof(blob));
	assert_int_equal(FDT_E_STRUCT, parse(blob, &size));
	root_open(&b, 2U, 2U);
	memory_node(&b, 2U, 2U, DRAM_BASE, GB);
	fdtb_prop_u32(&b, "#size-cells", 1U);
	fdtb_end(&b);
	fdtb_finish(&b, blob, sizeof(blob));
	assert_int_equal(FDT_E_STRUCT, parse(blob, &size));

	/* a second root */
	root_open(&b, 2U, 2U);
	memory_node(&b, 2U, 2U, DRAM_BASE, GB);
	fdtb_end(&b);
	fdtb_begin(&b, "");
	fdtb_end(&b);
	fdtb_finish(&b, blob, sizeof(blob));
	assert_int_equal(FDT_E_STRUCT, parse(blob, &size));

	/* nesting deeper than FDT_MAX_DEPTH */
	root_open(&b, 2U, 2U);
	memory_node(&b, 2U, 2U, DRAM_BASE, GB);
	for (i = 0U; i < FDT_MAX_DEPTH; i++) {
		fdtb_begin(&b, "n");
	}
	for (i = 0U; i < FDT_MAX_DEPTH; i++) {
		fdtb_end(&b);
	}
	fdtb_end(&b);
	fdtb_finish(&b, blob, sizeof(blob));
	assert_int_equal(FDT_E_STRUCT, parse(blob, &size));

	/* a property whose length runs past the block (a root one, read if accepted) */
	fdtb_init(&b);
	fdtb_begin(&b, "");
	fdtb_prop_u32(&b, "#address-cells", 2U);
	fdtb_token(&b, FDT_PROP);
	fdtb_set32(huge, 0, 0xFFFFFFFCU);	/* len */
	fdtb_set32(huge, 4, 0U);		/* nameoff: "#address-cells" */
	memcpy(b.st + b.st_len, huge, 8);
	b.st_len += 8U;
	memory_node(&b, 2U, 2U, DRAM_BASE, GB);
	fdtb_end(&b);
	fdtb_finish(&b, blob, sizeof(blob));
	assert_int_equal(FDT_E_STRUCT, parse(blob, &size));

	/* a name offset outside the strings block, and an unterminated name */
	total = qemu_like(GB);
	/* BEGIN_NODE "" (8 bytes), FDT_PROP, len, then the first nameoff */
	fdtb_set32(blob, fdtb_get32(blob, FDTH_OFF_STRUCT) + 16U, 0x7FFFU);
	assert_int_equal(FDT_E_STRUCT, parse_n(blob, total, &size));
	total = qemu_like(GB);
	blob[total - 1U] = 'x';		/* the last string loses its NUL */
	assert_int_equal(FDT_E_STRUCT, parse_n(blob, total, &size));

	/* a node name running to the end of the block */
	fdtb_init(&b);
	fdtb_token(&b, FDT_BEGIN_NODE);
	memset(b.st + b.st_len, 'a', 64);
	b.st_len += 64U;
	total = fdtb_finish(&b, blob, sizeof(blob));
	fdtb_set32(blob, FDTH_SIZE_STRUCT, 68U);	/* cut before FDT_END */
	assert_int_equal(FDT_E_STRUCT, parse_n(blob, total, &size));

	/* the block ends before FDT_END */
	total = qemu_like(GB);
	fdtb_set32(blob, FDTH_SIZE_STRUCT, fdtb_get32(blob, FDTH_SIZE_STRUCT) - 4U);
	assert_int_equal(FDT_E_STRUCT, parse_n(blob, total, &size));
}

/*
 * Random damage to a valid blob (fixed seed): any status may come back,
 * but the parser must return and read nothing outside the blob (ASan in
 * the sanitizer build).
 */
static void test_random_damage(void **state)
{
	size_t total = qemu_like(GB);
	uint8_t good[16384];
	uint64_t size;
	unsigned int i, j, ok = 0U;
	unsigned long r = 12345UL;

	(void)state;
	memcpy(good, blob, total);
	for (i = 0U; i < 20000U; i++) {
		memcpy(blob, good, total);
		for (j = 0U; j < 1U + i % 4U; j++) {
			r = r * 6364136223846793005UL + 1442695040888963407UL;
			blob[(r >> 33) % total] = (uint8_t)(r >> 17);
		}
		size = 0U;
		if (parse_n(blob, total, &size) == FDT_OK) {
			ok++;
		}
	}
	assert_true(ok > 0U);	/* harmless flips (in padding, compatible...) still parse */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_sizes),
		cmocka_unit_test(test_cells),
		cmocka_unit_test(test_regions),
		cmocka_unit_test(test_no_memory),
		cmocka_unit_test(test_bad_reg),
		cmocka_unit_test(test_bad_cells),
		cmocka_unit_test(test_bad_header),
		cmocka_unit_test(test_bad_structure),
		cmocka_unit_test(test_random_damage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
