/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/ring, single producer (no CAEC_RING_FEAT_MPSC).  Protocol and
 * validation rules: docs/rings.md; the Promela model
 * core/ring/model/ring_doorbell.pml mirrors the steps marked "[model: ...]".
 *
 * The producer publishes `tail` (release) after writing records; the
 * consumer publishes `head` (release) after it is done with them.  Fast
 * path: when the producer can, it zeroes the header slot after a record
 * before publishing the record (flag NEXT_CLEAR); the consumer then polls
 * that slot for the next record and does not touch the `tail` line at all
 * (one cache-line transfer per message instead of two).  To keep that
 * store off the critical path, the producer keeps a zeroed window ahead of
 * small records, and one predicted slot after larger ones, both written
 * after the record is published.
 */
#include <string.h>

#include "internal.h"

/* ---------------------------------------------------------------- producer */

/* Refresh the cached consumer index.  The acquire pairs with the release
 * of head in publish_head(): the consumer is done with everything before
 * it.  [model: producer reads head] */
static int refresh_head(struct ring *r, uint32_t limit)
{
	uint32_t h = ca_load_acquire_u32(&r->ctl->cons.head);
	/* head must be 8-aligned, not ahead of what we may have published
	 * (limit), and not behind by more than the capacity. */
	if ((h & (CAEC_RING_REC_ALIGN - 1u)) != 0 || limit - h > r->cap)
		return fail(r);
	r->peer = h;
	return 0;
}

int ring_spsc_reserve(struct ring *r, uint32_t rec, void **payload)
{
	uint32_t pad;
	uint32_t need = place(r, r->pos, rec, &pad);
	if (r->pos + need - r->peer > r->cap) {
		int rc = refresh_head(r, r->pos);
		if (rc < 0)
			return rc;
		if (r->pos + need - r->peer > r->cap)
			return CAEC_E_AGAIN;
	}
	r->cur_start = r->pos;
	r->cur_rec = r->pos + pad;
	r->cur_span = need;
	*payload = r->data + (r->cur_rec & r->mask) + CAEC_RING_REC_ALIGN;
	return 0;
}

/* Zero the free bytes [from, to) of the data area (indices, 8-aligned;
 * the span may wrap, so at most two memsets).  Plain stores: the consumer
 * reads these bytes only after a later release (header or tail) has
 * published them. */
static void zero_span(struct ring *r, uint32_t from, uint32_t to)
{
	uint32_t off = from & r->mask, n = to - from;
	uint32_t first = n < r->cap - off ? n : r->cap - off;
	memset(r->data + off, 0, first);
	if (n > first)
		memset(r->data, 0, n - first);
}

/* After publishing a small record: keep a zeroed window [pos, clear_to)
 * of up to RING_ZERO_AHEAD bytes, refilled in chunks once it is half
 * used, within the free space (below head + capacity, head as last seen,
 * which is never more than the true free space).  These stores come after
 * the record is visible, so their cache-line transfers overlap the wait
 * for the next message instead of delaying this one; the next small
 * records then find the slot after them already zero (see
 * ring_spsc_commit()) and are published without touching another line
 * first. */
static void zero_ahead(struct ring *r)
{
	uint32_t have = r->clear_to - r->pos;
	if (have > RING_ZERO_AHEAD / 2)
		return;
	uint32_t free_ahead = r->peer + r->cap - r->pos; /* 0..cap */
	uint32_t want = free_ahead < RING_ZERO_AHEAD ? free_ahead : RING_ZERO_AHEAD;
	if (have < want) {
		zero_span(r, r->clear_to, r->pos + want);
		r->clear_to = r->pos + want;
	}
}

/* After publishing a record too large for the window (zeroing a window's
 * worth after every such record would double its stores):
 * zero just the slot where the next record's successor goes if the next
 * record has the same size (steady streams and ping-pongs of one size),
 * when that slot is free.  One 8-byte store, after the record is visible,
 * instead of a store in front of the next record's header. */
