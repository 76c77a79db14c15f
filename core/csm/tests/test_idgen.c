/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the CSM ID generator (csm/idgen.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <csm/idgen.h>

static const uint8_t key_a[16] = { 0, 1, 2, 3, 4, 5, 6, 7,
				   8, 9, 10, 11, 12, 13, 14, 15 };

/* Proves the PRF is SipHash-2-4: the paper's test vector (Appendix A, key
 * 00..0f, 15-byte message 00..0e) and the empty-message vector of the
 * reference implementation. */
static void test_idgen_siphash_vectors(void **state)
{
	uint8_t msg[15];

	(void)state;
	for (unsigned i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)i;
	assert_int_equal(csm_siphash24(key_a, msg, 15), 0xa129ca6149be45e5ull);
	assert_int_equal(csm_siphash24(key_a, msg, 0), 0x726fdb47dd0e0e31ull);
	/* 8 bytes: one full word plus a length-only final word. */
	assert_int_equal(csm_siphash24(key_a, msg, 8), 0x93f5f5799a932462ull);
}

/* Proves the permutation is a bijection on a sample: unpermute inverts it,
 * including at the edges of the domain. */
static void test_idgen_permute_inverts(void **state)
{
	struct csm_idgen g;
	uint64_t edges[] = { 0, 1, 2, UINT32_MAX, (uint64_t)UINT32_MAX + 1,
			     UINT64_MAX - 1, UINT64_MAX, 0x8000000000000000ull };

	(void)state;
	csm_idgen_init(&g, key_a);
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
		assert_int_equal(csm_idgen_unpermute(&g, csm_idgen_permute(&g, edges[i])),
				 edges[i]);
	for (uint64_t x = 0, s = 99; x < 200000; x++) {
		s = s * 6364136223846793005ull + 1442695040888963407ull;
		assert_int_equal(csm_idgen_unpermute(&g, csm_idgen_permute(&g, s)), s);
		assert_int_equal(csm_idgen_permute(&g, csm_idgen_unpermute(&g, s)), s);
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Proves IDs never repeat (and are never 0 or UINT64_MAX) over 1e6 draws. */
static void test_idgen_no_repeats_1e6(void **state)
{
	enum { N = 1000000 };
	uint64_t *ids = malloc(N * sizeof(*ids));
	struct csm_idgen g;

	(void)state;
	assert_non_null(ids);
	csm_idgen_init(&g, key_a);
	for (size_t i = 0; i < N; i++) {
		ids[i] = csm_idgen_next(&g);
		assert_int_not_equal(ids[i], 0);
		assert_int_not_equal(ids[i], UINT64_MAX);
	}
	qsort(ids, N, sizeof(*ids), cmp_u64);
	for (size_t i = 1; i < N; i++)
		assert_int_not_equal(ids[i - 1], ids[i]);
	free(ids);
}

static unsigned popcount64(uint64_t x)
{
	unsigned n = 0;

	for (; x; x &= x - 1)
		n++;
	return n;
}

/* Proves consecutive IDs are not sequential or otherwise close: no
 * difference of +-1..1e6, and on average about half the bits flip. */
static void test_idgen_not_sequential(void **state)
{
	struct csm_idgen g;
	uint64_t prev, bits = 0;
	enum { N = 10000 };

	(void)state;
	csm_idgen_init(&g, key_a);
	prev = csm_idgen_next(&g);
	for (int i = 0; i < N; i++) {
		uint64_t id = csm_idgen_next(&g);
		uint64_t d = id > prev ? id - prev : prev - id;

		assert_true(d > 1000000);
		bits += popcount64(id ^ prev);
		prev = id;
	}
	/* 32 expected; 28..36 is more than 100 standard deviations wide. */
	assert_in_range(bits / N, 28, 36);
}

/* Proves the key matters: two keys give unrelated sequences, one key gives
 * the same sequence (the generator is deterministic given its key). */
static void test_idgen_keyed(void **state)
{
	uint8_t key_b[16];
	struct csm_idgen a, b, a2;
	unsigned same = 0;

	(void)state;
	memcpy(key_b, key_a, 16);
	key_b[15] ^= 1;
	csm_idgen_init(&a, key_a);
	csm_idgen_init(&a2, key_a);
	csm_idgen_init(&b, key_b);
	for (int i = 0; i < 1000; i++) {
		uint64_t x = csm_idgen_next(&a);

		assert_int_equal(x, csm_idgen_next(&a2));
		same += x == csm_idgen_next(&b);
	}
	assert_int_equal(same, 0);
}

/* Proves the generator skips 0 and UINT64_MAX and reports exhaustion with
 * 0 instead of wrapping (which would reuse IDs). */
static void test_idgen_reserved_values_and_exhaustion(void **state)
{
	struct csm_idgen g;
	uint64_t c0, cmax;

	(void)state;
	csm_idgen_init(&g, key_a);
	/* Position the counter just before the preimages of 0 and MAX. */
	c0 = csm_idgen_unpermute(&g, 0);
	g.next = c0;
	assert_int_not_equal(csm_idgen_next(&g), 0);
	assert_int_equal(g.next, c0 + 2);
	cmax = csm_idgen_unpermute(&g, UINT64_MAX);
	if (cmax != UINT64_MAX) {
		g.next = cmax;
		assert_int_not_equal(csm_idgen_next(&g), UINT64_MAX);
	}
	g.next = UINT64_MAX;
	assert_int_equal(csm_idgen_next(&g), 0);
	assert_int_equal(csm_idgen_next(&g), 0);
	csm_idgen_wipe(&g);
	assert_int_equal(g.k0 | g.k1 | g.next, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_idgen_siphash_vectors),
		cmocka_unit_test(test_idgen_permute_inverts),
		cmocka_unit_test(test_idgen_no_repeats_1e6),
		cmocka_unit_test(test_idgen_not_sequential),
		cmocka_unit_test(test_idgen_keyed),
		cmocka_unit_test(test_idgen_reserved_values_and_exhaustion),
	};

	return cmocka_run_group_tests_name("csm-idgen", tests, NULL, NULL);
}
