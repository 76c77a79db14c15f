/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/ring: SPSC and MPSC message rings in shared memory, hardened against
 * a malicious peer.  Protocol and validation rules: docs/rings.md.  The
 * Promela model core/ring/model/ring_doorbell.pml mirrors the steps marked
 * "[model: ...]" below.
 *
 * Indices are free-running u32 byte counters; data offset = index & mask.
 * Records are 8-byte aligned: u64 header {len | stamp << 32}, payload.
 * stamp = record index | COMMIT (| PAD for a skip record).
 *
 * SPSC: the producer publishes `tail` (release) after writing records; the
 * consumer publishes `head` (release) after it is done with them.  Fast
 * path: when the producer can, it zeroes the header slot after a record
 * before publishing the record (flag NEXT_CLEAR); the consumer then polls
 * that slot for the next record and does not touch the `tail` line at all
 * (one cache-line transfer per message instead of two).
 * MPSC: producers claim [r, r+n) by CAS on `reserve`, write, then publish
 * each record by a release store of its header.  The consumer reads the
 * header at head (acquire); zero means "not committed yet".  The consumer
 * zeroes every byte it consumed before it publishes head, so a header slot
 * never holds stale bytes (the technique of Aeron's many-to-one buffer).
 */
#include <string.h>

#include <caec_core/atomics.h>
#include <ring/ring.h>

#define STAMP_COMMIT CAEC_RING_STAMP_COMMIT
#define STAMP_NEXT_CLEAR CAEC_RING_STAMP_NEXT_CLEAR
#define STAMP_KNOWN (CAEC_RING_STAMP_PAD | STAMP_COMMIT | STAMP_NEXT_CLEAR)

static inline uint64_t make_hdr(uint32_t len, uint32_t stamp)
{
	return (uint64_t)len | ((uint64_t)stamp << 32);
}

static int fail(struct ring *r)
{
	r->broken = 1;
	return CAEC_E_CORRUPT;
}

static inline int check_usable(const struct ring *r, enum ring_role role)
{
	if (r == NULL || r->role != (int)role)
		return CAEC_E_INVAL;
	if (r->broken)
		return CAEC_E_PEER;
	return 0;
}

static inline bool is_mpsc(const struct ring *r)
{
	return (r->features & CAEC_RING_FEAT_MPSC) != 0;
}

uint32_t ring_capacity_for(size_t size)
{
	if (size < CAEC_RING_BYTES(CAEC_RING_MIN_CAPACITY))
		return 0;
	size_t avail = size - CAEC_RING_HDR_SIZE;
	uint32_t cap = CAEC_RING_MAX_CAPACITY;
	while ((size_t)cap > avail)
		cap >>= 1;
	return cap;
}

static bool cap_ok(uint32_t cap)
{
	return cap >= CAEC_RING_MIN_CAPACITY && cap <= CAEC_RING_MAX_CAPACITY &&
	       (cap & (cap - 1u)) == 0;
}

int ring_format(void *base, size_t size, uint32_t cap, uint32_t features)
{
	if (base == NULL || ((uintptr_t)base & (CAEC_ABI_CACHELINE - 1u)) != 0)
		return CAEC_E_INVAL;
	if ((features & ~CAEC_RING_FEAT_KNOWN) != 0)
		return CAEC_E_INVAL;
	if (!cap_ok(cap))
		return CAEC_E_RANGE;
	if (CAEC_RING_BYTES(cap) > size)
		return CAEC_E_MSGSIZE;
	struct caec_ring_abi *ctl = base;
	memset(base, 0, CAEC_RING_BYTES(cap));
	ctl->hdr.major = CAEC_RING_MAJOR;
	ctl->hdr.minor = CAEC_RING_MINOR;
	ctl->hdr.features = features;
	ctl->hdr.hdr_size = CAEC_RING_HDR_SIZE;
	ctl->hdr.capacity = cap;
	ctl->hdr.max_msg = CAEC_RING_MAX_MSG(cap);
	/* Release: publishes the header fields above before the magic; pairs
	 * with the acquire of magic in ring_init() for peers that attach
	 * while the ring is being formatted. */
	ca_store_release_u32(&ctl->hdr.magic, CAEC_RING_MAGIC);
	return 0;
}

int ring_init(struct ring *r, void *base, size_t size, enum ring_role role)
{
	if (r == NULL || base == NULL ||
	    (role != RING_PRODUCER && role != RING_CONSUMER) ||
	    ((uintptr_t)base & (CAEC_ABI_CACHELINE - 1u)) != 0)
		return CAEC_E_INVAL;
	memset(r, 0, sizeof(*r));
	r->role = role;
	r->broken = 1; /* until the header checks out */
	if (size < CAEC_RING_HDR_SIZE)
		return CAEC_E_MSGSIZE;
	struct caec_ring_abi *ctl = base;
	/* Copy the header once; never read it again.  The acquire pairs with
	 * the release of magic in ring_format(). */
	uint32_t magic = ca_load_acquire_u32(&ctl->hdr.magic);
	struct caec_ring_abi_hdr h;
	memcpy(&h, &ctl->hdr, sizeof(h));
	if (magic != CAEC_RING_MAGIC || h.major != CAEC_RING_MAJOR ||
	    (h.features & ~CAEC_RING_FEAT_KNOWN) != 0 ||
	    h.hdr_size != CAEC_RING_HDR_SIZE || !cap_ok(h.capacity) ||
	    h.max_msg != CAEC_RING_MAX_MSG(h.capacity) ||
	    CAEC_RING_BYTES(h.capacity) > size)
		return CAEC_E_CORRUPT;
	r->ctl = ctl;
	r->data = (uint8_t *)base + CAEC_RING_HDR_SIZE;
	r->cap = h.capacity;
	r->mask = h.capacity - 1u;
	r->max_msg = h.max_msg;
	r->features = h.features;
	/* Start from the indices as found (a ring may be re-attached), after
	 * the same checks as during operation. */
	uint32_t head = ca_load_acquire_u32(&ctl->cons.head);
	uint32_t tail = is_mpsc(r) ? ca_load_acquire_u32(&ctl->prod.reserve)
				   : ca_load_acquire_u32(&ctl->prod.tail);
	if (((head | tail) & (CAEC_RING_REC_ALIGN - 1u)) != 0 ||
	    tail - head > r->cap)
		return CAEC_E_CORRUPT;
	if (role == RING_PRODUCER) {
		r->pos = tail;
		r->peer = head;
		r->clear_to = tail; /* nothing known to be zero */
	} else {
		r->pos = head;
		r->peer = head; /* SPSC: re-read tail on first peek */
		/* Empty ring whose next slot is zero (e.g. freshly
		 * formatted): only the producer writes there, and only a
		 * fresh header, so the slot may be polled.  Otherwise start
		 * by reading tail. */
		r->poll_next = !is_mpsc(r) && head == tail &&
			       ca_load_acquire_u64((uint64_t *)(void *)(r->data + (head & r->mask))) == 0;
	}
	r->broken = 0;
	return 0;
}

/* ---------------------------------------------------------------- producer */

/* Refresh the cached consumer index.  The acquire pairs with the release
 * of head in publish_head(): the consumer is done with (and, MPSC, has
 * zeroed) everything before it.  [model: producer reads head] */
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

/* Where a record of `rec` bytes goes when the free index is `at`: returns
 * the bytes to claim (pad + record) and the pad size in *pad. */
static inline uint32_t place(const struct ring *r, uint32_t at, uint32_t rec,
			     uint32_t *pad)
{
	uint32_t to_end = r->cap - (at & r->mask);
	*pad = rec > to_end ? to_end : 0u;
	return *pad + rec;
}

static int reserve_spsc(struct ring *r, uint32_t rec, void **payload)
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

/* MPSC: a consistent (head, reserve) pair.  head is read before and after
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

static int reserve_mpsc(struct ring *r, uint32_t rec, void **payload)
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

int ring_reserve(struct ring *r, size_t len, void **payload)
{
	int rc = check_usable(r, RING_PRODUCER);
	if (rc < 0)
		return rc;
	if (payload == NULL)
		return CAEC_E_INVAL;
	if (r->cur_span != 0)
		return CAEC_E_STATE;
	if (len > r->max_msg)
		return CAEC_E_MSGSIZE;
	r->cur_len = (uint32_t)len;
	uint32_t rec = ring_rec_size((uint32_t)len);
	return is_mpsc(r) ? reserve_mpsc(r, rec, payload)
			  : reserve_spsc(r, rec, payload);
}

/* Write a record header at index `at`.  Release: the payload (and for MPSC
 * everything else in the record) is visible before the header; pairs with
 * the acquire of the header in peek_mpsc().  For SPSC the header is
 * published by the release of tail instead; release here costs nothing on
 * x86 and keeps one code path. */
static inline void put_hdr(struct ring *r, uint32_t at, uint32_t len,
			   uint32_t flags)
{
	uint64_t *slot = (uint64_t *)(void *)(r->data + (at & r->mask));
	ca_store_release_u64(slot, make_hdr(len, at | STAMP_COMMIT | flags));
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

/* SPSC producer, after publishing a small record: keep a zeroed window
 * [pos, clear_to) of up to RING_ZERO_AHEAD bytes, refilled in chunks once
 * it is half used, within the free space (below head + capacity, head as
 * last seen, which is never more than the true free space).  These
 * stores come after the record is visible, so their cache-line transfers
 * overlap the wait for the next message instead of delaying this one; the
 * next small records then find the slot after them already zero (see
 * finish()) and are published without touching another line first. */
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

/* SPSC producer, after publishing a record too large for the window
 * (zeroing a window's worth after every such record would double its
 * stores):
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

static int finish(struct ring *r, uint32_t len, bool skip_all)
{
	uint32_t start = r->cur_start, rec_at = r->cur_rec;
	uint32_t end = start + r->cur_span;
	r->cur_span = 0;
	if (!is_mpsc(r)) {
		if (skip_all) {
			/* SPSC cancel: nothing was published, but the caller
			 * may have written into the reservation. */
			r->clear_to = r->pos;
			r->pred_ok = 0;
			return 0;
		}
		uint32_t used = ring_rec_size(len);
		uint32_t next = rec_at + used;
		uint32_t flags = 0;
		/* What stays known-zero after this record: the window's part
		 * beyond the reservation (the caller may have written all of
		 * it), and only if the record fills the reservation. */
		if (next != end || r->clear_to - start <= end - start)
			r->clear_to = next;
		/* The predicted slot counts only if the reservation ended
		 * right before it (the caller wrote nothing there). */
		bool predicted = r->pred_ok && r->pred_at == next && next == end;
		r->pred_ok = 0;
		/* The slot after the record must hold zero before the record
		 * is published (the consumer polls it next): already zero
		 * (zero_ahead() after an earlier record), or zero it now if
		 * it is free (below head + capacity). */
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
		 * padding before it (a polling consumer reaches the record
		 * only through the padding), then tail. */
		put_hdr(r, rec_at, len, flags);
		if (rec_at != start)
			put_hdr(r, start, rec_at - start - CAEC_RING_REC_ALIGN,
				CAEC_RING_STAMP_PAD | STAMP_NEXT_CLEAR);
		r->pos = next;
		/* Release: publishes the records written above; pairs with
		 * the acquire of tail in peek_one(). */
		ca_store_release_u32(&r->ctl->prod.tail, r->pos);
		/* [model: producer zeroes ahead] the window after records
		 * that leave room in it for the next slot (a refill zeroes
		 * about one record's worth, taking ownership of the lines the
		 * next record will fill), one predicted slot after larger
		 * ones */
		if (used + CAEC_RING_REC_ALIGN <= RING_ZERO_AHEAD)
			zero_ahead(r);
		else
			zero_predicted(r, used);
		return 0;
	}
	/* MPSC: everything claimed is published, as records or skips. */
	if (rec_at != start) /* wrap padding up to the end of the data area */
		put_hdr(r, start, rec_at - start - CAEC_RING_REC_ALIGN,
			CAEC_RING_STAMP_PAD);
	if (skip_all) {
		put_hdr(r, rec_at, end - rec_at - CAEC_RING_REC_ALIGN,
			CAEC_RING_STAMP_PAD);
	} else {
		uint32_t used = ring_rec_size(len);
		if (rec_at + used != end) /* shrunk: skip the rest */
			put_hdr(r, rec_at + used,
				end - rec_at - used - CAEC_RING_REC_ALIGN,
				CAEC_RING_STAMP_PAD);
		put_hdr(r, rec_at, len, 0);
	}
	r->pos = end;
	return 0;
}

