/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Malicious-peer harness for rings: scribble on each shared header, index
 * and record field (and on random bytes) between steps, and check that
 * every consumer / producer call returns CAEC_E_CORRUPT once, then
 * CAEC_E_PEER forever, never touches memory outside the ring (run under
 * ASan: the ring sits at the very end of a heap block) and never loops.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <ring/ring.h>

#include "caec_test.h"

#define CAP 512u
#define RING_SZ CAEC_RING_BYTES(CAP)

struct fx {
	uint8_t *mem; /* RING_SZ bytes, 64-aligned, end of allocation */
	struct ring p, c;
	struct caec_ring_abi *ctl;
	uint8_t *data;
};

static int setup_common(void **state, uint32_t feat)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (f == NULL)
		return -1;
	f->mem = aligned_alloc(64, RING_SZ);
	if (f->mem == NULL || ring_format(f->mem, RING_SZ, CAP, feat) != 0 ||
	    ring_init(&f->p, f->mem, RING_SZ, RING_PRODUCER) != 0 ||
	    ring_init(&f->c, f->mem, RING_SZ, RING_CONSUMER) != 0)
		return -1;
	f->ctl = (struct caec_ring_abi *)(void *)f->mem;
	f->data = f->mem + CAEC_RING_HDR_SIZE;
	*state = f;
	return 0;
}
static int setup_spsc(void **state) { return setup_common(state, 0); }
static int setup_mpsc(void **state) { return setup_common(state, CAEC_RING_FEAT_MPSC); }
static int teardown(void **state)
{
	struct fx *f = *state;
	free(f->mem);
	free(f);
	return 0;
}

static void expect_consumer_broken(struct ring *c)
{
	uint8_t buf[CAP];
	const void *p;
	size_t len;
	for (int i = 0; i < 3; i++) {
		assert_caec_err(ring_peek(c, &p, &len), CAEC_E_PEER);
		assert_caec_err(ring_recv(c, buf, sizeof(buf)), CAEC_E_PEER);
		assert_caec_err(ring_release(c), CAEC_E_PEER);
		assert_caec_err(ring_can_recv(c), CAEC_E_PEER);
	}
}

static void expect_producer_broken(struct ring *p)
{
	void *q;
	for (int i = 0; i < 3; i++) {
		assert_caec_err(ring_reserve(p, 8, &q), CAEC_E_PEER);
		assert_caec_err(ring_send(p, "x", 1), CAEC_E_PEER);
		assert_caec_err(ring_commit(p, 1), CAEC_E_PEER);
		assert_caec_err(ring_cancel(p), CAEC_E_PEER);
		assert_caec_err(ring_can_send(p, 1), CAEC_E_PEER);
	}
}

/* Put one 16-byte message in, then run `scribble`, then expect the
 * consumer to report corruption exactly once. */
static void consumer_case(struct fx *f, void (*scribble)(struct fx *),
			  bool polling)
{
	uint8_t buf[CAP];
	assert_caec_ok(ring_send(&f->p, "0123456789abcdef", 16));
	if (!polling) {
		/* Re-attach: the ring is not empty, so the consumer starts
		 * by reading tail (not by polling the next header slot). */
		assert_caec_ok(ring_init(&f->c, f->mem, RING_SZ, RING_CONSUMER));
		assert_int_equal(f->c.poll_next, 0);
	} else if (!(f->c.features & CAEC_RING_FEAT_MPSC)) {
		assert_int_equal(f->c.poll_next, 1);
	}
	scribble(f);
	assert_caec_err(ring_recv(&f->c, buf, sizeof(buf)), CAEC_E_CORRUPT);
	assert_true(ring_is_broken(&f->c));
	expect_consumer_broken(&f->c);
}

static uint64_t *hdr0(struct fx *f) { return (uint64_t *)(void *)f->data; }

