/* SPDX-License-Identifier: Apache-2.0 */
/*
 * csm-copy and csm-zerocopy: a real confidential shared memory region of
 * the sim platform (caec-simd), set up exactly as two realms would:
 *
 *   receiver (consumer realm)           sender (provider realm)
 *   caec_open, caec_self_id  --id-->    caec_open
 *                                       caec_share(size)
 *                            <--grant-- caec_grant(consumer id, RW)
 *   caec_attach(grant)       --ok-->
 *
 * (the IDs travel over the benchmark's control socket, standing in for
 * whatever channel the two applications already have).  Then:
 *  - csm-copy (the paper's CAEC mode): the same shmring as shm-plain,
 *    placed in the region; private payload copied in, copied out by the
 *    receiver -- exactly the work of shm-plain;
 *  - csm-zerocopy: the design's zero-copy ring, include/caec/ring.h, in
 *    the region: the sender reserves a span, fills the payload in place and
 *    commits; the receiver peeks, reads in place and releases.  The
 *    release is the acknowledgement: the stop-and-wait sender spins until
 *    the ring's consumer index (cons.head, read from the frozen layout of
 *    caec/abi/ring.h) has caught up with its producer index (prod.tail),
 *    i.e. everything it sent was released (the paper's "spin until the
 *    receiver acks").  Reading our own published tail back from shared
 *    memory is fine for a benchmark between cooperating realms; a library
 *    would keep a private shadow (the peer could rewrite it).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <caec/caec.h>
#include <caec/ring.h>
#include <caec_core/atomics.h>

#include "comm.h"

struct csm_state {
	struct comm_shmx x; /* first: the comm_shmx_* helpers use it */
	struct caec_ctx *ctx;
	struct caec_region *region;
	bool zc;                 /* csm-zerocopy: caec ring */
	struct caec_ring *ring;  /* csm-zerocopy endpoint */
	uint32_t ring_cap;
	struct caec_ring_abi *abi; /* csm-zerocopy: the ring's shared words */
	const void *peeked;        /* csm-zerocopy: message found by rx_wait */
	size_t peeked_len;
};

/* csm-zerocopy region: one caec ring. */
static uint32_t zc_capacity(const struct comm_opts *o)
{
	uint64_t need = 2 * ((uint64_t)o->max_msg + CAEC_RING_REC_ALIGN);
	uint64_t cap = CAEC_RING_MIN_CAPACITY;
	while (cap < need || cap * 2 <= o->ring_bytes)
		cap *= 2;
	return cap > CAEC_RING_MAX_CAPACITY ? 0 : (uint32_t)cap;
}

static struct csm_state *st(struct comm_chan *ch) { return ch->priv; }

static int csm_prepare(struct comm_chan *ch)
{
	struct csm_state *s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->x.memfd = -1; /* no hypervisor-visible memory */
	s->zc = ch->ops->tx_commit != comm_shmx_tx_copy;
	ch->priv = s;
	if (s->zc && (s->ring_cap = zc_capacity(ch->opts)) == 0) {
		snprintf(ch->why, sizeof(ch->why),
			 "unavailable: messages too large for a caec ring");
		return -EMSGSIZE;
	}
	return 0;
}

static int fail(struct comm_chan *ch, const char *what, int rc)
{
	snprintf(ch->why, sizeof(ch->why), "%s: %s", what, caec_strerror(rc));
	return -EIO;
}