int ring_commit(struct ring *r, size_t len)
{
	int rc = check_usable(r, RING_PRODUCER);
	if (rc < 0)
		return rc;
	if (r->cur_span == 0)
		return CAEC_E_STATE;
	if (len > r->cur_len)
		return CAEC_E_MSGSIZE;
	return finish(r, (uint32_t)len, false);
}

int ring_cancel(struct ring *r)
{
	int rc = check_usable(r, RING_PRODUCER);
	if (rc < 0)
		return rc;
	if (r->cur_span == 0)
		return CAEC_E_STATE;
	return finish(r, 0, true);
}

int ring_send(struct ring *r, const void *buf, size_t len)
{
	void *p;
	if (buf == NULL && len != 0)
		return CAEC_E_INVAL;
	int rc = ring_reserve(r, len, &p);
	if (rc < 0)
		return rc;
	if (len != 0)
		memcpy(p, buf, len);
	return ring_commit(r, len);
}

int ring_can_send(struct ring *r, size_t len)
{
	int rc = check_usable(r, RING_PRODUCER);
	if (rc < 0)
		return rc;
	if (len > r->max_msg)
		return CAEC_E_MSGSIZE;
	uint32_t rec = ring_rec_size((uint32_t)len), pad;
	if (is_mpsc(r)) {
		uint32_t h, at;
		rc = mpsc_snapshot(r, &h, &at);
		if (rc == CAEC_E_AGAIN)
			return 1; /* head is moving: there will be room; retry */
		if (rc < 0)
			return rc;
		return at + place(r, at, rec, &pad) - h <= r->cap;
	}
	uint32_t need = place(r, r->pos, rec, &pad);
	if (r->pos + need - r->peer <= r->cap)
		return 1;
	rc = refresh_head(r, r->pos);
	if (rc < 0)
		return rc;
	return r->pos + need - r->peer <= r->cap;
}

