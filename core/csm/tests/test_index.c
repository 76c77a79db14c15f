/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of the CSM ID index (csm/index.h), the intrusive treap that
 * replaced the growable hash table: it must behave as a map from key to
 * node, never allocate, and stay shallow whatever the order of insertions
 * and removals, including orders a realm could choose after seeing its IDs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <csm/index.h>

static const uint8_t key_a[CSM_IDGEN_KEY_LEN] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
static const uint8_t key_b[CSM_IDGEN_KEY_LEN] = { 0xb };

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* log2 rounded up, for depth bounds. */
static unsigned lg(size_t n)
{
	unsigned l = 0;

	while ((1ull << l) < n)
		l++;
	return l;
}

/* Proves insert/get/remove on a few keys, including the empty index and
 * removal of the root, of a leaf and of an inner node. */
static void test_index_basic(void **state)
{
	struct csm_index ix;
	struct csm_index_node n[5];

	(void)state;
	memset(n, 0, sizeof(n));
	csm_index_init(&ix, key_a);
	assert_null(csm_index_get(&ix, 5));
	assert_int_equal(csm_index_height(&ix), 0);
	assert_int_equal(csm_index_check(&ix), 0);
	for (int i = 0; i < 5; i++) {
		n[i].key = (uint64_t)(i + 1) * 10;
		csm_index_insert(&ix, &n[i]);
		assert_int_equal(csm_index_check(&ix), 0);
	}
	assert_int_equal(csm_index_count(&ix), 5);
	for (int i = 0; i < 5; i++)
		assert_ptr_equal(csm_index_get(&ix, (uint64_t)(i + 1) * 10), &n[i]);
	assert_null(csm_index_get(&ix, 15));
	assert_null(csm_index_get(&ix, 0));
	csm_index_remove(&ix, ix.root);
	assert_int_equal(csm_index_check(&ix), 0);
	assert_int_equal(csm_index_count(&ix), 4);
	for (int i = 0; i < 5; i++) {
		struct csm_index_node *g = csm_index_get(&ix, n[i].key);

		if (g)
			csm_index_remove(&ix, g);
		assert_int_equal(csm_index_check(&ix), 0);
	}
	assert_int_equal(csm_index_count(&ix), 0);
	assert_null(ix.root);
	csm_index_wipe(&ix);
	for (size_t i = 0; i < sizeof(ix.key); i++)
		assert_int_equal(ix.key[i], 0);
}

/* Proves the index matches a reference model over 300k random inserts and
 * removes of small keys, with the full structural check every 10k steps. */
static void test_index_random_vs_model(void **state)
{
	enum { KEYS = 4096 };
	static struct csm_index_node nodes[KEYS];
	static bool in[KEYS];
	struct csm_index ix;
	size_t n = 0;

	(void)state;
	memset(nodes, 0, sizeof(nodes));
	memset(in, 0, sizeof(in));
	csm_index_init(&ix, key_a);
	rng_state = 88172645463325252ull;
	for (int i = 0; i < 300000; i++) {
		/* Bias toward inserts in the first half, removals later. */
		uint64_t k = 1 + rnd() % (KEYS - 1);
		bool ins = (rnd() % 100) < (i < 150000 ? 70u : 30u);

		if (ins && !in[k]) {
			nodes[k].key = k;
			csm_index_insert(&ix, &nodes[k]);
			in[k] = true;
			n++;
		} else if (!ins && in[k]) {
			assert_ptr_equal(csm_index_get(&ix, k), &nodes[k]);
			csm_index_remove(&ix, &nodes[k]);
			in[k] = false;
			n--;
		}
		assert_int_equal(csm_index_count(&ix), n);
		if (i % 10000 == 0) {
			assert_int_equal(csm_index_check(&ix), 0);
			for (uint64_t j = 1; j < KEYS; j++)
				assert_ptr_equal(csm_index_get(&ix, j),
						 in[j] ? &nodes[j] : NULL);
		}
	}
	assert_int_equal(csm_index_check(&ix), 0);
	for (uint64_t j = 1; j < KEYS; j++)
		if (in[j])
			csm_index_remove(&ix, &nodes[j]);
	assert_int_equal(csm_index_count(&ix), 0);
	assert_null(ix.root);
}

/* Proves random 64-bit keys (as IDs are) work at scale: 200k keys, half
 * removed, the rest still found; and the tree stays shallow. */
static void test_index_many_random_keys(void **state)
{
	enum { N = 200000 };
	struct csm_index_node *nodes = calloc(N, sizeof(*nodes));
	struct csm_index ix;
	size_t live = 0;

	(void)state;
	assert_non_null(nodes);
	csm_index_init(&ix, key_a);
	rng_state = 0x9e3779b97f4a7c15ull;
	for (size_t i = 0; i < N; i++) {
		nodes[i].key = rnd() | 1;
		if (csm_index_get(&ix, nodes[i].key)) {
			nodes[i].key = 0;
			continue;
		}
		csm_index_insert(&ix, &nodes[i]);
		live++;
	}
	assert_int_equal(csm_index_check(&ix), 0);
	/* A random BST of n keys is about 4.3 ln n (3 lg n) deep at most. */
	assert_true(csm_index_height(&ix) <= 4 * lg(live));
	for (size_t i = 0; i < N; i++)
		if (nodes[i].key)
			assert_ptr_equal(csm_index_get(&ix, nodes[i].key), &nodes[i]);
	for (size_t i = 0; i < N; i += 2)
		if (nodes[i].key)
			csm_index_remove(&ix, &nodes[i]);
	assert_int_equal(csm_index_check(&ix), 0);
	for (size_t i = 0; i < N; i++)
		if (nodes[i].key)
			assert_ptr_equal(csm_index_get(&ix, nodes[i].key),
					 i % 2 ? &nodes[i] : NULL);
	free(nodes);
}