static void zero_predicted(struct ring *r, uint32_t used)
{
	uint32_t at = r->pos + used;
	r->pred_ok = 0;
	if (at + CAEC_RING_REC_ALIGN - r->peer > r->cap)
		return;
	ca_store_relaxed_u64((uint64_t *)(void *)(r->data + (at & r->mask)), 0);
	r->pred_at = at;
	r->pred_ok = 1;
}

int ring_spsc_commit(struct ring *r, uint32_t len)
{
	uint32_t start = r->cur_start, rec_at = r->cur_rec;
	uint32_t end = start + r->cur_span;
	r->cur_span = 0;
	uint32_t used = ring_rec_size(len);
	uint32_t next = rec_at + used;
	uint32_t flags = 0;
	/* What stays known-zero after this record: the window's part beyond
	 * the reservation (the caller may have written all of it), and only
	 * if the record fills the reservation. */
	if (next != end || r->clear_to - start <= end - start)
		r->clear_to = next;
	/* The predicted slot counts only if the reservation ended right
	 * before it (the caller wrote nothing there). */
	bool predicted = r->pred_ok && r->pred_at == next && next == end;
	r->pred_ok = 0;
	/* The slot after the record must hold zero before the record is
	 * published (the consumer polls it next): already zero (zero_ahead()
	 * after an earlier record), or zero it now if it is free (below
	 * head + capacity). */
	if (r->clear_to - next >= CAEC_RING_REC_ALIGN || predicted) {
		flags = STAMP_NEXT_CLEAR;
		/* The window must cover the slot the consumer will poll:
		 * zero_ahead() below writes only from clear_to on (plain
		 * stores), never over that slot. */
		if (r->clear_to - next < CAEC_RING_REC_ALIGN)
			r->clear_to = next + CAEC_RING_REC_ALIGN;
	} else if (next + CAEC_RING_REC_ALIGN - r->peer <= r->cap) {
		ca_store_relaxed_u64((uint64_t *)(void *)(r->data + (next & r->mask)), 0);
		r->clear_to = next + CAEC_RING_REC_ALIGN;
		flags = STAMP_NEXT_CLEAR;
	}
	/* [model: producer writes record, publishes] header, then the
	 * padding before it (a polling consumer reaches the record only
	 * through the padding), then tail. */
	put_hdr(r, rec_at, len, flags);
	if (rec_at != start)
		put_hdr(r, start, rec_at - start - CAEC_RING_REC_ALIGN,
			CAEC_RING_STAMP_PAD | STAMP_NEXT_CLEAR);
	r->pos = next;
	/* Release: publishes the records written above; pairs with the
	 * acquire of tail in ring_spsc_peek(). */
	ca_store_release_u32(&r->ctl->prod.tail, r->pos);
	/* [model: producer zeroes ahead] the window after records that leave
	 * room in it for the next slot (a refill zeroes about one record's
	 * worth, taking ownership of the lines the next record will fill),
	 * one predicted slot after larger ones */
	if (used + CAEC_RING_REC_ALIGN <= RING_ZERO_AHEAD)
		zero_ahead(r);
	else
		zero_predicted(r, used);
	return 0;
}

void ring_spsc_cancel(struct ring *r)
{
	/* Nothing was published, but the caller may have written into the
	 * reservation: nothing after pos is known to be zero any more. */
	r->cur_span = 0;
	r->clear_to = r->pos;
	r->pred_ok = 0;
}

int ring_spsc_can_send(struct ring *r, uint32_t rec)
{
	uint32_t pad;
	uint32_t need = place(r, r->pos, rec, &pad);
	if (r->pos + need - r->peer <= r->cap)
		return 1;
	int rc = refresh_head(r, r->pos);
	if (rc < 0)
		return rc;
	return r->pos + need - r->peer <= r->cap;
}

/* ---------------------------------------------------------------- consumer */

