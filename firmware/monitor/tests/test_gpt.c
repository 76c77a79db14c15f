/*
 * The monitor's GPT (monitor/gpt.c) and PAS changes (monitor/pas.c): the
 * GPI of every kind of address for several DRAM sizes, the L0
 * descriptors, the DC CIPAPA operand for each PAS, and the exact order of
 * cache maintenance, GPT writes and TLB invalidations of a delegate and
 * an undelegate.  The pas_hw_* hooks are recorded here instead of being
 * executed (QEMU treats DC CIPAPA as a no-op, so this is where its
 * operands are checked).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <gpt.h>
#include <mem_layout.h>
#include <pas.h>
#include <plat_memory.h>

#define MB		(1UL << 20)
#define GB		(1UL << 30)
#define MAX_OPS		1024U

enum op_kind { OP_CIPAPA, OP_SYNC, OP_TLBI };

struct op {
	enum op_kind kind;
	uint64_t xt;		/* OP_CIPAPA */
	unsigned int gpi;	/* OP_TLBI: the watched granule's GPI at that moment */
};

static struct op ops[MAX_OPS];
static unsigned int nops, line_size = 64U;
static uint64_t watched;	/* the granule whose GPI each TLBI records */

void pas_hw_cipapa(uint64_t xt)
{
	assert_true(nops < MAX_OPS);
	ops[nops].kind = OP_CIPAPA;
	ops[nops++].xt = xt;
}

void pas_hw_sync(void)
{
	assert_true(nops < MAX_OPS);
	ops[nops++].kind = OP_SYNC;
}

void pas_hw_tlbi(void)
{
	assert_true(nops < MAX_OPS);
	ops[nops].kind = OP_TLBI;
	ops[nops++].gpi = gpt_get_gpi(watched);
}

unsigned int pas_hw_line_size(void)
{
	return line_size;
}

static void build(uint64_t dram)
{
	struct boot_mem m;

	assert_int_equal(MEM_LAYOUT_OK, mem_layout_from_dram(dram, &m));
	gpt_build(&m);
	nops = 0U;
	line_size = 64U;
}

static void test_gpt_map(void **state)
{
	static const uint64_t sizes[] = { 64 * MB, 512 * MB, GB, 1032 * MB, 2 * GB, 3 * GB };
	unsigned int i, g;

	(void)state;
	for (i = 0U; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint64_t top = PLAT_DRAM_BASE + sizes[i];
		const uint64_t *l0;

		build(sizes[i]);
		l0 = gpt_l0_table();
		assert_int_equal(GPI_ANY, gpt_get_gpi(0UL));
		assert_int_equal(GPI_ANY, gpt_get_gpi(PLAT_UART_BASE));
		assert_int_equal(GPI_ANY, gpt_get_gpi(PLAT_DRAM_BASE - 4096U));
		assert_int_equal(GPI_NS, gpt_get_gpi(PLAT_DRAM_BASE));		/* DTB */
		assert_int_equal(GPI_NS, gpt_get_gpi(PLAT_MONITOR_BASE - 4096U));
		assert_int_equal(GPI_ROOT, gpt_get_gpi(PLAT_MONITOR_BASE));
		assert_int_equal(GPI_ROOT, gpt_get_gpi(PLAT_RMM_BASE - 4096U));
		assert_int_equal(GPI_REALM, gpt_get_gpi(PLAT_RMM_BASE));
		assert_int_equal(GPI_REALM, gpt_get_gpi(PLAT_HOST_BASE - 4096U));
		assert_int_equal(GPI_NS, gpt_get_gpi(PLAT_HOST_BASE));
		assert_int_equal(GPI_NS, gpt_get_gpi(top - 4096U));
		assert_int_equal(GPI_NO_ACCESS, gpt_get_gpi(4 * GB));	/* beyond the PPS */
		if (top < 4 * GB) {
			assert_int_equal(GPI_NO_ACCESS, gpt_get_gpi(top));
			assert_int_equal(GPI_NO_ACCESS, gpt_get_gpi(4 * GB - 4096U));
		}
		/* L0: GB 0 a GPI ALL block, DRAM GBs tables, the rest no-access blocks */
		assert_int_equal(0xF1UL, l0[0]);
		for (g = 1U; g < GPT_L0_ENTRIES; g++) {
			if (g * GB < top) {
				assert_int_equal(0x3UL, l0[g] & 0xFUL);
				assert_int_equal(0UL, (l0[g] & ~0xFUL) % 0x20000UL);	/* 128 KB aligned */
			} else {
				assert_int_equal(0x1UL, l0[g]);
				assert_false(gpt_set_gpi(g * GB, GPI_REALM));	/* no L1 there */
			}
		}
		for (g = GPT_L0_ENTRIES; g < 512U; g++) {
			assert_int_equal(0UL, l0[g]);
		}
	}
	assert_false(gpt_set_gpi(0UL, GPI_NS));		/* GB 0 is a block */
}

