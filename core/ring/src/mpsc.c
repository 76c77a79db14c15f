/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/ring, many producers (CAEC_RING_FEAT_MPSC).  Protocol and
 * validation rules: docs/rings.md.
 *
 * Producers claim [r, r+n) by CAS on `reserve`, write, then publish each
 * record by a release store of its header.  The consumer reads the header
 * at head (acquire); zero means "not committed yet".  The consumer zeroes
 * every byte it consumed before it publishes head, so a header slot never
 * holds stale bytes (the technique of Aeron's many-to-one buffer).  A
 * claim is always published, as a record or as skip records.
 */
#include <string.h>

#include "internal.h"

/* ---------------------------------------------------------------- producer */

/* A consistent (head, reserve) pair.  head is read before and after
 * reserve; an honest consumer only moves head forward, so when both reads
 * agree, head did not move while reserve was read and reserve - head is a
 * true fill level, which must not exceed the capacity.  (A single pair of
 * reads could see a head older than reserve by more than a lap and be a
 * false alarm.)  Returns 0, CAEC_E_AGAIN (head kept moving) or
 * CAEC_E_CORRUPT. */
static int mpsc_snapshot(struct ring *r, uint32_t *head, uint32_t *res)
{
	for (uint32_t tries = 0; tries < RING_MPSC_CLAIM_TRIES; tries++) {
		/* Acquire pairs with the release of head in publish_head(). */
		uint32_t h1 = ca_load_acquire_u32(&r->ctl->cons.head);
		/* Acquire: orders the second head read after this one. */
		uint32_t at = ca_load_acquire_u32(&r->ctl->prod.reserve);
		uint32_t h2 = ca_load_acquire_u32(&r->ctl->cons.head);
		if (h1 != h2)
			continue;
		if (((h1 | at) & (CAEC_RING_REC_ALIGN - 1u)) != 0 ||
		    at - h1 > r->cap)
			return fail(r);
		*head = h1;
		*res = at;
		return 0;
	}
	return CAEC_E_AGAIN;
}

int ring_mpsc_reserve(struct ring *r, uint32_t rec, void **payload)
{
	uint32_t h, at;
	int rc = mpsc_snapshot(r, &h, &at);
	if (rc < 0)
		return rc;
	for (uint32_t tries = 0; tries < RING_MPSC_CLAIM_TRIES; tries++) {
		r->peer = h;
		uint32_t pad;
		uint32_t need = place(r, at, rec, &pad);
		if (at + need - h > r->cap) {
			/* Maybe full, maybe our head is stale: look again. */
			rc = mpsc_snapshot(r, &h, &at);
			if (rc < 0)
				return rc;
			need = place(r, at, rec, &pad);
			if (at + need - h > r->cap)
				return CAEC_E_AGAIN;
		}
		/* [model: producer claims] seq_cst CAS; on success the span
		 * [at, at+need) is ours alone.  On failure `at` is reloaded:
		 * it only grew, so h is still <= it. */
		if (ca_cas_u32(&r->ctl->prod.reserve, &at, at + need)) {
			r->cur_start = at;
			r->cur_rec = at + pad;
			r->cur_span = need;
			*payload = r->data + (r->cur_rec & r->mask) +
				   CAEC_RING_REC_ALIGN;
			return 0;
		}
		/* Another producer claimed first (or a peer scribbled): the
		 * reloaded value is used for offsets, so check it now; the
		 * fill level is checked at the top of the loop. */
		if ((at & (CAEC_RING_REC_ALIGN - 1u)) != 0)
			return fail(r);
	}
	return CAEC_E_AGAIN;
}

/* End the outstanding claim: returns where its record header goes and
 * where the claim ends, after publishing the wrap padding in front of the
 * record (up to the end of the data area), if any. */
static uint32_t end_claim(struct ring *r, uint32_t *end)
{
	uint32_t start = r->cur_start, rec_at = r->cur_rec;
	*end = start + r->cur_span;
	r->cur_span = 0;
	if (rec_at != start)
		put_hdr(r, start, rec_at - start - CAEC_RING_REC_ALIGN,
			CAEC_RING_STAMP_PAD);
	return rec_at;
}

void ring_mpsc_commit(struct ring *r, uint32_t len)
{
	uint32_t end, rec_at = end_claim(r, &end);
	uint32_t used = ring_rec_size(len);
	if (rec_at + used != end) /* shrunk: skip the rest */
		put_hdr(r, rec_at + used, end - rec_at - used - CAEC_RING_REC_ALIGN,
			CAEC_RING_STAMP_PAD);
	put_hdr(r, rec_at, len, 0);
	r->pos = end;
}

void ring_mpsc_cancel(struct ring *r)
{
	/* Everything claimed is published: the whole record as a skip. */
	uint32_t end, rec_at = end_claim(r, &end);
	put_hdr(r, rec_at, end - rec_at - CAEC_RING_REC_ALIGN,
		CAEC_RING_STAMP_PAD);
	r->pos = end;
}

int ring_mpsc_can_send(struct ring *r, uint32_t rec)
{
	uint32_t h, at, pad;
	int rc = mpsc_snapshot(r, &h, &at);
	if (rc == CAEC_E_AGAIN)
		return 1; /* head is moving: there will be room; retry */
	if (rc < 0)
		return rc;
	return at + place(r, at, rec, &pad) - h <= r->cap;
}

/* ---------------------------------------------------------------- consumer */

/* Consume `rec` bytes at pos: zero them first, so that every header slot
 * a producer claims later reads zero until it is committed. */
static inline void advance(struct ring *r, uint32_t rec)
{
	memset(r->data + (r->pos & r->mask), 0, rec);
	r->pos += rec;
}

int ring_mpsc_peek(struct ring *r, uint32_t *len, uint32_t *rec_out)
{
	/* Bounded: each skip record advances pos by >= 8 bytes. */
	for (uint32_t i = 0; i <= r->cap / CAEC_RING_REC_ALIGN; i++) {
		uint64_t *slot = (uint64_t *)(void *)(r->data + (r->pos & r->mask));
		/* Acquire pairs with the release store of the header in
		 * put_hdr(): the record's bytes are visible. */
		uint64_t h = ca_load_acquire_u64(slot);
		if (h == 0)
			return CAEC_E_AGAIN;
		/* Claims precede commits, so reserve covers it. */
		uint32_t res = ca_load_acquire_u32(&r->ctl->prod.reserve);
		uint32_t avail = res - r->pos;
		if ((res & (CAEC_RING_REC_ALIGN - 1u)) != 0 || avail > r->cap)
			return fail(r);
		bool skip;
		uint32_t l;
		uint32_t rec = check_hdr(r, h, avail, &l, &skip);
		if (rec == 0)
			return fail(r);
		if (!skip) {
			*len = l;
			*rec_out = rec;
			return 0;
		}
		advance(r, rec);
		publish_head(r);
	}
	return fail(r);
}

void ring_mpsc_release(struct ring *r)
{
	advance(r, r->cur_span);
	r->cur_span = 0;
	publish_head(r);
}

int ring_mpsc_can_recv(struct ring *r)
{
	uint64_t *slot = (uint64_t *)(void *)(r->data + (r->pos & r->mask));
	/* Acquire pairs with the release in put_hdr(). */
	return ca_load_acquire_u64(slot) != 0;
}
