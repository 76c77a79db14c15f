/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The crypto heap (firmware/crypto/heap.c), natively: the calloc/free that
 * mbedTLS uses in the monitor and the RMM.  heap.c is compiled here with
 * its calloc/free renamed (meson.build), so the test's own C library is
 * left alone.  What must hold: 16-byte aligned, zero-filled blocks; free
 * blocks merged so the arena can be used whole again; no allocation past
 * the arena or on a size overflow; used/peak accounting; a free() of a
 * pointer the heap did not give (or a double free) panics.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <fw_crypto.h>

#include "crypto_private.h"

#define ARENA (64U * 1024U)

static _Alignas(16) uint8_t arena[ARENA];
static jmp_buf panic_jmp;
static const char *panic_why;

void fw_crypto_panic(const char *why)
{
	panic_why = why;
	longjmp(panic_jmp, 1);
}

static int setup(void **state)
{
	(void)state;
	memset(arena, 0xa5, sizeof(arena));
	heap_init(arena, sizeof(arena));
	panic_why = NULL;
	return 0;
}

static void test_heap_aligned_and_zeroed(void **state)
{
	(void)state;
	for (size_t n = 1; n < 300; n += 7) {
		uint8_t *p = calloc(n, 1);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 16U, 0);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(p[i], 0);
		memset(p, 0xff, n);
		free(p);
		/* The same block again: zero, not what the last user left. */
		uint8_t *q = calloc(n, 1);
		assert_ptr_equal(q, p);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(q[i], 0);
		free(q);
	}
	assert_int_equal(fw_crypto_heap_used(), 0);
}

static void test_heap_refuses_overflow_and_oversize(void **state)
{
	(void)state;
	assert_null(calloc(SIZE_MAX / 2U, 4));
	assert_null(calloc(ARENA + 1U, 1));
	assert_null(calloc(ARENA, 1)); /* the header does not fit either */
	assert_int_equal(fw_crypto_heap_used(), 0);
}

static void test_heap_exhaustion_then_whole_again(void **state)
{
	void *p[4096];
	size_t n = 0;

	(void)state;
	while (n < 4096 && (p[n] = calloc(1, 100)) != NULL)
		n++;
	assert_true(n > 100 && n < 4096); /* the arena ran out */
	assert_true(fw_crypto_heap_used() > ARENA - 256U);
	/* Free in an interleaved order, so merging has work to do. */
	for (size_t i = 0; i < n; i += 2)
		free(p[i]);
	for (size_t i = 1; i < n; i += 2)
		free(p[i]);
	assert_int_equal(fw_crypto_heap_used(), 0);
	/* Merged back: one block of almost the whole arena fits. */
	void *big = calloc(1, ARENA - 64U);
	assert_non_null(big);
	free(big);
}

static void test_heap_first_fit_reuses_a_hole(void **state)
{
	(void)state;
	void *a = calloc(1, 256), *b = calloc(1, 256), *c = calloc(1, 256);
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	assert_true((uint8_t *)b > (uint8_t *)a && (uint8_t *)c > (uint8_t *)b);
	free(b);
	void *d = calloc(1, 200); /* fits where b was */
	assert_ptr_equal(d, b);
	void *e = calloc(1, 512); /* does not: after c */
	assert_true((uint8_t *)e > (uint8_t *)c);
	free(a);
	free(c);
	free(d);
	free(e);
	assert_int_equal(fw_crypto_heap_used(), 0);
}

static void test_heap_used_and_peak(void **state)
{
	(void)state;
	void *a = calloc(1, 1000);
	size_t one = fw_crypto_heap_used();
	assert_true(one >= 1000 && one < 1100);
	void *b = calloc(1, 1000);
	assert_int_equal(fw_crypto_heap_used(), 2 * one);
	free(a);
	assert_int_equal(fw_crypto_heap_used(), one);
	assert_int_equal(fw_crypto_heap_peak(), 2 * one);
	free(b);
	assert_int_equal(fw_crypto_heap_used(), 0);
	assert_int_equal(fw_crypto_heap_peak(), 2 * one);
}

static void test_heap_bad_free_panics(void **state)
{
	static uint8_t outside[64];

	(void)state;
	free(NULL); /* allowed, does nothing */
	if (setjmp(panic_jmp) == 0) {
		free(outside + 16);
		fail_msg("free() of a foreign pointer returned");
	}
	assert_non_null(panic_why);

	void *p = calloc(1, 32);
	free(p);
	panic_why = NULL;
	if (setjmp(panic_jmp) == 0) {
		free(p);
		fail_msg("a double free returned");
	}
	assert_non_null(panic_why);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_heap_aligned_and_zeroed, setup),
		cmocka_unit_test_setup(test_heap_refuses_overflow_and_oversize, setup),
		cmocka_unit_test_setup(test_heap_exhaustion_then_whole_again, setup),
		cmocka_unit_test_setup(test_heap_first_fit_reuses_a_hole, setup),
		cmocka_unit_test_setup(test_heap_used_and_peak, setup),
		cmocka_unit_test_setup(test_heap_bad_free_panics, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
