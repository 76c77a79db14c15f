/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Channel sizing: what caec_channel_opts documents for capacity 0 (64 KiB
 * region: 16 KiB rings, 8184-byte messages) and caec_channel_region_size(),
 * the region a channel needs for messages of M bytes -- enough (every
 * sending end can send M bytes) and the least (one granule less is not).
 */
#include <stdlib.h>
#include <string.h>

#include "caec_test.h"

#include <caec/abi/ring.h>
#include <caec/channel.h>

/* The largest message of each sending end of a channel formatted on a
 * fresh buffer of `size` bytes with default capacities; 0 if none. */
static size_t min_max_msg(size_t size, uint32_t flags)
{
	void *mem = aligned_alloc(CAEC_GRANULE_SIZE, size);
	assert_non_null(mem);
	memset(mem, 0xA5, size);
	struct caec_channel_opts o = { .size = sizeof(o), .flags = flags };
	struct caec_channel *p = NULL, *c = NULL;
	size_t m = 0;
	if (caec_channel_create_mem(mem, size, CAEC_CHANNEL_PROVIDER, &o, &p) == 0) {
		assert_caec_ok(caec_channel_create_mem(mem, size, CAEC_CHANNEL_CONSUMER, NULL, &c));
		m = caec_channel_max_msg(c);
		/* A many-to-one provider has no send ring (max_msg 0). */
		if (!(flags & CAEC_CHANNEL_F_MANY_TO_ONE) && caec_channel_max_msg(p) < m)
			m = caec_channel_max_msg(p);
		caec_channel_destroy(c);
		caec_channel_destroy(p);
	}
	free(mem);
	return m;
}

/* What the header says capacity 0 gives. */
static void test_default_capacity_documented(void **state)
{
	(void)state;
	assert_int_equal(min_max_msg(64 * 1024, 0), 8184);
	assert_int_equal(min_max_msg(64 * 1024, CAEC_CHANNEL_F_MANY_TO_ONE), 16376);
	/* 8184-byte messages need two 16 KiB rings: 64 + 2 * (512 + 16384)
	 * bytes, 9 granules; one byte more needs 32 KiB rings. */
	assert_int_equal(caec_channel_region_size(8184, 0), 9 * CAEC_GRANULE_SIZE);
	assert_int_equal(caec_channel_region_size(8185, 0), 17 * CAEC_GRANULE_SIZE);
}

static void test_region_size_enough_and_least(void **state)
{
	(void)state;
	static const size_t lens[] = { 0, 1, 24, 56, 100, 1000, 4096, 8184, 8185,
				       65536, 100000, 1u << 20, (3u << 20) + 5 };
	static const uint32_t flags[] = { 0, CAEC_CHANNEL_F_MANY_TO_ONE };
	for (size_t f = 0; f < 2; f++) {
		for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
			size_t s = caec_channel_region_size(lens[i], flags[f]);
			assert_true(s > 0);
			assert_int_equal(s % CAEC_GRANULE_SIZE, 0);
			size_t m = min_max_msg(s, flags[f]);
			if (m < lens[i])
				fail_msg("M=%zu flags=%u: region %zu gives max_msg %zu", lens[i],
					 flags[f], s, m);
			if (s > CAEC_GRANULE_SIZE && min_max_msg(s - CAEC_GRANULE_SIZE, flags[f]) >= lens[i])
				fail_msg("M=%zu flags=%u: %zu is not the least (one granule less does)",
					 lens[i], flags[f], s);
		}
	}
}

static void test_region_size_refuses(void **state)
{
	(void)state;
	size_t top = CAEC_RING_MAX_MSG(CAEC_RING_MAX_CAPACITY);
	assert_true(caec_channel_region_size(top, 0) > 0);
	assert_int_equal(caec_channel_region_size(top + 1, 0), 0);
	assert_int_equal(caec_channel_region_size(SIZE_MAX, 0), 0);
	assert_int_equal(caec_channel_region_size(1, 0x80), 0); /* unknown flag */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_capacity_documented),
		cmocka_unit_test(test_region_size_enough_and_least),
		cmocka_unit_test(test_region_size_refuses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
