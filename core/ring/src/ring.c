/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/ring: SPSC and MPSC message rings in shared memory, hardened against
 * a malicious peer.  Protocol and validation rules: docs/rings.md.  The
 * Promela model core/ring/model/ring_doorbell.pml mirrors the steps marked
 * "[model: ...]" in spsc.c and mpsc.c.
 *
 * Indices are free-running u32 byte counters; data offset = index & mask.
 * Records are 8-byte aligned: u64 header {len | stamp << 32}, payload.
 * stamp = record index | COMMIT (| PAD for a skip record).
 *
 * This file formats and attaches rings and holds the public calls: each
 * checks the endpoint's role and state and its arguments, then takes the
 * SPSC path (spsc.c: tail, the zeroed window, the predicted slot, the
 * polling consumer) or the MPSC path (mpsc.c: CAS claims, per-record
 * publication, the zeroing consumer).  The header and the checks both
 * paths apply to shared memory are in internal.h.
 */
#include <string.h>

#include "internal.h"

static inline int check_usable(const struct ring *r, enum ring_role role)
{
	if (r == NULL || r->role != (int)role)
		return CAEC_E_INVAL;
	if (r->broken)
		return CAEC_E_PEER;
	return 0;
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
	return is_mpsc(r) ? ring_mpsc_reserve(r, rec, payload)
			  : ring_spsc_reserve(r, rec, payload);
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
	if (is_mpsc(r)) {
		ring_mpsc_commit(r, (uint32_t)len);
		return 0;
	}
	return ring_spsc_commit(r, (uint32_t)len);
}

int ring_cancel(struct ring *r)
{
	int rc = check_usable(r, RING_PRODUCER);
	if (rc < 0)
		return rc;
	if (r->cur_span == 0)
		return CAEC_E_STATE;
	if (is_mpsc(r))
		ring_mpsc_cancel(r);
	else
		ring_spsc_cancel(r);
	return 0;
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
	uint32_t rec = ring_rec_size((uint32_t)len);
	return is_mpsc(r) ? ring_mpsc_can_send(r, rec)
			  : ring_spsc_can_send(r, rec);
}

/* ---------------------------------------------------------------- consumer */

int ring_peek(struct ring *r, const void **payload, size_t *len)
{
	int rc = check_usable(r, RING_CONSUMER);
	if (rc < 0)
		return rc;
	if (payload == NULL || len == NULL)
		return CAEC_E_INVAL;
	if (r->cur_span == 0) {
		uint32_t l, rec;
		rc = is_mpsc(r) ? ring_mpsc_peek(r, &l, &rec)
				: ring_spsc_peek(r, &l, &rec);
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
	if (is_mpsc(r))
		ring_mpsc_release(r);
	else
		ring_spsc_release(r);
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
	if (r->cur_span != 0)
		return 1;
	return is_mpsc(r) ? ring_mpsc_can_recv(r) : ring_spsc_can_recv(r);
}