static int csm_open(struct comm_chan *ch)
{
	struct csm_state *s = st(ch);
	struct caec_config cfg = { .size = sizeof(cfg) };
	uint64_t id = 0, grant = 0;
	int32_t ok;
	int rc;

	cfg.backend = "sim";
	cfg.sim_socket = ch->opts->sim_socket;
	rc = caec_open(&s->ctx, &cfg);
	if (ch->role == COMM_RX) {
		if (rc == 0 && (rc = caec_self_id(s->ctx, &id)) < 0)
			id = 0;
		if (comm_write_all(ch->ctl, &id, sizeof(id)) < 0)
			return -EPIPE;
		if (rc < 0)
			return fail(ch, "consumer caec_open", rc);
		if (comm_read_all(ch->ctl, &grant, sizeof(grant)) < 0)
			return -EPIPE;
		if (grant == 0)
			return -EIO;
		rc = caec_attach(s->ctx, grant, NULL, &s->region);
		ok = rc;
		if (comm_write_all(ch->ctl, &ok, sizeof(ok)) < 0)
			return -EPIPE;
		if (rc < 0)
			return fail(ch, "caec_attach", rc);
	} else {
		size_t bytes = s->zc ? CAEC_RING_BYTES(s->ring_cap)
				     : shmring_bytes(ch->opts->ring_bytes);
		bytes = (bytes + CAEC_GRANULE_SIZE - 1) &
			~(size_t)(CAEC_GRANULE_SIZE - 1);
		if (comm_read_all(ch->ctl, &id, sizeof(id)) < 0)
			return -EPIPE;
		if (rc == 0 && id == 0)
			rc = CAEC_E_PLATFORM;
		const char *what = "provider caec_open";
		if (rc == 0) {
			what = "caec_share";
			rc = caec_share(s->ctx, bytes, 0, &s->region);
		}
		if (rc == 0 && s->zc) {
			/* format before anyone else can map it */
			what = "caec_ring_format";
			rc = caec_ring_format(caec_region_addr(s->region),
					      caec_region_size(s->region),
					      s->ring_cap, 0);
		}
		if (rc == 0) {
			what = "caec_grant";
			rc = caec_grant(s->region, id, CAEC_PERM_RW, NULL, &grant);
		}
		if (rc < 0)
			grant = 0;
		if (comm_write_all(ch->ctl, &grant, sizeof(grant)) < 0)
			return -EPIPE;
		if (rc < 0)
			return fail(ch, what, rc);
		if (comm_read_all(ch->ctl, &ok, sizeof(ok)) < 0)
			return -EPIPE;
		if (ok < 0)
			return fail(ch, "consumer caec_attach", ok);
	}
	s->x.base = caec_region_addr(s->region);
	s->x.bytes = caec_region_size(s->region);
	snprintf(ch->note, sizeof(ch->note), "CSM region %zu B via caec-simd",
		 s->x.bytes);
	if (!s->zc)
		return comm_shmx_open(ch, 0);
	comm_prefault(s->x.base, s->x.bytes);
	rc = caec_ring_create(s->x.base, s->x.bytes,
			      ch->role == COMM_TX ? CAEC_RING_PRODUCER
						  : CAEC_RING_CONSUMER,
			      &s->ring);
	if (rc < 0)
		return fail(ch, "caec_ring_create", rc);
	s->abi = s->x.base;
	snprintf(ch->note, sizeof(ch->note),
		 "CSM region %zu B via caec-simd; caec ring capacity %u B",
		 s->x.bytes, s->ring_cap);
	return 0;
}

static void csm_close(struct comm_chan *ch)
{
	struct csm_state *s = st(ch);
	comm_shmx_close(ch);
	caec_ring_destroy(s->ring);
	s->ring = NULL;
	/* closing the context detaches / destroys what it holds */
	caec_close(s->ctx);
	s->ctx = NULL;
	s->region = NULL;
	s->x.base = NULL;
}

static void csm_unprepare(struct comm_chan *ch)
{
	free(ch->priv);
	ch->priv = NULL;
}

/* csm-zerocopy: reserve/fill/commit in place; peek/read/release in place. */
static int zc_configure(struct comm_chan *ch, size_t size)
{
	return size <= caec_ring_max_msg(st(ch)->ring) ? 0 : -EMSGSIZE;
}

