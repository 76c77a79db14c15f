/*
 * The RMM's stage-1 table builder (rmm/lib/xlat): the exact descriptor
 * bits for each kind of region, 2 MB blocks only where VA, PA and size
 * allow, every page of a region translating to the right PA, and
 * refusals (overlap, W+X, alignment, range, pool exhaustion) that leave
 * the tables exactly as they were.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <xlat.h>

#define POOL	8U
#define MB	(1UL << 20)

static xlat_table_t pool[POOL] __attribute__((aligned(4096)));
static xlat_table_t snapshot[POOL];
static struct xlat_ctx ctx;

static int setup(void **state)
{
	(void)state;
	memset(pool, 0xA5, sizeof(pool));	/* xlat must zero what it uses */
	xlat_init(&ctx, pool, POOL);
	return 0;
}

/* Leaf attributes, bit by bit (xlat.h lists the fields). */
static void test_leaf_attrs(void **state)
{
	(void)state;
	/* text: Normal (AttrIndx 1), inner shareable, AF, AP[1] RES1, read-only, executable */
	assert_int_equal(0x7C4UL, xlat_leaf_attrs(XLAT_CODE));
	/* rodata: the same, execute-never */
	assert_int_equal((1UL << 54) | 0x7C4UL, xlat_leaf_attrs(XLAT_RODATA));
	/* data: read-write, execute-never */
	assert_int_equal((1UL << 54) | 0x744UL, xlat_leaf_attrs(XLAT_RWDATA));
	/* NS alias: data plus NS (bit 5) */
	assert_int_equal((1UL << 54) | 0x764UL, xlat_leaf_attrs(XLAT_RWDATA | XLAT_NS_PAS));
	/* device: AttrIndx 0, no shareability bits, read-write, execute-never */
	assert_int_equal((1UL << 54) | 0x440UL, xlat_leaf_attrs(XLAT_DEV));
	/* EL3: the Root PAS is NSE (bit 11) alone, the Realm PAS NSE and NS */
	assert_int_equal(0xFC4UL, xlat_leaf_attrs(XLAT_CODE | XLAT_NSE));
	assert_int_equal((1UL << 54) | 0xF64UL,
			 xlat_leaf_attrs(XLAT_RWDATA | XLAT_NSE | XLAT_NS_PAS));
}

static void test_page_and_block(void **state)
{
	unsigned int level;
	uint64_t d;

	(void)state;
	assert_int_equal(XLAT_OK, xlat_map(&ctx, 0x40200000UL, 0x40200000UL, 0x3000UL, XLAT_CODE));
	d = xlat_lookup(&ctx, 0x40201000UL, &level);
	assert_int_equal(3U, level);
	assert_int_equal(0x40201000UL | 0x7C4UL | 0x3UL, d);	/* page: type 0b11 */
	assert_int_equal(0UL, xlat_lookup(&ctx, 0x40203000UL, &level));
	assert_int_equal(0U, level);

	assert_int_equal(XLAT_OK, xlat_map(&ctx, 0x140800000UL, 0x40800000UL, 4 * MB,
					   XLAT_RWDATA | XLAT_NS_PAS));
	d = xlat_lookup(&ctx, 0x140A34000UL, &level);	/* inside the second block */
	assert_int_equal(2U, level);
	assert_int_equal(0x40A00000UL | (1UL << 54) | 0x764UL | 0x1UL, d);	/* block: 0b01 */
	/* 2 (L2) + 1 (L3) + 1 (L2 for the alias) tables plus the root */
	assert_int_equal(4U, ctx.used);
}

/* A region that is not 2 MB aligned: pages, then blocks, then pages. */
static void test_mixed_region(void **state)
{
	uint64_t va0 = 0x40001000UL, size = 6 * MB;
	uint64_t va;
	unsigned int level, pages = 0U, blocks = 0U;

	(void)state;
	/* PA = VA + 1 GB: the same 2 MB alignment, so blocks are possible */
	assert_int_equal(XLAT_OK, xlat_map(&ctx, va0, va0 + 0x40000000UL, size, XLAT_RWDATA));
	for (va = va0; va < va0 + size; va += 4096U) {
		uint64_t d = xlat_lookup(&ctx, va, &level);

		assert_int_not_equal(0U, level);
		if (level == 2U) {
			assert_int_equal(va + 0x40000000UL - (va % (2 * MB)), d & XLAT_ADDR_MASK);
			blocks += (va % (2 * MB) == 0U) ? 1U : 0U;
		} else {
			assert_int_equal(va + 0x40000000UL, d & XLAT_ADDR_MASK);
			pages++;
		}
		assert_int_equal(xlat_leaf_attrs(XLAT_RWDATA), d & ~XLAT_ADDR_MASK & ~3UL);
	}
	assert_int_equal(2U, blocks);		/* 0x40200000, 0x40400000 */
	assert_int_equal(511U + 1U, pages);	/* 0x40001000-0x401FFFFF, 0x40600000 */
	assert_int_equal(0UL, xlat_lookup(&ctx, va0 - 4096U, &level));
	assert_int_equal(0UL, xlat_lookup(&ctx, va0 + size, &level));
}