int ring_spsc_peek(struct ring *r, uint32_t *len, uint32_t *rec_out)
{
	/* Fast "still empty" answer of a polling consumer: the slot it polls
	 * is still zero (the same acquire as the polling path below). */
	if (r->poll_next && r->peer == r->pos &&
	    ca_load_acquire_u64((const uint64_t *)(const void *)(r->data + (r->pos & r->mask))) == 0)
		return CAEC_E_AGAIN;
	/* Bounded: each skip record advances pos by >= 8 bytes. */
	for (uint32_t i = 0; i <= r->cap / CAEC_RING_REC_ALIGN; i++) {
		uint64_t h;
		uint32_t avail;
		uint32_t off = r->pos & r->mask;
		uint64_t *slot = (uint64_t *)(void *)(r->data + off);
		bool polled = false;
		if (r->poll_next && r->peer == r->pos) {
			/* [model: consumer polls the cleared slot] Acquire
			 * pairs with the release store of the header in
			 * put_hdr(); zero = not yet written. */
			h = ca_load_acquire_u64(slot);
			if (h == 0)
				return CAEC_E_AGAIN;
			/* tail unknown: bound by the data area only (the
			 * contiguity check in check_hdr()). */
			avail = r->cap;
			polled = true;
		} else {
			if (r->peer == r->pos) {
				/* [model: consumer reads tail] Acquire pairs
				 * with the release of tail in
				 * ring_spsc_commit(). */
				uint32_t t = ca_load_acquire_u32(&r->ctl->prod.tail);
				if ((t & (CAEC_RING_REC_ALIGN - 1u)) != 0)
					return fail(r);
				if (t - r->pos > r->cap) {
					/* Behind pos: legitimate only right
					 * after polled records, whose commit
					 * may not have stored tail yet (header
					 * is stored before tail): empty for
					 * now. */
					if (r->tail_lag_ok && r->pos - t <= r->cap)
						return CAEC_E_AGAIN;
					return fail(r);
				}
				r->tail_lag_ok = 0;
				r->peer = t;
				if (t == r->pos)
					return CAEC_E_AGAIN;
			}
			avail = r->peer - r->pos;
			/* Acquire: covers headers found through the cached
			 * tail after a polled record (cheap on x86/AArch64). */
			h = ca_load_acquire_u64(slot);
		}
		bool skip;
		uint32_t l;
		uint32_t rec = check_hdr(r, h, avail, &l, &skip);
		if (rec == 0)
			return fail(r);
		r->poll_next = ((uint32_t)(h >> 32) & STAMP_NEXT_CLEAR) != 0;
		if (polled)
			r->tail_lag_ok = 1;
		/* Keep "peer - pos" meaningful: a polled record may lie
		 * beyond the cached tail. */
		if (polled || r->peer - r->pos < rec)
			r->peer = r->pos + rec;
		if (!skip) {
			*len = l;
			*rec_out = rec;
			return 0;
		}
		r->pos += rec;
		publish_head(r);
	}
	return fail(r);
}

void ring_spsc_release(struct ring *r)
{
	r->pos += r->cur_span;
	r->cur_span = 0;
	publish_head(r);
}

int ring_spsc_can_recv(struct ring *r)
{
	if (r->peer != r->pos)
		return 1;
	if (r->poll_next) {
		uint64_t *slot = (uint64_t *)(void *)(r->data + (r->pos & r->mask));
		/* Acquire pairs with the release in put_hdr(). */
		return ca_load_acquire_u64(slot) != 0;
	}
	/* Acquire pairs with the release of tail in ring_spsc_commit(). */
	uint32_t t = ca_load_acquire_u32(&r->ctl->prod.tail);
	if (t == r->pos || (r->tail_lag_ok && r->pos - t <= r->cap))
		return 0; /* empty, or tail still catching up with polled records */
	return 1; /* data, or a corrupt tail: peek reports it */
}