/* ---------------------------------------------------------------- consumer */

/* Check a header copied from index r->pos against what is available.
 * `avail` = bytes the producer(s) published/claimed beyond pos.
 * Returns the record size, or 0 when corrupt. */
static uint32_t check_hdr(const struct ring *r, uint64_t h, uint32_t avail,
			  uint32_t *len, bool *skip)
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
 * space; pairs with the acquire of head in refresh_head()/reserve_mpsc(). */
static inline void publish_head(struct ring *r)
{
	/* [model: consumer publishes head] */
	ca_store_release_u32(&r->ctl->cons.head, r->pos);
}

/* Consume `rec` bytes at pos (MPSC: zero them first). */
static inline void advance(struct ring *r, uint32_t rec)
{
	if (is_mpsc(r))
		memset(r->data + (r->pos & r->mask), 0, rec);
	r->pos += rec;
}

static int peek_one(struct ring *r, uint32_t *len, uint32_t *rec_out)
{
	/* Bounded: each skip record advances pos by >= 8 bytes. */
	for (uint32_t i = 0; i <= r->cap / CAEC_RING_REC_ALIGN; i++) {
		uint64_t h;
		uint32_t avail;
		uint32_t off = r->pos & r->mask;
		uint64_t *slot = (uint64_t *)(void *)(r->data + off);
		bool polled = false;
		if (is_mpsc(r)) {
			/* Acquire pairs with the release store of the header
			 * in put_hdr(): the record's bytes are visible. */
			h = ca_load_acquire_u64(slot);
			if (h == 0)
				return CAEC_E_AGAIN;
			/* Claims precede commits, so reserve covers it. */
			uint32_t res = ca_load_acquire_u32(&r->ctl->prod.reserve);
			avail = res - r->pos;
			if ((res & (CAEC_RING_REC_ALIGN - 1u)) != 0 ||
			    avail > r->cap)
				return fail(r);
		} else if (r->poll_next && r->peer == r->pos) {
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
				 * with the release of tail in finish(). */
				uint32_t t = ca_load_acquire_u32(&r->ctl->prod.tail);
				if ((t & (CAEC_RING_REC_ALIGN - 1u)) != 0)
					return fail(r);
				if (t - r->pos > r->cap) {
					/* Behind pos: legitimate only right after
					 * polled records, whose commit may not have
					 * stored tail yet (header is stored before
					 * tail): empty for now. */
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
		if (!is_mpsc(r)) {
			r->poll_next = ((uint32_t)(h >> 32) & STAMP_NEXT_CLEAR) != 0;
			if (polled)
				r->tail_lag_ok = 1;
			/* Keep "peer - pos" meaningful: a polled record may
			 * lie beyond the cached tail. */
			if (polled || r->peer - r->pos < rec)
				r->peer = r->pos + rec;
		}
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

int ring_peek(struct ring *r, const void **payload, size_t *len)
{
	int rc = check_usable(r, RING_CONSUMER);
	if (rc < 0)
		return rc;
	if (payload == NULL || len == NULL)
		return CAEC_E_INVAL;
	if (r->cur_span == 0) {
		/* Fast "still empty" answer of a polling SPSC consumer: the
		 * slot it polls is still zero (same acquire as peek_one()). */
		if (r->poll_next && r->peer == r->pos && !is_mpsc(r) &&
		    ca_load_acquire_u64((const uint64_t *)(const void *)(r->data + (r->pos & r->mask))) == 0)
			return CAEC_E_AGAIN;
		uint32_t l, rec;
		rc = peek_one(r, &l, &rec);
		if (rc < 0)
			return rc;
		r->cur_span = rec;
		r->cur_len = l;
	}
	*payload = r->data + (r->pos & r->mask) + CAEC_RING_REC_ALIGN;
	*len = r->cur_len;
	return 0;
}

int ring_release(struct ring *r)
{
	int rc = check_usable(r, RING_CONSUMER);
	if (rc < 0)
		return rc;
	if (r->cur_span == 0)
		return CAEC_E_STATE;
	advance(r, r->cur_span);
	r->cur_span = 0;
	publish_head(r);
	return 0;
}

int ring_recv(struct ring *r, void *buf, size_t cap)
{
	const void *p;
	size_t len;
	if (buf == NULL && cap != 0)
		return CAEC_E_INVAL;
	int rc = ring_peek(r, &p, &len);
	if (rc < 0)
		return rc;
	if (len > cap)
		return CAEC_E_MSGSIZE;
	if (len != 0)
		memcpy(buf, p, len);
	rc = ring_release(r);
	return rc < 0 ? rc : (int)len;
}

int ring_can_recv(struct ring *r)
{
	int rc = check_usable(r, RING_CONSUMER);
	if (rc < 0)
		return rc;
	if (r->cur_span != 0 || (!is_mpsc(r) && r->peer != r->pos))
		return 1;
	if (is_mpsc(r) || r->poll_next) {
		uint64_t *slot = (uint64_t *)(void *)(r->data + (r->pos & r->mask));
		/* Acquire pairs with the release in put_hdr(). */
		return ca_load_acquire_u64(slot) != 0;
	}
	/* Acquire pairs with the release of tail in finish(). */
	uint32_t t = ca_load_acquire_u32(&r->ctl->prod.tail);
	if (t == r->pos || (r->tail_lag_ok && r->pos - t <= r->cap))
		return 0; /* empty, or tail still catching up with polled records */
	return 1; /* data, or a corrupt tail: peek reports it */
}
