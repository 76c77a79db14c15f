/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The benchmark's fixed-slot SPSC ring over one shared memory block.
 *
 * Used by every shared-memory mode (shm-plain, the AES-GCM modes and the
 * CSM modes), so that they differ only in what they do to the payload, not
 * in the synchronization.  Stop-and-wait is this ring used with one message
 * in flight; the pipelined phase fills every slot.
 *
 *   0    producer line: u64 tail  (messages published; producer-written)
 *   128  consumer line: u64 head  (messages released; consumer-written)
 *   256  slot[0] .. slot[n-1], each: 64-byte meta {u64 seq, u64 len}
 *        followed by the data area (stride a multiple of 64)
 *
 * Counters are free-running u64 message counts; slot = seq % nslots.  The
 * slot geometry is recomputed by both sides for each message size while the
 * ring is empty (configure()).  The consumer copies meta to locals and
 * checks it against the slot before use (the peer is not trusted).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <caec_core/atomics.h>

#include "comm.h"

#define RING_HDR 256u
#define SLOT_META 64u

struct shmring {
	unsigned char *base;
	size_t bytes;
	unsigned max_slots;
	size_t extra;      /* bytes a slot carries beyond the payload */
	/* geometry for the current size */
	size_t stride, cap;
	unsigned nslots;
	/* private shadows */
	uint64_t head_cache;
};

static uint64_t *tail_p(struct shmring *r) { return (uint64_t *)(void *)r->base; }
static uint64_t *head_p(struct shmring *r)
{
	return (uint64_t *)(void *)(r->base + 128);
}
static unsigned char *slot_p(struct shmring *r, uint64_t seq)
{
	return r->base + RING_HDR + (size_t)(seq % r->nslots) * r->stride;
}

size_t shmring_bytes(size_t ring_bytes) { return RING_HDR + ring_bytes; }

struct shmring *shmring_new(void *base, size_t bytes, unsigned max_slots,
			    size_t extra)
{
	struct shmring *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->base = base;
	r->bytes = bytes;
	r->max_slots = max_slots ? max_slots : 1;
	r->extra = extra;
	return r;
}

void shmring_free(struct shmring *r) { free(r); }

int shmring_configure(struct shmring *r, size_t size)
{
	size_t stride = (SLOT_META + size + r->extra + 63) & ~(size_t)63;
	if (r->bytes < RING_HDR + stride)
		return -EMSGSIZE;
	size_t n = (r->bytes - RING_HDR) / stride;
	if (n > r->max_slots)
		n = r->max_slots;
	r->stride = stride;
	r->cap = stride - SLOT_META;
	r->nslots = (unsigned)n;
	/* pairs with the consumer's release of head in shmring_rx_release */
	r->head_cache = ca_load_acquire_u64(head_p(r));
	return 0;
}

unsigned shmring_window(const struct shmring *r) { return r->nslots; }
size_t shmring_slot_cap(const struct shmring *r) { return r->cap; }

void *shmring_tx_slot(struct shmring *r, uint64_t seq)
{
	struct comm_spin s;
	comm_spin_init(&s);
	while (seq - r->head_cache >= r->nslots) {
		/* pairs with the release of head in shmring_rx_release */
		r->head_cache = ca_load_acquire_u64(head_p(r));
		if (seq - r->head_cache < r->nslots)
			break;
		if (!comm_spin_step(&s))
			return NULL;
	}
	return slot_p(r, seq) + SLOT_META;
}

int shmring_tx_publish(struct shmring *r, uint64_t seq, size_t len)
{
	uint64_t *meta = (uint64_t *)(void *)slot_p(r, seq);
	if (len > r->cap)
		return -EMSGSIZE;
	ca_store_relaxed_u64(&meta[0], seq);
	ca_store_relaxed_u64(&meta[1], len);
	/* publishes the slot's meta and data; pairs with the acquire of
	 * tail in shmring_rx_slot */
	ca_store_release_u64(tail_p(r), seq + 1);
	return 0;
}

int shmring_tx_wait(struct shmring *r, uint64_t seq)
{
	struct comm_spin s;
	comm_spin_init(&s);
	while (r->head_cache <= seq) {
		/* pairs with the release of head in shmring_rx_release */
		r->head_cache = ca_load_acquire_u64(head_p(r));
		if (r->head_cache > seq)
			break;
		if (!comm_spin_step(&s))
			return -ETIMEDOUT;
	}
	return 0;
}

int shmring_rx_slot(struct shmring *r, uint64_t seq, void **p, size_t *len)
{
	struct comm_spin s;
	comm_spin_init(&s);
	/* pairs with the release of tail in shmring_tx_publish */
	while (ca_load_acquire_u64(tail_p(r)) <= seq) {
		if (!comm_spin_step(&s))
			return -ETIMEDOUT;
	}
	unsigned char *slot = slot_p(r, seq);
	uint64_t mseq = ca_load_relaxed_u64((uint64_t *)(void *)slot);
	uint64_t mlen = ca_load_relaxed_u64((uint64_t *)(void *)slot + 1);
	if (mseq != seq || mlen > r->cap)
		return -EPROTO; /* hostile or broken peer */
	*p = slot + SLOT_META;
	*len = (size_t)mlen;
	return 0;
}

void shmring_rx_release(struct shmring *r, uint64_t seq)
{
	/* hands the slot back; pairs with the acquires of head in
	 * shmring_tx_slot / shmring_tx_wait */
	ca_store_release_u64(head_p(r), seq + 1);
}
