/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/ring -- the ring protocol on a base pointer and a size.
 *
 * Portable core: no OS calls, no allocation, no stdio.  One `struct ring`
 * is one endpoint (a producer or the consumer) of one ring whose shared
 * bytes follow include/caec/abi/ring.h.  Everything this endpoint must
 * trust lives in the struct (private memory): the capacity and limits
 * copied from the header at ring_init(), our own index, the cached peer
 * index and the outstanding zero-copy reservation.  The shared bytes are
 * read with single loads, copied, validated, and only then used; a failed
 * check marks the endpoint broken (the call returns CAEC_E_CORRUPT, every
 * later call CAEC_E_PEER), like virtio's `broken` flag.
 *
 * Thread model: one endpoint is used by one thread at a time (the caller
 * serializes).  SPSC rings have exactly one producer endpoint; MPSC rings
 * (CAEC_RING_FEAT_MPSC) any number, each with its own struct ring.
 *
 * Return values are 0 / a byte count, or a negative enum caec_err.
 */
#ifndef CAEC_CORE_RING_H
#define CAEC_CORE_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <caec/abi/ring.h>
#include <caec/error.h>

enum ring_role {
	RING_PRODUCER = 1,
	RING_CONSUMER = 2,
};

/* SPSC producer: the zeroed window kept ahead of small records (records
 * of up to this many bytes minus 8; see zero_ahead() in src/spsc.c). */
#ifndef RING_ZERO_AHEAD
#define RING_ZERO_AHEAD 256u
#endif

/* Maximum CAS attempts of an MPSC claim before giving up with AGAIN. */
#define RING_MPSC_CLAIM_TRIES 256u

struct ring {
	struct caec_ring_abi *ctl; /* shared control block */
	uint8_t *data;             /* shared data area */
	uint32_t cap;              /* private copy, validated */
	uint32_t mask;
	uint32_t max_msg;
	uint32_t features;
	int role;
	int broken;                /* 0, or set once a check failed */
	int poll_next;             /* consumer, SPSC: the slot at pos is zero or
				    * a fresh header (NEXT_CLEAR seen): poll it
				    * instead of reading tail */
	int tail_lag_ok;           /* consumer, SPSC: the last record was found
				    * by polling, so tail may still lag behind
				    * pos by that record (and its padding) */
	uint32_t pos;              /* our index: producer tail / consumer head */
	uint32_t peer;             /* cached peer index: head (prod) / tail (cons, SPSC) */
	uint32_t clear_to;         /* producer, SPSC: the bytes [pos, clear_to)
				    * are zero, written so by us and untouched
				    * since (see zero_ahead() in src/spsc.c) */
	uint32_t pred_at;          /* producer, SPSC: if pred_ok, the 8 bytes at
				    * this index are zero, written so by us and
				    * untouched since (zero_predicted()) */
	int pred_ok;
	/* outstanding zero-copy operation (private) */
	uint32_t cur_start;        /* index where it starts (pad included) */
	uint32_t cur_rec;          /* index of its record header */
	uint32_t cur_span;         /* bytes from cur_start to its end; 0 = none */
	uint32_t cur_len;          /* payload bytes reserved / peeked */
};

/* Bytes one record of `len` payload bytes occupies. */
static inline uint32_t ring_rec_size(uint32_t len)
{
	return CAEC_RING_REC_ALIGN +
	       ((len + CAEC_RING_REC_ALIGN - 1u) & ~(CAEC_RING_REC_ALIGN - 1u));
}

/* Largest capacity (power of two) whose ring fits `size` bytes; 0 if none. */
uint32_t ring_capacity_for(size_t size);

/* Write an empty ring of `cap` data bytes at base (size bytes available).
 * base must be CAEC_ABI_CACHELINE-aligned.  Zeroes the whole ring. */
int ring_format(void *base, size_t size, uint32_t cap, uint32_t features);

/* Attach an endpoint to a formatted ring: copies and checks the header.
 * Returns CAEC_E_CORRUPT on a bad header (the endpoint stays unusable). */
int ring_init(struct ring *r, void *base, size_t size, enum ring_role role);

/* Producer: reserve room for `len` payload bytes; *payload receives one
 * contiguous span in the ring.  CAEC_E_AGAIN when full, CAEC_E_MSGSIZE when
 * len > max_msg, CAEC_E_STATE when a reservation is outstanding. */
int ring_reserve(struct ring *r, size_t len, void **payload);
/* Producer: publish the reservation with `len` <= reserved bytes. */
int ring_commit(struct ring *r, size_t len);
/* Producer: drop the reservation (MPSC: published as a skip record). */
int ring_cancel(struct ring *r);
/* Producer: copy len bytes in (reserve + memcpy + commit). */
int ring_send(struct ring *r, const void *buf, size_t len);
/* Producer: 1 if a message of len bytes fits now, 0 if not, or an error. */
int ring_can_send(struct ring *r, size_t len);

/* Consumer: the next message in place.  *len receives its length (a
 * private copy).  CAEC_E_AGAIN when empty.  Calling it again before
 * ring_release() returns the same message. */
int ring_peek(struct ring *r, const void **payload, size_t *len);
/* Consumer: give the peeked message's space back to the producer(s). */
int ring_release(struct ring *r);
/* Consumer: copy the next message out.  Returns its length;
 * CAEC_E_MSGSIZE if it is longer than cap (the message stays). */
int ring_recv(struct ring *r, void *buf, size_t cap);
/* Consumer: 1 if a message (or a corrupt state) is there, 0 if empty. */
int ring_can_recv(struct ring *r);

/* The two doorbell words of the ring (shared memory). */
static inline uint32_t *ring_data_bell(struct ring *r)
{
	return &r->ctl->data_bell.word;
}
static inline uint32_t *ring_space_bell(struct ring *r)
{
	return &r->ctl->space_bell.word;
}
static inline uint32_t ring_max_msg(const struct ring *r)
{
	return r->max_msg;
}
static inline bool ring_is_broken(const struct ring *r)
{
	return r->broken != 0;
}

#endif /* CAEC_CORE_RING_H */