static void s_tail_unaligned(struct fx *f) { f->ctl->prod.tail = 20; }
static void s_tail_beyond_cap(struct fx *f) { f->ctl->prod.tail = CAP + 8; }
static void s_tail_behind_head(struct fx *f) { f->ctl->prod.tail = (uint32_t)-8; }
static void s_len_huge(struct fx *f) { *hdr0(f) = (*hdr0(f) & ~0xffffffffull) | 0xfffffff0u; }
static void s_len_over_max(struct fx *f) { *hdr0(f) = (*hdr0(f) & ~0xffffffffull) | (CAP / 2 - 7); }
static void s_len_past_tail(struct fx *f) { *hdr0(f) = (*hdr0(f) & ~0xffffffffull) | 17; }
static void s_stamp_wrong_pos(struct fx *f) { *hdr0(f) += (uint64_t)8 << 32; }
static void s_stamp_no_commit(struct fx *f) { *hdr0(f) &= ~((uint64_t)2 << 32); }
static void s_stamp_bad_flag(struct fx *f) { *hdr0(f) |= (uint64_t)4 << 32; } /* NEXT_CLEAR: MPSC only */
static void s_polled_len_huge(struct fx *f)
{
	/* the consumer is polling the cleared slot: no tail to bound the
	 * record, the data-area bound must still hold */
	*hdr0(f) = (uint64_t)(CAP - 8) | ((uint64_t)(0 | 2) << 32);
}
static void s_pad_too_long(struct fx *f)
{
	/* a skip record claiming more than the data area */
	*hdr0(f) = (uint64_t)CAP | ((uint64_t)(0 | 2 | 1) << 32);
	f->ctl->prod.tail = CAP;
}
static void s_zero_hdr(struct fx *f) { *hdr0(f) = 0; }

#define CONSUMER_TEST(name, fn)                                          \
	__attribute__((unused)) static void test_ring_corrupt_##name(void **state) \
	{                                                                \
		consumer_case(*state, fn, false);                        \
	}                                                                \
	__attribute__((unused)) static void test_ring_corrupt_polling_##name(void **state) \
	{                                                                \
		consumer_case(*state, fn, true);                         \
	}
/* Each of these proves one consumer-side check of layout v1. */
CONSUMER_TEST(tail_unaligned, s_tail_unaligned)
CONSUMER_TEST(tail_beyond_capacity, s_tail_beyond_cap)
CONSUMER_TEST(tail_behind_head, s_tail_behind_head)
CONSUMER_TEST(len_huge, s_len_huge)
CONSUMER_TEST(len_over_max_msg, s_len_over_max)
CONSUMER_TEST(len_past_tail, s_len_past_tail)
CONSUMER_TEST(stamp_wrong_position, s_stamp_wrong_pos)
CONSUMER_TEST(stamp_without_commit, s_stamp_no_commit)
CONSUMER_TEST(mpsc_next_clear_flag, s_stamp_bad_flag)
CONSUMER_TEST(polled_record_too_long, s_polled_len_huge)
CONSUMER_TEST(skip_record_too_long, s_pad_too_long)
CONSUMER_TEST(zeroed_header, s_zero_hdr)

/* A record that would cross the end of the data area is refused (the
 * producer must pad instead), even if the indices allow it. */
static void test_ring_corrupt_record_crosses_end(void **state)
{
	struct fx *f = *state;
	/* Move both sides to 16 bytes before the end of the data area. */
	f->ctl->prod.tail = f->ctl->cons.head = CAP - 16;
	assert_caec_ok(ring_init(&f->c, f->mem, RING_SZ, RING_CONSUMER));
	/* A 40-byte record at CAP-16 would run 24 bytes past the end. */
	uint64_t *h = (uint64_t *)(void *)(f->data + CAP - 16);
	*h = 32u | ((uint64_t)((CAP - 16) | 2) << 32);
	f->ctl->prod.tail = CAP - 16 + 40;
	uint8_t buf[CAP];
	assert_caec_err(ring_recv(&f->c, buf, sizeof(buf)), CAEC_E_CORRUPT);
	expect_consumer_broken(&f->c);
}

/* Producer side: the consumer's head is checked before it is used. */
static void producer_case(struct fx *f, uint32_t bad_head)
{
	uint8_t buf[64] = {0};
	/* Fill the ring so the producer must re-read head. */
	while (ring_send(&f->p, buf, sizeof(buf)) == 0)
		;
	f->ctl->cons.head = bad_head;
	void *q;
	assert_caec_err(ring_reserve(&f->p, 64, &q), CAEC_E_CORRUPT);
	assert_true(ring_is_broken(&f->p));
	expect_producer_broken(&f->p);
}

/* head not 8-aligned */
static void test_ring_corrupt_head_unaligned(void **state) { producer_case(*state, 4); }
/* head ahead of everything the producer published */
static void test_ring_corrupt_head_ahead_of_tail(void **state) { producer_case(*state, 4096); }
/* head so far behind that the fill level exceeds the capacity */
static void test_ring_corrupt_head_too_far_behind(void **state) { producer_case(*state, (uint32_t)-1024); }