/* Different 2 MB alignment of VA and PA: pages only. */
static void test_no_block_when_pa_misaligned(void **state)
{
	unsigned int level;

	(void)state;
	assert_int_equal(XLAT_OK, xlat_map(&ctx, 0x40000000UL, 0x80001000UL, 2 * MB, XLAT_RWDATA));
	(void)xlat_lookup(&ctx, 0x40000000UL, &level);
	assert_int_equal(3U, level);
}

static void snap(void)
{
	memcpy(snapshot, pool, sizeof(pool));
}

static void assert_unchanged(unsigned int used)
{
	assert_int_equal(used, ctx.used);
	assert_memory_equal(snapshot, pool, sizeof(pool));
}

static void test_refusals(void **state)
{
	unsigned int used;

	(void)state;
	assert_int_equal(XLAT_OK, xlat_map(&ctx, 0x40200000UL, 0x40200000UL, 0x1000UL, XLAT_CODE));
	assert_int_equal(XLAT_OK, xlat_map(&ctx, 0x40800000UL, 0x40800000UL, 2 * MB, XLAT_RWDATA));
	used = ctx.used;
	snap();
	/* overlaps: a page under a page, a block over a table, a page in a block */
	assert_int_equal(XLAT_E_OVERLAP, xlat_map(&ctx, 0x401FF000UL, 0x1000UL, 0x2000UL, XLAT_RODATA));
	assert_int_equal(XLAT_E_OVERLAP, xlat_map(&ctx, 0x40200000UL, 0x0UL, 2 * MB, XLAT_RWDATA));
	assert_int_equal(XLAT_E_OVERLAP, xlat_map(&ctx, 0x40900000UL, 0x0UL, 0x1000UL, XLAT_RWDATA));
	/* writable and executable */
	assert_int_equal(XLAT_E_ATTR, xlat_map(&ctx, 0x50000000UL, 0x0UL, 0x1000UL,
					       XLAT_RWDATA | XLAT_EXEC));
	/* alignment and range */
	assert_int_equal(XLAT_E_ALIGN, xlat_map(&ctx, 0x50000800UL, 0x0UL, 0x1000UL, XLAT_RWDATA));
	assert_int_equal(XLAT_E_ALIGN, xlat_map(&ctx, 0x50000000UL, 0x800UL, 0x1000UL, XLAT_RWDATA));
	assert_int_equal(XLAT_E_ALIGN, xlat_map(&ctx, 0x50000000UL, 0x0UL, 0x1800UL, XLAT_RWDATA));
	assert_int_equal(XLAT_E_ALIGN, xlat_map(&ctx, 0x50000000UL, 0x0UL, 0UL, XLAT_RWDATA));
	assert_int_equal(XLAT_E_RANGE, xlat_map(&ctx, 1UL << 39, 0x0UL, 0x1000UL, XLAT_RWDATA));
	assert_int_equal(XLAT_E_RANGE, xlat_map(&ctx, (1UL << 39) - 0x1000UL, 0x0UL, 0x2000UL,
						XLAT_RWDATA));
	assert_int_equal(XLAT_E_RANGE, xlat_map(&ctx, 0x50000000UL, 1UL << 48, 0x1000UL,
						XLAT_RWDATA));
	assert_int_equal(XLAT_E_RANGE, xlat_map(&ctx, 0x50000000UL, ~0xFFFUL, 0x2000UL,
						XLAT_RWDATA));
	assert_unchanged(used);
}

/* A request needing more tables than are left fails before writing any. */
static void test_pool_exhausted(void **state)
{
	unsigned int used;

	(void)state;
	/* 16 MB of pages (PA not 2 MB aligned with VA): 1 L2 + 8 L3; 7 left */
	snap();
	used = ctx.used;
	assert_int_equal(XLAT_E_NOMEM, xlat_map(&ctx, 0x0UL, 0x1000UL, 16 * MB, XLAT_RWDATA));
	assert_unchanged(used);
	/* what fits still works afterwards */
	assert_int_equal(XLAT_OK, xlat_map(&ctx, 0x1000UL, 0x1000UL, 0x1000UL, XLAT_RWDATA));
	assert_int_equal(used + 2U, ctx.used);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_leaf_attrs, setup),
		cmocka_unit_test_setup(test_page_and_block, setup),
		cmocka_unit_test_setup(test_mixed_region, setup),
		cmocka_unit_test_setup(test_no_block_when_pa_misaligned, setup),
		cmocka_unit_test_setup(test_refusals, setup),
		cmocka_unit_test_setup(test_pool_exhausted, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