static void *zc_reserve(struct comm_chan *ch, size_t len, uint64_t seq)
{
	struct csm_state *s = st(ch);
	struct comm_spin sp;
	void *p;
	(void)seq;
	comm_spin_init(&sp);
	for (;;) {
		int rc = caec_ring_reserve(s->ring, len, &p);
		if (rc == 0)
			return p;
		if (rc != CAEC_E_AGAIN || !comm_spin_step(&sp))
			return NULL;
	}
}

static int zc_commit(struct comm_chan *ch, size_t len, uint64_t seq)
{
	(void)seq;
	return caec_ring_commit(st(ch)->ring, len) < 0 ? -EPROTO : 0;
}

/* Everything committed so far was released (seq was the last commit). */
static int zc_wait(struct comm_chan *ch, uint64_t seq)
{
	struct csm_state *s = st(ch);
	struct comm_spin sp;
	(void)seq;
	/* our own index: only this producer writes it */
	uint32_t tail = ca_load_relaxed_u32(&s->abi->prod.tail);
	comm_spin_init(&sp);
	/* pairs with the consumer's release of head in caec_ring_release */
	while (ca_load_acquire_u32(&s->abi->cons.head) != tail)
		if (!comm_spin_step(&sp))
			return -ETIMEDOUT;
	return 0;
}

/* Spin on peek itself: the message it returns is what zc_get hands out. */
static int zc_rx_wait(struct comm_chan *ch, uint64_t seq)
{
	struct csm_state *s = st(ch);
	struct comm_spin sp;
	(void)seq;
	comm_spin_init(&sp);
	for (;;) {
		int rc = caec_ring_peek(s->ring, &s->peeked, &s->peeked_len);
		if (rc == 0)
			return 0;
		if (rc != CAEC_E_AGAIN)
			return -EPROTO;
		if (!comm_spin_step(&sp))
			return -ETIMEDOUT;
	}
}

static int zc_get(struct comm_chan *ch, uint64_t seq, const void **p,
		  size_t *len)
{
	struct csm_state *s = st(ch);
	(void)seq;
	if (!s->peeked)
		return -EPROTO;
	*p = s->peeked;
	*len = s->peeked_len;
	return 0;
}

static int zc_put(struct comm_chan *ch, uint64_t seq, bool ack)
{
	(void)seq;
	(void)ack; /* the release (cons.head) is the ack */
	st(ch)->peeked = NULL;
	return caec_ring_release(st(ch)->ring) < 0 ? -EPROTO : 0;
}

static const char *csm_version(void)
{
	static char v[64];
	snprintf(v, sizeof(v), "libcaec %s (sim backend), no cryptography",
		 caec_version());
	return v;
}

const struct comm_mode_ops comm_mode_csm_copy = {
	.name = "csm-copy",
	.what = "CSM region (caec_share/grant/attach), plaintext copy in, "
		"copy out (paper's CAEC mode)",
	.prepare = csm_prepare,
	.open = csm_open,
	.configure = comm_shmx_configure,
	.tx_reserve = comm_shmx_tx_private,
	.tx_commit = comm_shmx_tx_copy,
	.tx_wait = comm_shmx_tx_wait,
	.rx_wait = comm_shmx_rx_wait,
	.rx_get = comm_shmx_rx_copy,
	.rx_put = comm_shmx_rx_put,
	.close = csm_close,
	.unprepare = csm_unprepare,
	.version = csm_version,
};

const struct comm_mode_ops comm_mode_csm_zerocopy = {
	.name = "csm-zerocopy",
	.what = "CSM region, caec ring (caec/ring.h): reserve, fill in "
		"place, commit; peek, read in place, release",
	.prepare = csm_prepare,
	.open = csm_open,
	.configure = zc_configure,
	.tx_reserve = zc_reserve,
	.tx_commit = zc_commit,
	.tx_wait = zc_wait,
	.rx_wait = zc_rx_wait,
	.rx_get = zc_get,
	.rx_put = zc_put,
	.close = csm_close,
	.unprepare = csm_unprepare,
	.version = csm_version,
};
