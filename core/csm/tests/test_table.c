/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the CSM ID table (csm/table.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <csm/table.h>

#include "fake_plat.h"

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static int put(struct csm_table *t, uint64_t k, void *v)
{
	int rc = csm_table_reserve(t);

	if (rc == 0)
		csm_table_put(t, k, v);
	return rc;
}

/* Proves basic put/get/remove semantics and that an empty table allocates
 * nothing. */
static void test_table_basic(void **state)
{
	struct fake_plat f;
	struct csm_table t;
	int a, b;

	(void)state;
	fake_init(&f);
	csm_table_init(&t, &fake_ops, &f);
	assert_null(csm_table_get(&t, 5));
	assert_null(csm_table_remove(&t, 5));
	assert_int_equal(f.nalloc, 0);
	assert_int_equal(put(&t, 5, &a), 0);
	assert_int_equal(put(&t, 6, &b), 0);
	assert_ptr_equal(csm_table_get(&t, 5), &a);
	assert_ptr_equal(csm_table_get(&t, 6), &b);
	assert_null(csm_table_get(&t, 0));
	assert_int_equal(csm_table_count(&t), 2);
	assert_ptr_equal(csm_table_remove(&t, 5), &a);
	assert_null(csm_table_get(&t, 5));
	assert_ptr_equal(csm_table_get(&t, 6), &b);
	assert_null(csm_table_remove(&t, 5));
	csm_table_fini(&t);
	assert_int_equal(f.live_bytes, 0);
	assert_int_equal(f.bad_frees, 0);
	fake_fini(&f);
}

/* Proves the table matches a reference model over 300k random
 * inserts/removes with small keys (dense clusters, so backward-shift
 * deletion is exercised), grows past any fixed size and shrinks back. */
static void test_table_random_vs_model(void **state)
{
	enum { KEYS = 4096 };
	static void *model[KEYS];
	struct fake_plat f;
	struct csm_table t;
	size_t n = 0, max_cap = 0;

	(void)state;
	memset(model, 0, sizeof(model));
	fake_init(&f);
	csm_table_init(&t, &fake_ops, &f);
	rng_state = 88172645463325252ull;
	for (int i = 0; i < 300000; i++) {
		/* Bias toward inserts in the first half, removals later. */
		uint64_t k = 1 + rnd() % (KEYS - 1);
		bool ins = (rnd() % 100) < (i < 150000 ? 70u : 30u);

		if (ins && !model[k]) {
			assert_int_equal(put(&t, k, (void *)(uintptr_t)(k * 8)), 0);
			model[k] = (void *)(uintptr_t)(k * 8);
			n++;
		} else if (!ins) {
			assert_ptr_equal(csm_table_remove(&t, k), model[k]);
			if (model[k])
				n--;
			model[k] = NULL;
		}
		assert_int_equal(csm_table_count(&t), n);
		if (t.cap > max_cap)
			max_cap = t.cap;
		if (i % 10000 == 0)
			for (uint64_t j = 1; j < KEYS; j++)
				assert_ptr_equal(csm_table_get(&t, j), model[j]);
	}
	for (uint64_t j = 1; j < KEYS; j++)
		assert_ptr_equal(csm_table_get(&t, j), model[j]);
	assert_true(max_cap >= 4096);
	for (uint64_t j = 1; j < KEYS; j++)
		(void)csm_table_remove(&t, j);
	assert_int_equal(csm_table_count(&t), 0);
	assert_true(t.cap <= 32);  /* shrank */
	csm_table_fini(&t);
	assert_int_equal(f.live_bytes, 0);
	assert_int_equal(f.bad_frees, 0);
	fake_fini(&f);
}

/* Proves a failed grow leaves the table intact (same entries, same
 * capacity) and that a successful reserve makes the next put
 * allocation-free. */
static void test_table_reserve_failure_keeps_table(void **state)
{
	struct fake_plat f;
	struct csm_table t;
	size_t cap;
	uint64_t k;

	(void)state;
	fake_init(&f);
	csm_table_init(&t, &fake_ops, &f);
	for (k = 1; k <= 8; k++)
		assert_int_equal(put(&t, k * 1000003, (void *)(uintptr_t)k), 0);
	cap = t.cap;
	assert_int_equal(cap, 16);
	/* The 9th entry would pass load 1/2: needs a grow, make it fail. */
	f.fail_at = f.nalloc + 1;
	assert_int_equal(csm_table_reserve(&t), CAEC_E_NOMEM);
	assert_int_equal(t.cap, cap);
	assert_int_equal(csm_table_count(&t), 8);
	for (k = 1; k <= 8; k++)
		assert_ptr_equal(csm_table_get(&t, k * 1000003), (void *)(uintptr_t)k);
	/* Reserve, then put without any allocation. */
	f.fail_at = 0;
	assert_int_equal(csm_table_reserve(&t), 0);
	f.fail_at = f.nalloc + 1;
	csm_table_put(&t, 42, &cap);
	assert_int_equal(f.nfailed, 1);
	assert_ptr_equal(csm_table_get(&t, 42), &cap);
	/* Reservations stack and unreserve gives one back. */
	f.fail_at = 0;
	assert_int_equal(csm_table_reserve(&t), 0);
	assert_int_equal(csm_table_reserve(&t), 0);
	assert_int_equal(t.reserved, 2);
	csm_table_unreserve(&t);
	assert_int_equal(t.reserved, 1);
	assert_true((t.count + t.reserved) * 2 <= t.cap);
	csm_table_fini(&t);
	assert_int_equal(f.live_bytes, 0);
	fake_fini(&f);
}

/* Proves random 64-bit keys (as IDs are) work at scale: 200k keys. */
static void test_table_many_random_keys(void **state)
{
	enum { N = 200000 };
	uint64_t *keys = malloc(N * sizeof(*keys));
	struct fake_plat f;
	struct csm_table t;

	(void)state;
	assert_non_null(keys);
	fake_init(&f);
	csm_table_init(&t, &fake_ops, &f);
	rng_state = 0x9e3779b97f4a7c15ull;
	for (size_t i = 0; i < N; i++) {
		keys[i] = rnd() | 1;
		if (csm_table_get(&t, keys[i])) {
			keys[i] = 0;
			continue;
		}
		assert_int_equal(put(&t, keys[i], &keys[i]), 0);
	}
	for (size_t i = 0; i < N; i++)
		if (keys[i])
			assert_ptr_equal(csm_table_get(&t, keys[i]), &keys[i]);
	for (size_t i = 0; i < N; i += 2)
		if (keys[i])
			assert_ptr_equal(csm_table_remove(&t, keys[i]), &keys[i]);
	for (size_t i = 0; i < N; i++)
		if (keys[i])
			assert_ptr_equal(csm_table_get(&t, keys[i]),
					 i % 2 ? &keys[i] : NULL);
	csm_table_fini(&t);
	assert_int_equal(f.live_bytes, 0);
	fake_fini(&f);
	free(keys);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_basic),
		cmocka_unit_test(test_table_random_vs_model),
		cmocka_unit_test(test_table_reserve_failure_keeps_table),
		cmocka_unit_test(test_table_many_random_keys),
	};

	return cmocka_run_group_tests_name("csm-table", tests, NULL, NULL);
}