static void test_cipapa_operand(void **state)
{
	uint64_t xt = 0U, pa = 0x40818000UL;

	(void)state;
	assert_true(cipapa_operand(pa, GPI_SECURE, &xt));
	assert_int_equal(pa, xt);					/* NSE 0, NS 0 */
	assert_true(cipapa_operand(pa, GPI_NS, &xt));
	assert_int_equal(pa | (1UL << 63), xt);			/* NSE 0, NS 1 */
	assert_true(cipapa_operand(pa, GPI_ROOT, &xt));
	assert_int_equal(pa | (1UL << 62), xt);			/* NSE 1, NS 0 */
	assert_true(cipapa_operand(pa, GPI_REALM, &xt));
	assert_int_equal(pa | (3UL << 62), xt);			/* NSE 1, NS 1 */
	assert_true(cipapa_operand((1UL << 52) - 1U, GPI_REALM, &xt));
	assert_int_equal(((1UL << 52) - 1U) | (3UL << 62), xt);
	xt = 0x55U;
	assert_false(cipapa_operand(pa, GPI_NO_ACCESS, &xt));	/* not one PAS */
	assert_false(cipapa_operand(pa, GPI_ANY, &xt));
	assert_false(cipapa_operand(pa, 0x1U, &xt));
	assert_false(cipapa_operand(1UL << 52, GPI_NS, &xt));	/* PA[55:52] RES0 here */
	assert_int_equal(0x55U, xt);
}

/* One DC CIPAPA pass at ops[*i]: every line of the granule in `pas`, then a DSB. */
static void expect_pass(unsigned int *i, uint64_t pa, uint64_t pas)
{
	uint64_t off;

	for (off = 0U; off < 4096U; off += line_size) {
		assert_true(*i < nops);
		assert_int_equal(OP_CIPAPA, ops[*i].kind);
		assert_int_equal(pa + off + pas, ops[*i].xt);
		(*i)++;
	}
	assert_int_equal(OP_SYNC, ops[*i].kind);
	(*i)++;
}

static void expect_tlbi(unsigned int *i, unsigned int gpi)
{
	assert_true(*i < nops);
	assert_int_equal(OP_TLBI, ops[*i].kind);
	assert_int_equal(gpi, ops[*i].gpi);
	(*i)++;
}

static void test_delegate_sequence(void **state)
{
	static const unsigned int lines[] = { 64U, 128U, 32U };
	uint64_t pa = PLAT_HOST_BASE + 0x18000UL;
	unsigned int k, i;

	(void)state;
	for (k = 0U; k < 3U; k++) {
		build(GB);
		line_size = lines[k];
		watched = pa;
		assert_true(gpt_transition(pa, GPI_NS, GPI_REALM));
		i = 0U;
		expect_pass(&i, pa, 3UL << 62);		/* Realm: the new PAS, first */
		expect_tlbi(&i, GPI_REALM);
		expect_pass(&i, pa, 1UL << 63);		/* NS: the old PAS, after */
		assert_int_equal(nops, i);
		assert_int_equal(GPI_REALM, gpt_get_gpi(pa));
		/* the neighbours in the same 64-bit L1 entry are untouched */
		assert_int_equal(GPI_NS, gpt_get_gpi(pa - 4096U));
		assert_int_equal(GPI_NS, gpt_get_gpi(pa + 4096U));
	}
}

static void test_undelegate_sequence(void **state)
{
	uint64_t pa = PLAT_HOST_BASE + 0x7000UL;
	unsigned int i;

	(void)state;
	build(GB);
	watched = pa;
	assert_true(gpt_transition(pa, GPI_NS, GPI_REALM));
	nops = 0U;
	assert_true(gpt_transition(pa, GPI_REALM, GPI_NS));
	i = 0U;
	expect_tlbi(&i, GPI_NO_ACCESS);		/* nobody writes it while it is cleaned */
	expect_pass(&i, pa, 3UL << 62);		/* Realm: the RMM's zeroes reach memory */
	expect_pass(&i, pa, 1UL << 63);		/* NS: no stale line for the host */
	expect_tlbi(&i, GPI_NS);
	assert_int_equal(nops, i);
	assert_int_equal(GPI_NS, gpt_get_gpi(pa));
}

/* Refused changes do nothing at all: no maintenance, no GPT write. */
static void test_refused(void **state)
{
	uint64_t pa = PLAT_HOST_BASE + 0x5000UL;

	(void)state;
	build(GB);
	assert_false(gpt_transition(pa, GPI_REALM, GPI_NS));	/* it is NS */
	assert_false(gpt_transition(pa, GPI_NS, GPI_ROOT));	/* not NS <-> Realm */
	assert_false(gpt_transition(pa, GPI_NS, GPI_SECURE));
	assert_false(gpt_transition(pa + 8U, GPI_NS, GPI_REALM));	/* misaligned */
	assert_false(gpt_transition(PLAT_MONITOR_BASE, GPI_NS, GPI_REALM));	/* Root */
	assert_false(gpt_transition(PLAT_DRAM_BASE + GB, GPI_NS, GPI_REALM));	/* no access */
	assert_int_equal(GPI_NS, gpt_get_gpi(pa));
	assert_int_equal(0U, nops);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gpt_map),
		cmocka_unit_test(test_cipapa_operand),
		cmocka_unit_test(test_delegate_sequence),
		cmocka_unit_test(test_undelegate_sequence),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