/* MPSC: a producer that writes a bad shared reserve index breaks the
 * channel for the other producers (CORRUPT), not their memory safety. */
static void test_ring_corrupt_mpsc_reserve(void **state)
{
	struct fx *f = *state;
	f->ctl->prod.reserve = CAP * 4;
	void *q;
	assert_caec_err(ring_reserve(&f->p, 8, &q), CAEC_E_CORRUPT);
	expect_producer_broken(&f->p);
}

/* MPSC: a committed-looking header whose record runs past reserve, or
 * whose stamp names another position, is corruption for the consumer. */
static void test_ring_corrupt_mpsc_headers(void **state)
{
	struct fx *f = *state;
	uint8_t buf[CAP];
	*hdr0(f) = 100u | ((uint64_t)2 << 32); /* stamp 0|COMMIT, len 100 */
	f->ctl->prod.reserve = 16;            /* but only 16 bytes claimed */
	assert_caec_err(ring_recv(&f->c, buf, sizeof(buf)), CAEC_E_CORRUPT);
	expect_consumer_broken(&f->c);
}

static void test_ring_corrupt_mpsc_stamp(void **state)
{
	struct fx *f = *state;
	uint8_t buf[CAP];
	assert_caec_ok(ring_send(&f->p, "abc", 3));
	*hdr0(f) += (uint64_t)64 << 32;
	assert_caec_err(ring_recv(&f->c, buf, sizeof(buf)), CAEC_E_CORRUPT);
	expect_consumer_broken(&f->c);
}

/* Attach checks: every header field that the endpoint copies is checked. */
static void test_ring_corrupt_header_fields_refused_at_init(void **state)
{
	struct fx *f = *state;
	struct {
		size_t off, width;
		uint32_t val;
	} cases[] = {
		{0, 4, 0x12345678},      /* magic */
		{4, 2, 2},               /* major */
		{8, 4, 0x100},           /* unknown feature */
		{12, 4, 256},            /* hdr_size */
		{16, 4, 1000},           /* capacity not a power of two */
		{16, 4, 2 * CAP},        /* capacity larger than the mapping */
		{16, 4, 32},             /* capacity below the minimum */
		{20, 4, CAP},            /* max_msg inconsistent */
		{64, 4, 12},             /* tail unaligned */
		{128, 4, (uint32_t)-2048}, /* fill level > capacity */
	};
	uint8_t saved[CAEC_RING_HDR_SIZE];
	memcpy(saved, f->mem, sizeof(saved));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memcpy(f->mem, saved, sizeof(saved));
		if (cases[i].width == 2) {
			uint16_t v = (uint16_t)cases[i].val;
			memcpy(f->mem + cases[i].off, &v, 2);
		} else {
			memcpy(f->mem + cases[i].off, &cases[i].val, 4);
		}
		struct ring r;
		assert_caec_err(ring_init(&r, f->mem, RING_SZ, RING_CONSUMER),
				CAEC_E_CORRUPT);
		assert_caec_err(ring_recv(&r, saved, 0), CAEC_E_PEER);
		assert_caec_err(ring_init(&r, f->mem, RING_SZ, RING_PRODUCER),
				CAEC_E_CORRUPT);
		assert_caec_err(ring_send(&r, "x", 1), CAEC_E_PEER);
	}
	memcpy(f->mem, saved, sizeof(saved));
	struct ring r;
	assert_caec_ok(ring_init(&r, f->mem, RING_SZ, RING_CONSUMER));
	/* a mapping smaller than the ring is refused */
	assert_caec_err(ring_init(&r, f->mem, RING_SZ - 8, RING_CONSUMER),
			CAEC_E_CORRUPT);
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Random scribbles: traffic interleaved with random writes to the index
 * words and the data area.  Every call returns a valid outcome; once one
 * returns CORRUPT, all later calls on that endpoint return PEER; received
 * lengths never exceed max_msg; nothing faults (ASan) or hangs. */
