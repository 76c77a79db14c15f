/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of the portable ring protocol (core/ring), in one process,
 * on private memory.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <caec_core/atomics.h>
#include <ring/ring.h>

#include "caec_test.h"

#define CAP 1024u

struct fx {
	_Alignas(64) uint8_t mem[CAEC_RING_BYTES(CAP)];
	struct ring p, c;
};

static int setup_spsc(void **state)
{
	struct fx *f = aligned_alloc(64, sizeof(struct fx));
	if (f == NULL)
		return -1;
	memset(f, 0xA5, sizeof(*f));
	if (ring_format(f->mem, sizeof(f->mem), CAP, 0) != 0 ||
	    ring_init(&f->p, f->mem, sizeof(f->mem), RING_PRODUCER) != 0 ||
	    ring_init(&f->c, f->mem, sizeof(f->mem), RING_CONSUMER) != 0)
		return -1;
	*state = f;
	return 0;
}

static int setup_mpsc(void **state)
{
	struct fx *f = aligned_alloc(64, sizeof(struct fx));
	if (f == NULL)
		return -1;
	memset(f, 0xA5, sizeof(*f));
	if (ring_format(f->mem, sizeof(f->mem), CAP, CAEC_RING_FEAT_MPSC) != 0 ||
	    ring_init(&f->p, f->mem, sizeof(f->mem), RING_PRODUCER) != 0 ||
	    ring_init(&f->c, f->mem, sizeof(f->mem), RING_CONSUMER) != 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

/* The formatter writes exactly the documented v1 header bytes. */
static void test_ring_format_writes_v1_header(void **state)
{
	struct fx *f = *state;
	const uint8_t *m = f->mem;
	uint32_t u32;
	uint16_t u16;
	memcpy(&u32, m + 0, 4);
	assert_int_equal(u32, 0x52454143u);
	assert_memory_equal(m, "CAER", 4);
	memcpy(&u16, m + 4, 2);
	assert_int_equal(u16, 1);
	memcpy(&u32, m + 12, 4);
	assert_int_equal(u32, 512);
	memcpy(&u32, m + 16, 4);
	assert_int_equal(u32, CAP);
	memcpy(&u32, m + 20, 4);
	assert_int_equal(u32, CAP / 2 - 8);
	for (size_t i = 24; i < 512; i++)
		assert_int_equal(m[i], 0);
}

/* Bad arguments to format are refused, and nothing fits in too little. */
static void test_ring_format_rejects_bad_args(void **state)
{
	struct fx *f = *state;
	assert_caec_err(ring_format(f->mem, sizeof(f->mem), 1000, 0), CAEC_E_RANGE);
	assert_caec_err(ring_format(f->mem, sizeof(f->mem), 32, 0), CAEC_E_RANGE);
	assert_caec_err(ring_format(f->mem, sizeof(f->mem), 2048, 0), CAEC_E_MSGSIZE);
	assert_caec_err(ring_format(f->mem + 8, sizeof(f->mem) - 8, 256, 0), CAEC_E_INVAL);
	assert_caec_err(ring_format(f->mem, sizeof(f->mem), CAP, 0x80), CAEC_E_INVAL);
	assert_int_equal(ring_capacity_for(CAEC_RING_BYTES(CAP)), CAP);
	assert_int_equal(ring_capacity_for(CAEC_RING_BYTES(CAP) - 1), CAP / 2);
	assert_int_equal(ring_capacity_for(100), 0);
}

/* Copy API: messages of every length arrive intact and in order. */
static void test_ring_copy_roundtrip_all_lengths(void **state)
{
	struct fx *f = *state;
	uint8_t in[CAP / 2], out[CAP / 2];
	for (uint32_t len = 0; len <= ring_max_msg(&f->p); len++) {
		for (uint32_t i = 0; i < len; i++)
			in[i] = (uint8_t)(len * 7 + i);
		assert_caec_ok(ring_send(&f->p, in, len));
		assert_caec_count(ring_recv(&f->c, out, sizeof(out)), (int)len);
		assert_memory_equal(in, out, len);
	}
	assert_caec_err(ring_recv(&f->c, out, sizeof(out)), CAEC_E_AGAIN);
}

/* Zero-copy: the reserved span is contiguous and 8-aligned even across
 * the end of the data area (a padding record is inserted), and peek
 * returns a pointer into the ring, not a copy. */
static void test_ring_zero_copy_wraps_contiguously(void **state)
{
	struct fx *f = *state;
	uint8_t *data = f->mem + CAEC_RING_HDR_SIZE;
	for (int round = 0; round < 50; round++) {
		size_t len = 100 + (size_t)round * 3;
		void *p;
		assert_caec_ok(ring_reserve(&f->p, len, &p));
		assert_true((uint8_t *)p >= data && (uint8_t *)p + len <= data + CAP);
		assert_int_equal((uintptr_t)p % 8, 0);
		memset(p, round, len);
		assert_caec_ok(ring_commit(&f->p, len));
		const void *q;
		size_t ql;
		assert_caec_ok(ring_peek(&f->c, &q, &ql));
		assert_ptr_equal(q, p);
		assert_int_equal(ql, len);
		/* peek again before release: the same message */
		const void *q2;
		size_t ql2;
		assert_caec_ok(ring_peek(&f->c, &q2, &ql2));
		assert_ptr_equal(q2, q);
		assert_int_equal(((const uint8_t *)q)[len - 1], round);
		assert_caec_ok(ring_release(&f->c));
	}
}

/* A full ring says AGAIN, and space comes back after the consumer
 * releases; oversize messages say MSGSIZE. */
static void test_ring_full_then_space(void **state)
{
	struct fx *f = *state;
	uint8_t buf[64] = {1};
	int n = 0;
	while (ring_send(&f->p, buf, sizeof(buf)) == 0)
		n++;
	assert_int_equal(n, CAP / (64 + 8));
	assert_caec_err(ring_send(&f->p, buf, sizeof(buf)), CAEC_E_AGAIN);
	assert_caec_count(ring_can_send(&f->p, 64), 0);
	assert_caec_count(ring_recv(&f->c, buf, sizeof(buf)), 64);
	assert_caec_count(ring_can_send(&f->p, 64), 1);
	assert_caec_ok(ring_send(&f->p, buf, sizeof(buf)));
	void *p;
	assert_caec_err(ring_reserve(&f->p, CAP, &p), CAEC_E_MSGSIZE);
	assert_caec_err(ring_send(&f->p, buf, CAP / 2 - 7), CAEC_E_MSGSIZE);
}

/* recv into a too-small buffer keeps the message for a later call. */
static void test_ring_recv_small_buffer_keeps_message(void **state)
{
	struct fx *f = *state;
	uint8_t buf[32];
	memset(buf, 9, sizeof(buf));
	assert_caec_ok(ring_send(&f->p, buf, 32));
	assert_caec_err(ring_recv(&f->c, buf, 16), CAEC_E_MSGSIZE);
	assert_caec_count(ring_recv(&f->c, buf, 32), 32);
}

/* Commit may shrink a reservation; cancel publishes nothing; misuse of
 * the reserve/commit pairing is CAEC_E_STATE. */
static void test_ring_commit_shrink_and_cancel(void **state)
{
	struct fx *f = *state;
	void *p;
	uint8_t out[256];
	assert_caec_err(ring_commit(&f->p, 0), CAEC_E_STATE);
	assert_caec_ok(ring_reserve(&f->p, 200, &p));
	assert_caec_err(ring_reserve(&f->p, 10, &p), CAEC_E_STATE);
	assert_caec_err(ring_commit(&f->p, 201), CAEC_E_MSGSIZE);
	memcpy(p, "hello", 5);
	assert_caec_ok(ring_commit(&f->p, 5));
	assert_caec_ok(ring_reserve(&f->p, 100, &p));
	assert_caec_ok(ring_cancel(&f->p));
	assert_caec_ok(ring_send(&f->p, "x", 1));
	assert_caec_count(ring_recv(&f->c, out, sizeof(out)), 5);
	assert_memory_equal(out, "hello", 5);
	assert_caec_count(ring_recv(&f->c, out, sizeof(out)), 1);
	assert_caec_err(ring_recv(&f->c, out, sizeof(out)), CAEC_E_AGAIN);
	assert_caec_err(ring_release(&f->c), CAEC_E_STATE);
}

/* Roles are enforced: a producer cannot consume and vice versa. */
static void test_ring_roles_enforced(void **state)
{
	struct fx *f = *state;
	uint8_t b[8] = {0};
	assert_caec_err(ring_send(&f->c, b, 8), CAEC_E_INVAL);
	assert_caec_err(ring_recv(&f->p, b, 8), CAEC_E_INVAL);
}

/* Indices are free-running u32: traffic across the 2^32 wrap works. */
static void test_ring_index_wraps_u32(void **state)
{
	struct fx *f = *state;
	/* Re-format and move both indices close to 2^32. */
	assert_caec_ok(ring_format(f->mem, sizeof(f->mem), CAP, 0));
	struct caec_ring_abi *ctl = (struct caec_ring_abi *)(void *)f->mem;
	ctl->prod.tail = ctl->cons.head = 0xFFFFFF00u;
	assert_caec_ok(ring_init(&f->p, f->mem, sizeof(f->mem), RING_PRODUCER));
	assert_caec_ok(ring_init(&f->c, f->mem, sizeof(f->mem), RING_CONSUMER));
	uint8_t in[40], out[40];
	for (uint32_t i = 0; i < 1000; i++) {
		memset(in, (int)i, sizeof(in));
		assert_caec_ok(ring_send(&f->p, in, sizeof(in)));
		assert_caec_count(ring_recv(&f->c, out, sizeof(out)), 40);
		assert_memory_equal(in, out, sizeof(in));
	}
	assert_true(ctl->cons.head < 0xFFFFFF00u); /* wrapped */
}

/* MPSC: two producer endpoints interleave; the consumer sees each
 * message once, in claim order, and zeroes consumed bytes. */
static void test_ring_mpsc_two_producers(void **state)
{
	struct fx *f = *state;
	struct ring p2;
	assert_caec_ok(ring_init(&p2, f->mem, sizeof(f->mem), RING_PRODUCER));
	void *a, *b;
	for (int round = 0; round < 40; round++) {
		assert_caec_ok(ring_reserve(&f->p, 50, &a));
		assert_caec_ok(ring_reserve(&p2, 30, &b));
		memset(b, 'b', 30);
		assert_caec_ok(ring_commit(&p2, 30));
		/* b is committed but a is not: the consumer must wait for a */
		assert_caec_count(ring_can_recv(&f->c), 0);
		uint8_t out[64];
		assert_caec_err(ring_recv(&f->c, out, sizeof(out)), CAEC_E_AGAIN);
		memset(a, 'a', 20);
		assert_caec_ok(ring_commit(&f->p, 20)); /* shrunk */
		assert_caec_count(ring_recv(&f->c, out, sizeof(out)), 20);
		assert_int_equal(out[0], 'a');
		assert_caec_count(ring_recv(&f->c, out, sizeof(out)), 30);
		assert_int_equal(out[29], 'b');
		assert_caec_err(ring_recv(&f->c, out, sizeof(out)), CAEC_E_AGAIN);
	}
	/* everything consumed was zeroed */
	const uint8_t *data = f->mem + CAEC_RING_HDR_SIZE;
	for (uint32_t i = 0; i < CAP; i++)
		assert_int_equal(data[i], 0);
}

/* MPSC cancel publishes a skip record the consumer passes over. */
static void test_ring_mpsc_cancel_skips(void **state)
{
	struct fx *f = *state;
	void *a;
	uint8_t out[64];
	assert_caec_ok(ring_reserve(&f->p, 40, &a));
	assert_caec_ok(ring_cancel(&f->p));
	assert_caec_ok(ring_send(&f->p, "zz", 2));
	assert_caec_count(ring_recv(&f->c, out, sizeof(out)), 2);
	assert_caec_err(ring_recv(&f->c, out, sizeof(out)), CAEC_E_AGAIN);
}

/* SPSC fast path: the producer zeroes the slot after each record and
 * flags it NEXT_CLEAR, so the consumer polls that slot and never reads
 * tail; when tail still lags behind a polled record (the producer stores
 * the header before tail), the consumer says AGAIN, not CORRUPT. */
static void test_ring_polling_and_tail_lag(void **state)
{
	struct fx *f = *state;
	struct caec_ring_abi *ctl = (struct caec_ring_abi *)(void *)f->mem;
	uint8_t out[64];
	assert_int_equal(f->c.poll_next, 1); /* fresh ring: poll */
	assert_caec_ok(ring_send(&f->p, "abcd", 4));
	uint64_t h;
	memcpy(&h, f->mem + CAEC_RING_HDR_SIZE, 8);
	assert_true((h >> 32) & CAEC_RING_STAMP_NEXT_CLEAR);
	/* tail is never read while polling: scribbling it changes nothing */
	ctl->prod.tail = 0x12345678u;
	assert_caec_count(ring_recv(&f->c, out, sizeof(out)), 4);
	ctl->prod.tail = 16;
	assert_caec_err(ring_recv(&f->c, out, sizeof(out)), CAEC_E_AGAIN);

	/* Record B without NEXT_CLEAR (as when the ring was nearly full),
	 * and tail not yet stored: the consumer polls B, then must wait for
	 * tail, reporting AGAIN while tail lags. */
	assert_caec_ok(ring_send(&f->p, "B", 1));
	uint64_t *hb = (uint64_t *)(void *)(f->mem + CAEC_RING_HDR_SIZE + 16);
	*hb &= ~((uint64_t)CAEC_RING_STAMP_NEXT_CLEAR << 32);
	ctl->prod.tail = 16; /* the producer has not stored tail yet */
	assert_caec_count(ring_recv(&f->c, out, sizeof(out)), 1);
	assert_int_equal(f->c.poll_next, 0);
	assert_caec_count(ring_can_recv(&f->c), 0);
	assert_caec_err(ring_recv(&f->c, out, sizeof(out)), CAEC_E_AGAIN);
	assert_false(ring_is_broken(&f->c));
	ctl->prod.tail = 32; /* tail catches up */
	assert_caec_err(ring_recv(&f->c, out, sizeof(out)), CAEC_E_AGAIN);
	assert_caec_ok(ring_send(&f->p, "C", 1));
	assert_caec_count(ring_recv(&f->c, out, sizeof(out)), 1);
	assert_int_equal(out[0], 'C');
	/* Once tail has caught up (read in tail mode), a tail behind head
	 * is corruption again.  (Force tail mode: C was flagged NEXT_CLEAR.) */
	assert_caec_ok(ring_send(&f->p, "D", 1));
	ctl->prod.tail = 8;
	f->c.poll_next = 0;
	assert_caec_err(ring_recv(&f->c, out, sizeof(out)), CAEC_E_CORRUPT);
}

/* --- the producer's zeroed window (spsc.c zero_ahead()) ------------- */

static uint64_t data_word(const struct fx *f, uint32_t index)
{
	uint64_t w;
	memcpy(&w, f->mem + CAEC_RING_HDR_SIZE + (index & (CAP - 1u)), 8);
	return w;
}

/* After a small record the producer zeroes ahead: the free bytes after the
 * record, up to RING_ZERO_AHEAD of them, are zero even where old payload
 * bytes were, and the next small record is flagged NEXT_CLEAR. */
static void test_ring_zero_ahead_clears_window(void **state)
{
	struct fx *f = *state;
	uint8_t out[64];
	/* Old bytes everywhere in the (free) data area, as after a lap. */
	memset(f->mem + CAEC_RING_HDR_SIZE, 0xEE, CAP);
	assert_caec_ok(ring_send(&f->p, "abcdefgh", 8));
	uint64_t h = data_word(f, 0);
	assert_true((h >> 32) & CAEC_RING_STAMP_NEXT_CLEAR);
	for (uint32_t at = 16; at < 16 + RING_ZERO_AHEAD; at += 8)
		assert_int_equal(data_word(f, at), 0);
	assert_int_equal(data_word(f, 16 + RING_ZERO_AHEAD), 0xEEEEEEEEEEEEEEEEull);
	assert_caec_count(ring_recv(&f->c, out, sizeof(out)), 8);
	assert_memory_equal(out, "abcdefgh", 8);
	assert_caec_err(ring_recv(&f->c, out, sizeof(out)), CAEC_E_AGAIN);
}

/* The window never reaches unreleased records: with the ring nearly full
 * of unread messages, sends that zero ahead leave every one intact. */
static void test_ring_zero_ahead_spares_unread(void **state)
{
	struct fx *f = *state;
	uint8_t in[24], out[24];
	uint32_t sent = 0, got = 0;
	for (;;) {
		memset(in, (int)(sent + 1), sizeof(in));
		int rc = ring_send(&f->p, in, sizeof(in));
		if (rc == CAEC_E_AGAIN)
			break;
		assert_caec_ok(rc);
		sent++;
	}
	assert_true(sent >= CAP / 32 - 1);
	/* Consume one, send one, repeatedly: the ring stays full. */
	for (int round = 0; round < 200; round++) {
		assert_caec_count(ring_recv(&f->c, out, sizeof(out)), 24);
		memset(in, (int)(got + 1), sizeof(in));
		assert_memory_equal(out, in, sizeof(in));
		got++;
		memset(in, (int)(sent + 1), sizeof(in));
		assert_caec_ok(ring_send(&f->p, in, sizeof(in)));
		sent++;
	}
	while (got < sent) {
		assert_caec_count(ring_recv(&f->c, out, sizeof(out)), 24);
		memset(in, (int)(got + 1), sizeof(in));
		assert_memory_equal(out, in, sizeof(in));
		got++;
	}
	assert_caec_err(ring_recv(&f->c, out, sizeof(out)), CAEC_E_AGAIN);
}

/* A large record (predicted slot after it), then a small one that needs
 * wrap padding and ends exactly on the predicted slot: it is flagged
 * NEXT_CLEAR through the prediction, and the window that the small record
 * then starts must begin *after* the slot the consumer polls (zeroing
 * ahead uses plain stores; found by review, TSan-visible as a race). */
static void test_ring_predicted_then_small_keeps_polled_slot(void **state)
{
	struct fx *f = *state;
	uint8_t out[CAP / 2];
	uint8_t a[248], b[240];
	memset(a, 0xA1, sizeof(a));
	memset(b, 0xB2, sizeof(b));
	/* Move both indices to 1016 - 256 = 760, so A ends at 1016. */
	for (uint32_t i = 0; i < 760 / 8; i++) {
		assert_caec_ok(ring_send(&f->p, NULL, 0));
		assert_caec_count(ring_recv(&f->c, out, sizeof(out)), 0);
	}
	assert_int_equal(f->p.pos, 760);
	/* (a full-size check makes the producer re-read head: all free) */
	assert_caec_count(ring_can_send(&f->p, ring_max_msg(&f->p)), 1);
	assert_caec_ok(ring_send(&f->p, a, sizeof(a))); /* [760, 1016) */
	assert_caec_count(ring_recv(&f->c, out, sizeof(out)), (int)sizeof(a));
	assert_true(f->p.pred_ok);
	assert_int_equal(f->p.pred_at, 1016 + 256);
	/* B: 248-byte record, 8 bytes left before the end: pad, then B at
	 * offset 0 of the next lap, ending at 1024 + 248 = the predicted
	 * slot. */
	assert_caec_ok(ring_send(&f->p, b, sizeof(b)));
	assert_int_equal(f->p.pos, 1024 + 248);
	uint64_t h = data_word(f, 1024);
	assert_true((h >> 32) & CAEC_RING_STAMP_NEXT_CLEAR);
	assert_true(f->p.clear_to - f->p.pos >= 8);
	assert_caec_count(ring_recv(&f->c, out, sizeof(out)), (int)sizeof(b));
	assert_memory_equal(out, b, sizeof(b));
	assert_caec_err(ring_recv(&f->c, out, sizeof(out)), CAEC_E_AGAIN);
}

/* The same sequence with a consumer thread polling meanwhile, 300 times:
 * under ThreadSanitizer (scripts/test.sh runs this suite under TSan) any
 * plain store of the producer to the slot the consumer polls is a
 * reported race, even when it writes the zero that is already there. */
struct poller {
	struct fx *f;
	_Atomic uint32_t want; /* messages to receive in total */
	uint32_t got;
	int bad;
};

static void *poll_consumer(void *arg)
{
	struct poller *pl = arg;
	static uint8_t out[CAP / 2];
	for (;;) {
		/* One load: reading want twice let the loop see 0, then the
		 * final count, and stop one message short. */
		uint32_t want = atomic_load(&pl->want);
		if (want != 0 && pl->got >= want)
			break;
		int rc = ring_recv(&pl->f->c, out, sizeof(out));
		if (rc == CAEC_E_AGAIN)
			continue;
		if (rc < 0) {
			pl->bad = 1;
			break;
		}
		/* every byte is the fill of its kind: 0xA1 (248 bytes),
		 * 0xB2 (240 bytes) or 0x5C (fillers, any length) */
		for (int i = 0; i < rc; i++)
			if (out[i] != out[0] || !(out[0] == 0x5C ||
						  (out[0] == 0xA1 && rc == 248) ||
						  (out[0] == 0xB2 && rc == 240)))
				pl->bad = 1;
		pl->got++;
	}
	return NULL;
}

/* Producer side: wait until the consumer has released everything, let
 * the producer's cached head say so (what refresh_head() would cache; the
 * predicted slot is only zeroed inside the free space as the producer
 * sees it), then send one message of len bytes. */
static uint32_t send_drained(struct fx *f, uint8_t fill, uint32_t len)
{
	static uint8_t buf[CAP / 2];
	memset(buf, fill, len);
	while (ca_load_acquire_u32(&f->p.ctl->cons.head) != f->p.pos)
		;
	f->p.peer = f->p.pos;
	assert_caec_ok(ring_send(&f->p, buf, len));
	return 1;
}

static void test_ring_predicted_then_small_threaded(void **state)
{
	struct fx *f = *state;
	struct poller pl = {.f = f};
	atomic_init(&pl.want, 0);
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, poll_consumer, &pl), 0);
	uint32_t sent = 0;
	for (int it = 0; it < 300; it++) {
		/* fillers up to data offset 760 (records of 8..512 bytes) */
		for (;;) {
			uint32_t off = f->p.pos & (CAP - 1u);
			uint32_t dist = (760u - off) & (CAP - 1u);
			if (dist == 0)
				break;
			uint32_t rec = dist > 512 ? 512 : dist;
			if (off + rec > CAP) /* never let a filler wrap */
				rec = CAP - off;
			sent += send_drained(f, 0x5C, rec - 8);
		}
		sent += send_drained(f, 0xA1, 248); /* ends at offset 1016 */
		sent += send_drained(f, 0xB2, 240); /* pad, then ends on the predicted slot */
	}
	atomic_store(&pl.want, sent);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(pl.bad, 0);
	assert_int_equal(pl.got, sent);
}

