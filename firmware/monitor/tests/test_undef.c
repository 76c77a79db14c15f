/*
 * The monitor's UNDEF for an instruction trapped to EL3 (monitor/undef.c):
 * which EL takes it, at which vector, with which PSTATE.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <undef.h>

#define DAIF	(0xFUL << 6)
#define PAN	(1UL << 22)

static struct undef_target target(uint64_t spsr, bool tge, bool span)
{
	struct undef_target t = { 0 };

	assert_true(undef_target(spsr, tge, span, &t));
	return t;
}

static void test_from_el1(void **state)
{
	struct undef_target t;

	(void)state;
	t = target(0x3C5UL, false, false);	/* EL1h, the realm's kernel */
	assert_int_equal(1, t.el);
	assert_int_equal(0x200, t.vector);
	assert_int_equal(0x5UL | DAIF | PAN, t.spsr);
	t = target(0x004UL, false, true);	/* EL1t, SPAN = 1: PAN kept (0) */
	assert_int_equal(1, t.el);
	assert_int_equal(0x000, t.vector);
	assert_int_equal(0x5UL | DAIF, t.spsr);
	t = target(0x004UL | PAN, false, true);	/* SPAN = 1: PAN kept (1) */
	assert_int_equal(0x5UL | DAIF | PAN, t.spsr);
}

static void test_from_el0(void **state)
{
	struct undef_target t;

	(void)state;
	t = target(0x000UL, false, false);	/* EL0 of a realm: its EL1 */
	assert_int_equal(1, t.el);
	assert_int_equal(0x400, t.vector);
	assert_int_equal(0x5UL | DAIF | PAN, t.spsr);
	t = target(0x000UL, true, false);	/* HCR_EL2.TGE: EL2 */
	assert_int_equal(2, t.el);
	assert_int_equal(0x400, t.vector);
	assert_int_equal(0x9UL | DAIF, t.spsr);
}

static void test_from_el2(void **state)
{
	struct undef_target t;

	(void)state;
	t = target(0x3C9UL, false, false);	/* the host or the RMM, EL2h */
	assert_int_equal(2, t.el);
	assert_int_equal(0x200, t.vector);
	assert_int_equal(0x9UL | DAIF, t.spsr);	/* no PAN at EL2 (E2H = 0) */
}

static void test_refused(void **state)
{
	struct undef_target t;

	(void)state;
	assert_false(undef_target(0x10UL, false, false, &t));	/* AArch32 */
	assert_false(undef_target(0x1D3UL, false, false, &t));	/* AArch32 SVC mode */
	assert_false(undef_target(0x00DUL, false, false, &t));	/* EL3 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_from_el1),
		cmocka_unit_test(test_from_el0),
		cmocka_unit_test(test_from_el2),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests_name("platform-undef", tests, NULL, NULL);
}