static void random_case(uint32_t feat)
{
	uint8_t *mem = aligned_alloc(64, RING_SZ);
	assert_non_null(mem);
	uint8_t buf[CAP];
	unsigned corrupt_c = 0, corrupt_p = 0;
	for (int iter = 0; iter < 3000; iter++) {
		struct ring p, c;
		assert_caec_ok(ring_format(mem, RING_SZ, CAP, feat));
		assert_caec_ok(ring_init(&p, mem, RING_SZ, RING_PRODUCER));
		assert_caec_ok(ring_init(&c, mem, RING_SZ, RING_CONSUMER));
		bool pb = false, cb = false;
		for (int step = 0; step < 60; step++) {
			uint64_t r = rnd();
			if (r % 5 == 0) { /* scribble */
				size_t where;
				switch ((r >> 8) % 4) {
				case 0: where = 64; break;   /* tail */
				case 1: where = 68; break;   /* reserve */
				case 2: where = 128; break;  /* head */
				default:
					where = CAEC_RING_HDR_SIZE +
						((r >> 16) % CAP & ~3u);
				}
				uint32_t v = (uint32_t)(r >> 32);
				if ((r >> 12) & 1)
					v &= 0x3f8; /* plausible small values */
				memcpy(mem + where, &v, 4);
			}
			int rc;
			if (r & 2) {
				rc = ring_send(&p, buf, (r >> 20) % 200);
				if (pb) {
					assert_caec_err(rc, CAEC_E_PEER);
				} else if (rc == CAEC_E_CORRUPT) {
					pb = true;
					corrupt_p++;
				} else if (rc != CAEC_E_AGAIN) {
					assert_caec_err(rc, CAEC_OK);
				}
			} else {
				rc = ring_recv(&c, buf, sizeof(buf));
				if (cb) {
					assert_caec_err(rc, CAEC_E_PEER);
				} else if (rc == CAEC_E_CORRUPT) {
					cb = true;
					corrupt_c++;
				} else if (rc != CAEC_E_AGAIN) {
					assert_caec_ok(rc);
					assert_true((uint32_t)rc <= ring_max_msg(&c));
				}
			}
		}
	}
	/* the harness really exercised the corruption paths */
	assert_true(corrupt_c > 100);
	assert_true(corrupt_p > 100);
	free(mem);
}
static void test_ring_corrupt_random_spsc(void **state) { (void)state; random_case(0); }
static void test_ring_corrupt_random_mpsc(void **state) { (void)state; random_case(CAEC_RING_FEAT_MPSC); }

#define T(name, s) cmocka_unit_test_setup_teardown(name, s, teardown)
int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_ring_corrupt_tail_unaligned, setup_spsc),
		T(test_ring_corrupt_tail_beyond_capacity, setup_spsc),
		T(test_ring_corrupt_tail_behind_head, setup_spsc),
		T(test_ring_corrupt_len_huge, setup_spsc),
		T(test_ring_corrupt_len_over_max_msg, setup_spsc),
		T(test_ring_corrupt_len_past_tail, setup_spsc),
		T(test_ring_corrupt_stamp_wrong_position, setup_spsc),
		T(test_ring_corrupt_stamp_without_commit, setup_spsc),
		T(test_ring_corrupt_polling_polled_record_too_long, setup_spsc),
		T(test_ring_corrupt_polling_len_huge, setup_spsc),
		T(test_ring_corrupt_polling_len_over_max_msg, setup_spsc),
		T(test_ring_corrupt_polling_stamp_wrong_position, setup_spsc),
		T(test_ring_corrupt_polling_stamp_without_commit, setup_spsc),
		T(test_ring_corrupt_polling_skip_record_too_long, setup_spsc),
		T(test_ring_corrupt_skip_record_too_long, setup_spsc),
		T(test_ring_corrupt_zeroed_header, setup_spsc),
		T(test_ring_corrupt_record_crosses_end, setup_spsc),
		T(test_ring_corrupt_head_unaligned, setup_spsc),
		T(test_ring_corrupt_head_ahead_of_tail, setup_spsc),
		T(test_ring_corrupt_head_too_far_behind, setup_spsc),
		T(test_ring_corrupt_head_unaligned, setup_mpsc),
		T(test_ring_corrupt_head_too_far_behind, setup_mpsc),
		T(test_ring_corrupt_mpsc_reserve, setup_mpsc),
		T(test_ring_corrupt_mpsc_headers, setup_mpsc),
		T(test_ring_corrupt_mpsc_stamp, setup_mpsc),
		T(test_ring_corrupt_len_huge, setup_mpsc),
		T(test_ring_corrupt_mpsc_next_clear_flag, setup_mpsc),
		T(test_ring_corrupt_header_fields_refused_at_init, setup_spsc),
		cmocka_unit_test(test_ring_corrupt_random_spsc),
		cmocka_unit_test(test_ring_corrupt_random_mpsc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