/* Proves sorted insertion (which degenerates a plain BST into a list) and
 * sorted removal keep the treap logarithmic. */
static void test_index_sorted_order_stays_shallow(void **state)
{
	enum { N = 100000 };
	struct csm_index_node *nodes = calloc(N, sizeof(*nodes));
	struct csm_index ix;

	(void)state;
	assert_non_null(nodes);
	csm_index_init(&ix, key_a);
	for (size_t i = 0; i < N; i++) {
		nodes[i].key = i + 1;
		csm_index_insert(&ix, &nodes[i]);
	}
	assert_int_equal(csm_index_check(&ix), 0);
	assert_true(csm_index_height(&ix) <= 4 * lg(N));
	for (size_t i = 0; i < N / 2; i++)
		csm_index_remove(&ix, &nodes[i]);
	assert_int_equal(csm_index_check(&ix), 0);
	assert_true(csm_index_height(&ix) <= 4 * lg(N / 2));
	free(nodes);
}

/*
 * Proves a realm that sees its IDs and chooses which objects survive
 * cannot build a deep chain: it keeps only keys that extend an increasing
 * run (each new survivor just above the last, a list for a plain BST or
 * for a treap whose priority followed creation order), yet the treap's
 * height stays logarithmic because priorities are secret.
 */
static void test_index_adversarial_survivors(void **state)
{
	enum { KEEP = 2000 };
	struct csm_index_node *nodes = calloc(KEEP, sizeof(*nodes));
	struct csm_index ix;
	uint64_t last = 0, step = UINT64_MAX / (4 * KEEP);
	size_t kept = 0, tried = 0;

	(void)state;
	assert_non_null(nodes);
	csm_index_init(&ix, key_b);
	rng_state = 0x2545F4914F6CDD1Dull;
	while (kept < KEEP) {
		uint64_t k = rnd();

		tried++;
		if (k <= last || k - last > step)
			continue;  /* the realm "destroys" this object */
		nodes[kept].key = k;
		csm_index_insert(&ix, &nodes[kept++]);
		last = k;
	}
	assert_true(tried > KEEP);
	assert_int_equal(csm_index_check(&ix), 0);
	assert_true(csm_index_height(&ix) <= 4 * lg(KEEP));
	free(nodes);
}

/* Parent key of every node, in key order: the tree's shape. */
static void shape(const struct csm_index *ix, struct csm_index_node *nodes,
		  size_t n, uint64_t *out)
{
	for (size_t i = 0; i < n; i++) {
		const struct csm_index_node *g = csm_index_get(ix, nodes[i].key);

		assert_non_null(g);
		out[i] = g->parent ? g->parent->key : 0;
	}
}

/* Proves the shape depends only on the keys present and the priority key:
 * the same set built in three orders, one of them with extra keys inserted
 * and removed on the way, gives the same tree; another priority key
 * gives a different one. */
static void test_index_history_independent(void **state)
{
	enum { N = 512 };
	static struct csm_index_node a[N], b[N], c[N], extra[N], d[N];
	static uint64_t sa[N], sb[N], sc[N], sd[N];
	struct csm_index ia, ib, ic, id;

	(void)state;
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	memset(c, 0, sizeof(c));
	memset(d, 0, sizeof(d));
	memset(extra, 0, sizeof(extra));
	csm_index_init(&ia, key_a);
	csm_index_init(&ib, key_a);
	csm_index_init(&ic, key_a);
	csm_index_init(&id, key_b);
	for (size_t i = 0; i < N; i++)
		a[i].key = b[i].key = c[i].key = d[i].key = (i + 1) * 7919;
	for (size_t i = 0; i < N; i++) {
		csm_index_insert(&ia, &a[i]);
		csm_index_insert(&ib, &b[N - 1 - i]);
		csm_index_insert(&id, &d[i]);
	}
	rng_state = 12345;
	for (size_t i = 0; i < N; i++) {
		extra[i].key = (i + 1) * 7919 + 1;  /* never one of the set */
		csm_index_insert(&ic, &extra[i]);
		csm_index_insert(&ic, &c[(i * 263) % N]);  /* 263 is coprime to 512 */
		if (rnd() % 2)
			csm_index_remove(&ic, &extra[i]);
	}
	for (size_t i = 0; i < N; i++)
		if (csm_index_get(&ic, extra[i].key))
			csm_index_remove(&ic, &extra[i]);
	shape(&ia, a, N, sa);
	shape(&ib, b, N, sb);
	shape(&ic, c, N, sc);
	shape(&id, d, N, sd);
	assert_memory_equal(sa, sb, sizeof(sa));
	assert_memory_equal(sa, sc, sizeof(sa));
	assert_memory_not_equal(sa, sd, sizeof(sa));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index_basic),
		cmocka_unit_test(test_index_random_vs_model),
		cmocka_unit_test(test_index_many_random_keys),
		cmocka_unit_test(test_index_sorted_order_stays_shallow),
		cmocka_unit_test(test_index_adversarial_survivors),
		cmocka_unit_test(test_index_history_independent),
	};

	return cmocka_run_group_tests_name("csm-index", tests, NULL, NULL);
}
