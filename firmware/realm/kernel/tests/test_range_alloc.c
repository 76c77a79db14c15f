/*
 * range_alloc (realm/kernel/range_alloc.c): the IPA and mmap range
 * allocator of the realm kernel.  Every returned range is inside the
 * window, aligned, and at least one granule away from every other live
 * range; frees must match exactly; a randomised run is checked against
 * those invariants after every step.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "range_alloc.h"

#define G RANGE_GRANULE
#define BASE 0x1000000000ULL

static void test_init(void **state)
{
	struct range_alloc a;

	(void)state;
	assert_false(range_alloc_init(&a, BASE, BASE));
	assert_false(range_alloc_init(&a, BASE + 1, BASE + 16 * G));
	assert_false(range_alloc_init(&a, BASE, BASE + 16 * G + 8));
	assert_false(range_alloc_init(NULL, BASE, BASE + G));
	assert_true(range_alloc_init(&a, BASE, BASE + 16 * G));
}

static void test_bad_requests(void **state)
{
	struct range_alloc a;
	uint64_t b = 7;

	(void)state;
	assert_true(range_alloc_init(&a, BASE, BASE + 16 * G));
	assert_int_equal(range_alloc(&a, 0, G, &b), -1);
	assert_int_equal(range_alloc(&a, G + 1, G, &b), -1);
	assert_int_equal(range_alloc(&a, G, 3 * G, &b), -1);	/* not a power of two */
	assert_int_equal(range_alloc(&a, G, G / 2, &b), -1);
	assert_int_equal(range_alloc(&a, 17 * G, G, &b), -1);	/* larger than the window */
	assert_int_equal(range_alloc(&a, UINT64_MAX & ~(G - 1), G, &b), -1);
	assert_int_equal(b, 7);
	assert_int_equal(a.n, 0);
}

static void test_first_fit_with_guards(void **state)
{
	struct range_alloc a;
	uint64_t x, y, z, w;

	(void)state;
	assert_true(range_alloc_init(&a, BASE, BASE + 16 * G));
	assert_int_equal(range_alloc(&a, 4 * G, G, &x), 0);
	assert_int_equal(x, BASE);
	assert_int_equal(range_alloc(&a, 4 * G, G, &y), 0);
	assert_int_equal(y, BASE + 5 * G);	/* one guard granule after x */
	assert_int_equal(range_alloc(&a, 4 * G, G, &z), 0);
	assert_int_equal(z, BASE + 10 * G);
	/* z's guard is granule 14; the last one needs no guard at the window's end. */
	assert_int_equal(range_alloc(&a, G, G, &w), 0);
	assert_int_equal(w, BASE + 15 * G);
	assert_int_equal(range_alloc(&a, G, G, &w), -2);
	assert_non_null(range_find(&a, y + 3 * G));
	assert_null(range_find(&a, y + 4 * G));	/* the guard */
	assert_int_equal(range_free(&a, y, 4 * G), 0);
	assert_int_equal(range_free(&a, y, 4 * G), -1);	/* double free */
	assert_int_equal(range_free(&a, x, 3 * G), -1);	/* wrong size */
	assert_int_equal(range_free(&a, x + G, 3 * G), -1);	/* not a start */
	/* y's hole is 5 granules between x's end and z: fits 3 + guard. */
	assert_int_equal(range_alloc(&a, 3 * G, G, &w), 0);
	assert_int_equal(w, BASE + 5 * G);
}

static void test_alignment(void **state)
{
	struct range_alloc a;
	uint64_t x, y;

	(void)state;
	assert_true(range_alloc_init(&a, BASE + G, BASE + (8ULL << 20)));
	assert_int_equal(range_alloc(&a, G, G, &x), 0);
	assert_int_equal(x, BASE + G);
	assert_int_equal(range_alloc(&a, 2ULL << 20, 2ULL << 20, &y), 0);
	assert_int_equal(y, BASE + (2ULL << 20));
	assert_int_equal(y % (2ULL << 20), 0);
}

static void test_capacity(void **state)
{
	struct range_alloc a;
	uint64_t x;
	unsigned int i;

	(void)state;
	assert_true(range_alloc_init(&a, BASE, BASE + 4 * RANGE_ALLOC_MAX * G));
	for (i = 0; i < RANGE_ALLOC_MAX; i++) {
		assert_int_equal(range_alloc(&a, G, G, &x), 0);
	}
	assert_int_equal(range_alloc(&a, G, G, &x), -2);
}

/* Random allocations and frees; invariants after every step. */
static void test_random(void **state)
{
	struct range_alloc a;
	struct range live[RANGE_ALLOC_MAX];
	unsigned int nlive = 0, step, i, j;
	uint64_t top = BASE + 512 * G;

	(void)state;
	srand(12345);
	assert_true(range_alloc_init(&a, BASE, top));
	for (step = 0; step < 20000; step++) {
		if (nlive > 0 && (rand() % 3) == 0) {
			i = (unsigned int)rand() % nlive;
			assert_int_equal(range_free(&a, live[i].base, live[i].size), 0);
			live[i] = live[--nlive];
		} else {
			uint64_t size = (1 + (uint64_t)(rand() % 24)) * G, align = G << (rand() % 4), b;
			int r = range_alloc(&a, size, align, &b);

			if (r == 0) {
				assert_true(nlive < RANGE_ALLOC_MAX);
				assert_int_equal(b % align, 0);
				live[nlive].base = b;
				live[nlive].size = size;
				nlive++;
			} else {
				assert_int_equal(r, -2);
			}
		}
		assert_int_equal(a.n, nlive);
		for (i = 0; i < nlive; i++) {
			assert_true(live[i].base >= BASE && live[i].base + live[i].size <= top);
			for (j = 0; j < nlive; j++) {
				if (i != j) {
					/* at least one granule apart */
					assert_true(live[i].base + live[i].size + G <= live[j].base ||
						    live[j].base + live[j].size + G <= live[i].base);
				}
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_bad_requests),
		cmocka_unit_test(test_first_fit_with_guards),
		cmocka_unit_test(test_alignment),
		cmocka_unit_test(test_capacity),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
