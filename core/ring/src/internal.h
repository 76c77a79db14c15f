/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/ring internals shared by the three sources:
 *   ring.c   format, attach, and the public calls: argument and state
 *            checks, then the SPSC or MPSC path
 *   spsc.c   single producer: tail, the zeroed window, the predicted
 *            slot, the polling consumer
 *   mpsc.c   many producers: CAS claims, per-record publication, the
 *            zeroing consumer
 * Here: the record header, and the validation both paths apply to what
 * they read from shared memory (docs/rings.md, "Validation").
 */
#ifndef CAEC_CORE_RING_INTERNAL_H
#define CAEC_CORE_RING_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <caec_core/atomics.h>
#include <ring/ring.h>

#define STAMP_COMMIT CAEC_RING_STAMP_COMMIT
#define STAMP_NEXT_CLEAR CAEC_RING_STAMP_NEXT_CLEAR
#define STAMP_KNOWN (CAEC_RING_STAMP_PAD | STAMP_COMMIT | STAMP_NEXT_CLEAR)

static inline uint64_t make_hdr(uint32_t len, uint32_t stamp)
{
	return (uint64_t)len | ((uint64_t)stamp << 32);
}

/* A check of shared state failed: the endpoint is broken for good. */
static inline int fail(struct ring *r)
{
	r->broken = 1;
	return CAEC_E_CORRUPT;
}

static inline bool is_mpsc(const struct ring *r)
{
	return (r->features & CAEC_RING_FEAT_MPSC) != 0;
}

/* Where a record of `rec` bytes goes when the free index is `at`: returns
 * the bytes to claim (pad + record) and the pad size in *pad. */
static inline uint32_t place(const struct ring *r, uint32_t at, uint32_t rec,
			     uint32_t *pad)
{
	uint32_t to_end = r->cap - (at & r->mask);
	*pad = rec > to_end ? to_end : 0u;
	return *pad + rec;
}

/* Write a record header at index `at`.  Release: the payload (and for MPSC
 * everything else in the record) is visible before the header; pairs with
 * the acquire of the header in ring_mpsc_peek() and in the polling path
 * of ring_spsc_peek().  For SPSC records found through tail the header is
 * published by the release of tail instead; release here costs nothing on
 * x86 and keeps one code path. */
static inline void put_hdr(struct ring *r, uint32_t at, uint32_t len,
			   uint32_t flags)
{
	uint64_t *slot = (uint64_t *)(void *)(r->data + (at & r->mask));
	ca_store_release_u64(slot, make_hdr(len, at | STAMP_COMMIT | flags));
}

/* Check a header copied from index r->pos against what is available.
 * `avail` = bytes the producer(s) published/claimed beyond pos.
 * Returns the record size, or 0 when corrupt. */
static inline uint32_t check_hdr(const struct ring *r, uint64_t h,
				 uint32_t avail, uint32_t *len, bool *skip)
{
	uint32_t l = (uint32_t)h, stamp = (uint32_t)(h >> 32);
	uint32_t flags = stamp & CAEC_RING_STAMP_FLAGS;
	if ((stamp & ~CAEC_RING_STAMP_FLAGS) != r->pos ||
	    (flags & ~STAMP_KNOWN) != 0 || (flags & STAMP_COMMIT) == 0 ||
	    (is_mpsc(r) && (flags & STAMP_NEXT_CLEAR) != 0))
		return 0;
	*skip = (flags & CAEC_RING_STAMP_PAD) != 0;
	uint32_t off = r->pos & r->mask;
	/* A payload never exceeds max_msg; a skip record never leaves the
	 * data area.  Both bounds keep ring_rec_size() from overflowing. */
	if (*skip ? l > r->cap - off - CAEC_RING_REC_ALIGN : l > r->max_msg)
		return 0;
	uint32_t rec = ring_rec_size(l);
	if (rec > avail || rec > r->cap - off)
		return 0;
	*len = l;
	return rec;
}

/* Publish head: the space before it is free again.  Release: our reads of
 * the records (and, MPSC, the zeroing) happen before producers reuse the
 * space; pairs with the acquire of head in refresh_head() (spsc.c) and
 * mpsc_snapshot() (mpsc.c). */
static inline void publish_head(struct ring *r)
{
	/* [model: consumer publishes head] */
	ca_store_release_u32(&r->ctl->cons.head, r->pos);
}

/*
 * The two paths.  ring.c has checked the role, the broken flag and the
 * arguments, and calls these only in the right state: *_reserve() and
 * *_can_send() with no reservation outstanding, *_commit() (len no more
 * than reserved) and *_cancel() with one, *_peek() with no message
 * peeked, *_release() with one.  `rec` is ring_rec_size() of the length.
 */
int ring_spsc_reserve(struct ring *r, uint32_t rec, void **payload);
int ring_spsc_commit(struct ring *r, uint32_t len);
void ring_spsc_cancel(struct ring *r);
int ring_spsc_can_send(struct ring *r, uint32_t rec);
int ring_spsc_peek(struct ring *r, uint32_t *len, uint32_t *rec);
void ring_spsc_release(struct ring *r);
int ring_spsc_can_recv(struct ring *r);

int ring_mpsc_reserve(struct ring *r, uint32_t rec, void **payload);
void ring_mpsc_commit(struct ring *r, uint32_t len);
void ring_mpsc_cancel(struct ring *r);
int ring_mpsc_can_send(struct ring *r, uint32_t rec);
int ring_mpsc_peek(struct ring *r, uint32_t *len, uint32_t *rec);
void ring_mpsc_release(struct ring *r);
int ring_mpsc_can_recv(struct ring *r);

#endif /* CAEC_CORE_RING_INTERNAL_H */