/* Tiny xorshift PRNG: reproducible sequences without libc state. */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* 200,000 random operations, in phases of mixed sizes and of one fixed
 * size -- copying sends, zero-copy reservations scribbled over entirely
 * and then committed shorter, cancelled reservations, reads of random
 * batches -- checked against a private copy of every message: nothing
 * lost, changed or reordered, and every record flagged NEXT_CLEAR really
 * has a zero slot after it when it is published.  (Neither the window nor
 * the predicted slot may survive what a caller wrote into a reservation,
 * nor wipe what the consumer has not released.) */
static void test_ring_zero_window_random_ops(void **state)
{
	struct fx *f = *state;
	enum { QN = CAP / 8 };
	static uint8_t q[QN][CAP / 2];
	static uint32_t qlen[QN];
	uint32_t qh = 0, qt = 0; /* private queue of expected messages */
	uint64_t seed = 0x9E3779B97F4A7C15ull;
	uint8_t out[CAP / 2];
	uint32_t maxm = ring_max_msg(&f->p);
	for (int op = 0; op < 200000; op++) {
		uint64_t r = rnd(&seed);
		uint32_t kind = (uint32_t)(r % 8);
		/* Phases of 2,000 operations: mixed sizes (mostly small: the
		 * window's case, sometimes big), or one fixed size above the
		 * window (the predicted-slot case), sometimes shrunk. */
		static const uint32_t fixed[] = {0, 136, 200, 264, 400};
		uint32_t phase = (uint32_t)(op / 2000) % 5;
		uint32_t len = fixed[phase] != 0 && (r >> 8) % 8 != 0
				       ? fixed[phase]
			       : (r >> 8) % 4 == 0 ? (uint32_t)((r >> 16) % (maxm + 1))
						   : (uint32_t)((r >> 16) % 100);
		if (kind <= 3) { /* send / reserve-scribble-commit-shorter */
			void *p;
			int rc = ring_reserve(&f->p, len, &p);
			if (rc == CAEC_E_AGAIN)
				continue;
			assert_caec_ok(rc);
			memset(p, 0xEE, len);
			uint32_t clen = kind == 3 && len > 0 ? (uint32_t)(rnd(&seed) % len) : len;
			for (uint32_t i = 0; i < clen; i++)
				((uint8_t *)p)[i] = (uint8_t)(rnd(&seed));
			uint32_t at = f->p.cur_rec;
			assert_true(qt - qh < QN);
			memcpy(q[qt % QN], p, clen);
			qlen[qt % QN] = clen;
			qt++;
			assert_caec_ok(ring_commit(&f->p, clen));
			uint64_t h = data_word(f, at);
			assert_int_equal((uint32_t)h, clen);
			if ((h >> 32) & CAEC_RING_STAMP_NEXT_CLEAR) {
				assert_int_equal(data_word(f, at + ring_rec_size(clen)), 0);
				/* the window covers the slot the consumer polls,
				 * so zeroing ahead never writes over it */
				assert_true(f->p.clear_to - f->p.pos >= 8);
			}
		} else if (kind == 4) { /* reserve, scribble, cancel */
			void *p;
			int rc = ring_reserve(&f->p, len, &p);
			if (rc == CAEC_E_AGAIN)
				continue;
			assert_caec_ok(rc);
			memset(p, 0xDD, len);
			assert_caec_ok(ring_cancel(&f->p));
		} else { /* consume a random batch */
			uint32_t n = (uint32_t)(rnd(&seed) % 4);
			for (uint32_t i = 0; i < n && qh != qt; i++) {
				int rc = ring_recv(&f->c, out, sizeof(out));
				assert_caec_count(rc, qlen[qh % QN]);
				assert_memory_equal(out, q[qh % QN], qlen[qh % QN]);
				qh++;
			}
		}
	}
	while (qh != qt) {
		assert_caec_count(ring_recv(&f->c, out, sizeof(out)), (int)qlen[qh % QN]);
		assert_memory_equal(out, q[qh % QN], qlen[qh % QN]);
		qh++;
	}
	assert_caec_err(ring_recv(&f->c, out, sizeof(out)), CAEC_E_AGAIN);
	assert_false(ring_is_broken(&f->p));
	assert_false(ring_is_broken(&f->c));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ring_format_writes_v1_header, setup_spsc, teardown),
		cmocka_unit_test_setup_teardown(test_ring_format_rejects_bad_args, setup_spsc, teardown),
		cmocka_unit_test_setup_teardown(test_ring_copy_roundtrip_all_lengths, setup_spsc, teardown),
		cmocka_unit_test_setup_teardown(test_ring_copy_roundtrip_all_lengths, setup_mpsc, teardown),
		cmocka_unit_test_setup_teardown(test_ring_zero_copy_wraps_contiguously, setup_spsc, teardown),
		cmocka_unit_test_setup_teardown(test_ring_zero_copy_wraps_contiguously, setup_mpsc, teardown),
		cmocka_unit_test_setup_teardown(test_ring_full_then_space, setup_spsc, teardown),
		cmocka_unit_test_setup_teardown(test_ring_full_then_space, setup_mpsc, teardown),
		cmocka_unit_test_setup_teardown(test_ring_recv_small_buffer_keeps_message, setup_spsc, teardown),
		cmocka_unit_test_setup_teardown(test_ring_commit_shrink_and_cancel, setup_spsc, teardown),
		cmocka_unit_test_setup_teardown(test_ring_commit_shrink_and_cancel, setup_mpsc, teardown),
		cmocka_unit_test_setup_teardown(test_ring_roles_enforced, setup_spsc, teardown),
		cmocka_unit_test_setup_teardown(test_ring_index_wraps_u32, setup_spsc, teardown),
		cmocka_unit_test_setup_teardown(test_ring_mpsc_two_producers, setup_mpsc, teardown),
		cmocka_unit_test_setup_teardown(test_ring_mpsc_cancel_skips, setup_mpsc, teardown),
		cmocka_unit_test_setup_teardown(test_ring_polling_and_tail_lag, setup_spsc, teardown),
		cmocka_unit_test_setup_teardown(test_ring_zero_ahead_clears_window, setup_spsc, teardown),
		cmocka_unit_test_setup_teardown(test_ring_zero_ahead_spares_unread, setup_spsc, teardown),
		cmocka_unit_test_setup_teardown(test_ring_zero_window_random_ops, setup_spsc, teardown),
		cmocka_unit_test_setup_teardown(test_ring_predicted_then_small_keeps_polled_slot, setup_spsc, teardown),
		cmocka_unit_test_setup_teardown(test_ring_predicted_then_small_threaded, setup_spsc, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
