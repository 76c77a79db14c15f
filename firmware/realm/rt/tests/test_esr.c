/*
 * The class and fault-status names the realm runtime prints in a fault
 * report (realm/rt/esr.c), for the syndromes the QEMU tests produce.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <rt/rt.h>

static void test_classes(void **state)
{
	(void)state;
	assert_string_equal(rt_esr_class_name(0x96000046U), "Data Abort (same EL)");
	assert_string_equal(rt_esr_class_name(0x92000010U), "Data Abort (lower EL)");
	assert_string_equal(rt_esr_class_name(0x8600000fU), "Instruction Abort (same EL)");
	assert_string_equal(rt_esr_class_name(0x56000000U), "SVC (AArch64)");
	assert_string_equal(rt_esr_class_name(0x1e000000U), "FP/SIMD access");
	assert_string_equal(rt_esr_class_name(0x04000001U), "WFI/WFE");
	assert_string_equal(rt_esr_class_name(0x02000000U), "Unknown reason");
	assert_string_equal(rt_esr_class_name(0xF2000000U), "BRK (AArch64)");
	assert_string_equal(rt_esr_class_name(0x3FUL << 26), "Reserved or unhandled class");
}

static void test_fault_status(void **state)
{
	(void)state;
	assert_string_equal(rt_fault_status_name(0x96000046U), "translation fault, level 2");
	assert_string_equal(rt_fault_status_name(0x96000007U), "translation fault, level 3");
	assert_string_equal(rt_fault_status_name(0x9600004fU), "permission fault, level 3");
	assert_string_equal(rt_fault_status_name(0x8600000bU), "access flag fault, level 3");
	assert_string_equal(rt_fault_status_name(0x96000010U), "synchronous external abort");
	assert_string_equal(rt_fault_status_name(0x96000021U), "alignment fault");
	assert_string_equal(rt_fault_status_name(0x96000028U), "granule protection fault");
	assert_string_equal(rt_fault_status_name(0x96000015U),
			    "synchronous external abort on a table walk");
	/* Not an abort: no fault status to name. */
	assert_string_equal(rt_fault_status_name(0x56000000U), "not an abort");
	assert_string_equal(rt_fault_status_name(0x9600003fU), "reserved fault status");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_fault_status),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
