/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Channels: one region = channel header + two rings + their doorbells.
 * Layout: include/caec/abi/ring.h.  Protocol: docs/rings.md.
 *
 * Memory-safety against revocation: a consumer's mapping can be replaced
 * by an inaccessible one at any time, so every access to the region from
 * the consumer side is bracketed by caec_region_enter()/leave() (a short
 * RCU read-side section; never held while sleeping).  The futex sleep runs
 * outside it; the channel's region hook marks the channel closed and
 * kicks every doorbell before the mapping goes, and a futex on a mapping
 * that is already gone fails with EFAULT, which reads as CAEC_E_CLOSED.
 */
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <caec/abi/ring.h>
#include <caec/caec.h>
#include <caec/channel.h>
#include <caec_core/atomics.h>
#include <doorbell/doorbell.h>
#include <ring/ring.h>

#include <backend/backend.h>

#include "internal.h"
#include "chan.h"
#include "futex.h"

static int enter(struct caec_channel *ch)
{
	if (atomic_load_explicit(&ch->closed, memory_order_acquire) & LOST_ACCESS)
		return CAEC_E_CLOSED;
	if (!ch->guard)
		return 0;
	if (caec_region_enter(ch->region) == NULL) {
		caec_region_leave(ch->region);
		return CAEC_E_CLOSED;
	}
	return 0;
}

static void leave(struct caec_channel *ch)
{
	if (ch->guard)
		caec_region_leave(ch->region);
}

/* The doorbell's guard: its announce + re-check run inside a section. */
static int guard_enter(void *arg)
{
	return enter(arg);
}
static void guard_leave(void *arg)
{
	leave(arg);
}

/* True when the peer said it closed (or detached).  Acquire: pairs with
 * the release of its state in caec_channel_destroy(), so everything it
 * sent before is visible to the ring reads that follow. */
static bool peer_closed(struct caec_channel *ch)
{
	if (atomic_load_explicit(&ch->closed, memory_order_acquire) & PEER_GONE)
		return true;
	return ch->peer_state != NULL &&
	       (ca_load_acquire_u32(ch->peer_state) & CAEC_CHAN_ST_CLOSED) != 0;
}

static void kick_all(struct caec_channel *ch)
{
	if (ch->has_tx) {
		doorbell_kick(ring_data_bell(&ch->tx), &caec_priv_futex_ops);
		doorbell_kick(ring_space_bell(&ch->tx), &caec_priv_futex_ops);
	}
	if (ch->has_rx) {
		doorbell_kick(ring_data_bell(&ch->rx), &caec_priv_futex_ops);
		doorbell_kick(ring_space_bell(&ch->rx), &caec_priv_futex_ops);
	}
}

/* Runs on the library's event thread; for REVOKED before the unmap. */
static void on_region_event(struct caec_region *r, int ev, uint64_t grant,
			    void *arg)
{
	(void)grant;
	struct caec_channel *ch = arg;
	uint32_t bit = 0;
	if (ev == CAEC_REGION_EV_REVOKED)
		bit = LOST_ACCESS;
	else if (ev == CAEC_REGION_EV_PEER_DETACHED && !ch->many)
		bit = PEER_GONE;
	if (bit == 0)
		return;
	/* Set the flag before the kicks: a waiter re-checks it after its
	 * announce, and a kick changes the word it would sleep on. */
	atomic_fetch_or_explicit(&ch->closed, bit, memory_order_seq_cst);
	/* Where the platform took the memory away first (rsi), a kick would
	 * fault; a sleeper's own wait ends there anyway (CAEC_E_CLOSED). */
	if (bit == LOST_ACCESS && caec_priv_revoked_memory_gone(r))
		return;
	kick_all(ch);
}

/* ------------------------------------------------------------ set-up */

/* A ring capacity ring_format() accepts. */
static bool cap_valid(uint32_t cap)
{
	return cap >= CAEC_RING_MIN_CAPACITY && cap <= CAEC_RING_MAX_CAPACITY &&
	       (cap & (cap - 1u)) == 0;
}

static int format(struct caec_channel *ch, uint8_t *base, size_t size,
		  const struct caec_channel_opts *opts)
{
	uint32_t flags = opts ? opts->flags : 0;
	uint32_t pc = opts ? opts->p2c_capacity : 0;
	uint32_t cp = opts ? opts->c2p_capacity : 0;
	if ((flags & ~CAEC_CHANNEL_F_MANY_TO_ONE) != 0)
		return CAEC_E_INVAL;
	bool many = (flags & CAEC_CHANNEL_F_MANY_TO_ONE) != 0;
	if (size < CAEC_CHAN_HDR_SIZE)
		return CAEC_E_MSGSIZE;
	size_t avail = size - CAEC_CHAN_HDR_SIZE;
	if (many) {
		pc = 0;
		if (cp == 0)
			cp = ring_capacity_for(avail);
	} else {
		if (pc == 0)
			pc = ring_capacity_for(avail / 2);
		if (cp == 0)
			cp = ring_capacity_for(avail / 2);
	}
	if (cp == 0 || (!many && pc == 0))
		return CAEC_E_MSGSIZE;
	/* Validate everything before the first write: a failed call must
	 * leave the region (maybe a live channel) untouched. */
	if (!cap_valid(cp) || (!many && !cap_valid(pc)))
		return CAEC_E_RANGE;
	uint64_t p2c_off = many ? 0 : CAEC_CHAN_HDR_SIZE;
	uint64_t c2p_off = many ? CAEC_CHAN_HDR_SIZE
				: CAEC_CHAN_HDR_SIZE + CAEC_RING_BYTES(pc);
	if (c2p_off + CAEC_RING_BYTES(cp) > size)
		return CAEC_E_MSGSIZE;
	struct caec_chan_abi *h = (struct caec_chan_abi *)(void *)base;
	/* Unpublish first: a consumer that looks now sees no magic. */
	ca_store_release_u32(&h->magic, 0);
	int rc;
	if (!many) {
		rc = ring_format(base + p2c_off, size - p2c_off, pc, 0);
		if (rc < 0)
			return rc;
	}
	rc = ring_format(base + c2p_off, size - c2p_off, cp,
			 many ? CAEC_RING_FEAT_MPSC : 0);
	if (rc < 0)
		return rc;
	memset((uint8_t *)h + sizeof(h->magic), 0, sizeof(*h) - sizeof(h->magic));
	h->major = CAEC_CHAN_MAJOR;
	h->minor = CAEC_CHAN_MINOR;
	h->features = many ? CAEC_CHAN_FEAT_MANY_TO_ONE : 0;
	h->p2c_off = p2c_off;
	h->c2p_off = c2p_off;
	h->p2c_cap = pc;
	h->c2p_cap = cp;
	h->prov_state = CAEC_CHAN_ST_OPEN;
	/* Release: the header and both rings are written before the magic;
	 * pairs with the acquire of magic in open_consumer(). */
	ca_store_release_u32(&h->magic, CAEC_CHAN_MAGIC);
	ch->many = many;
	if (!many) {
		rc = ring_init(&ch->tx, base + p2c_off, size - p2c_off, RING_PRODUCER);
		if (rc < 0)
			return rc;
		ch->has_tx = true;
		ch->peer_state = &h->cons_state;
	}
	rc = ring_init(&ch->rx, base + c2p_off, size - c2p_off, RING_CONSUMER);
	if (rc < 0)
		return rc;
	ch->has_rx = true;
	ch->my_state = &h->prov_state;
	return 0;
}

static int open_consumer(struct caec_channel *ch, uint8_t *base, size_t size)
{
	if (size < CAEC_CHAN_HDR_SIZE)
		return CAEC_E_CORRUPT;
	struct caec_chan_abi *sh = (struct caec_chan_abi *)(void *)base;
	/* Acquire pairs with the release of magic in format(). */
	uint32_t magic = ca_load_acquire_u32(&sh->magic);
	struct caec_chan_abi h;
	memcpy(&h, sh, sizeof(h)); /* copy once, check the copy */
	if (magic != CAEC_CHAN_MAGIC || h.major != CAEC_CHAN_MAJOR ||
	    (h.features & ~CAEC_CHAN_FEAT_KNOWN) != 0)
		return CAEC_E_CORRUPT;
	bool many = (h.features & CAEC_CHAN_FEAT_MANY_TO_ONE) != 0;
	/* Rings: 64-byte aligned, inside the region, not overlapping the
	 * header or each other. */
	uint64_t c2p_end = h.c2p_off + CAEC_RING_BYTES(h.c2p_cap);
	if (h.c2p_off % CAEC_ABI_CACHELINE != 0 || h.c2p_off < CAEC_CHAN_HDR_SIZE ||
	    h.c2p_off > size || h.c2p_cap > CAEC_RING_MAX_CAPACITY ||
	    c2p_end > size)
		return CAEC_E_CORRUPT;
	if (many) {
		if (h.p2c_off != 0 || h.p2c_cap != 0)
			return CAEC_E_CORRUPT;
	} else {
		if (h.p2c_off != CAEC_CHAN_HDR_SIZE ||
		    h.p2c_cap > CAEC_RING_MAX_CAPACITY ||
		    h.p2c_off + CAEC_RING_BYTES(h.p2c_cap) > h.c2p_off)
			return CAEC_E_CORRUPT;
	}
	int rc;
	ch->many = many;
	if (!many) {
		rc = ring_init(&ch->rx, base + h.p2c_off,
			       (size_t)(h.c2p_off - h.p2c_off), RING_CONSUMER);
		if (rc < 0)
			return rc == CAEC_E_MSGSIZE ? CAEC_E_CORRUPT : rc;
		ch->has_rx = true;
		ch->my_state = &sh->cons_state;
		ca_store_release_u32(ch->my_state, CAEC_CHAN_ST_OPEN);
	}
	rc = ring_init(&ch->tx, base + h.c2p_off, (size_t)(size - h.c2p_off),
		       RING_PRODUCER);
	if (rc < 0)
		return rc == CAEC_E_MSGSIZE ? CAEC_E_CORRUPT : rc;
	ch->has_tx = true;
	ch->peer_state = &sh->prov_state;
	return 0;
}

static int create_common(struct caec_region *region, void *base, size_t size,
			 bool provider, const struct caec_channel_opts *opts,
			 struct caec_channel **out)
{
	if (out == NULL || base == NULL ||
	    ((uintptr_t)base & (CAEC_ABI_CACHELINE - 1u)) != 0)
		return CAEC_E_INVAL;
	if (opts != NULL && opts->size < sizeof(*opts))
		return CAEC_E_INVAL;
	struct caec_channel *ch = calloc(1, sizeof(*ch));
	if (ch == NULL)
		return CAEC_E_NOMEM;
	ch->region = region;
	ch->provider = provider;
	ch->hdr = base;
	atomic_init(&ch->closed, 0);
	/* Only a consumer's mapping can be withdrawn under it. */
	ch->guard = region != NULL && !provider;
	int rc = enter(ch);
	if (rc < 0)
		goto fail;
	if (region != NULL) {
		/* One live channel per region: a provider's second one would
		 * re-format the region under the first and lose what is
		 * queued; a one-to-one consumer end admits no second end.
		 * Many-to-one consumer ends may share the region. */
		bool excl = provider;
		if (!provider && size >= CAEC_CHAN_HDR_SIZE) {
			const struct caec_chan_abi *sh = base;
			uint32_t feat = ca_load_acquire_u32(&sh->features);
			excl = (feat & CAEC_CHAN_FEAT_MANY_TO_ONE) == 0;
		}
		rc = caec_priv_region_channel_get(region, excl);
		if (rc < 0) {
			leave(ch);
			goto fail;
		}
		ch->claimed = true;
		ch->exclusive = excl;
	}
	rc = provider ? format(ch, base, size, opts)
		      : open_consumer(ch, base, size);
	if (rc == 0 && ch->claimed && !provider && ch->many == ch->exclusive)
		rc = CAEC_E_CORRUPT; /* the layout changed under us */
	leave(ch);
	if (rc < 0)
		goto fail;
	if (region != NULL) {
		/* A hook of our own, not the region's handler: the
		 * application's handler stays, and runs after ours. */
		ch->hook.fn = on_region_event;
		ch->hook.arg = ch;
		caec_priv_region_hook_add(region, &ch->hook);
		ch->hooked = true;
	}
	*out = ch;
	return 0;
fail:
	if (ch->claimed)
		caec_priv_region_channel_put(region, ch->exclusive);
	free(ch);
	return rc;
}

CAEC_EXPORT int caec_channel_create(struct caec_region *r,
				    const struct caec_channel_opts *opts,
				    struct caec_channel **out)
{
	if (r == NULL || out == NULL)
		return CAEC_E_INVAL;
	if (caec_priv_forked(r->ctx))
		return CAEC_E_FORKED;
	if (caec_region_perm(r) != CAEC_PERM_RW)
		return CAEC_E_PERM;
	bool provider = caec_region_is_provider(r);
	void *base = caec_region_addr(r);
	if (base == NULL || caec_priv_region_closing(r))
		return CAEC_E_CLOSED;
	return create_common(r, base, caec_region_size(r), provider, opts, out);
}

CAEC_EXPORT int caec_channel_create_mem(void *base, size_t size,
					enum caec_channel_role role,
					const struct caec_channel_opts *opts,
					struct caec_channel **out)
{
	if (role != CAEC_CHANNEL_PROVIDER && role != CAEC_CHANNEL_CONSUMER)
		return CAEC_E_INVAL;
	return create_common(NULL, base, size, role == CAEC_CHANNEL_PROVIDER,
			     opts, out);
}

CAEC_EXPORT void caec_channel_destroy(struct caec_channel *ch)
{
	if (ch == NULL)
		return;
	caec_priv_channel_unwatch(ch);
	if (ch->hooked)
		caec_priv_region_hook_remove(ch->region, &ch->hook);
	if (ch->claimed)
		caec_priv_region_channel_put(ch->region, ch->exclusive);
	if (enter(ch) == 0) {
		if (ch->my_state != NULL)
			/* Release: everything we sent is published before the
			 * peer sees CLOSED; pairs with peer_closed(). */
			ca_store_release_u32(ch->my_state,
					     CAEC_CHAN_ST_OPEN | CAEC_CHAN_ST_CLOSED);
		kick_all(ch);
		leave(ch);
	}
	free(ch);
}

CAEC_EXPORT size_t caec_channel_max_msg(const struct caec_channel *ch)
{
	return ch != NULL && ch->has_tx ? ring_max_msg(&ch->tx) : 0;
}

CAEC_EXPORT size_t caec_channel_region_size(size_t msg_len, uint32_t flags)
{
	if ((flags & ~CAEC_CHANNEL_F_MANY_TO_ONE) != 0 ||
	    msg_len > CAEC_RING_MAX_MSG(CAEC_RING_MAX_CAPACITY))
		return 0;
	/* The smallest power-of-two capacity whose largest message
	 * (capacity / 2 - record header) holds msg_len. */
	uint64_t cap = CAEC_RING_MIN_CAPACITY;
	while (CAEC_RING_MAX_MSG(cap) < msg_len)
		cap <<= 1;
	/* format() gives a many-to-one ring all the space after the channel
	 * header, each one-to-one ring half of it (ring_capacity_for()). */
	uint64_t rings = (flags & CAEC_CHANNEL_F_MANY_TO_ONE) ? 1 : 2;
	uint64_t need = CAEC_CHAN_HDR_SIZE + rings * CAEC_RING_BYTES(cap);
	uint64_t g = CAEC_GRANULE_SIZE;
	uint64_t size = (need + g - 1) / g * g;
	return size > SIZE_MAX ? 0 : (size_t)size;
}

/* ------------------------------------------------------------ waiting */

static int send_ready(void *arg)
{
	struct caec_channel *ch = arg;
	int rc = enter(ch);
	if (rc < 0)
		return rc;
	if (peer_closed(ch))
		rc = CAEC_E_CLOSED;
	else
		rc = ring_can_send(&ch->tx, ch->want);
	leave(ch);
	return rc;
}

static int recv_ready(void *arg)
{
	struct caec_channel *ch = arg;
	int rc = enter(ch);
	if (rc < 0)
		return rc;
	/* Closed-then-empty order: see rx_op(). */
	bool closed = peer_closed(ch);
	rc = ring_can_recv(&ch->rx);
	if (rc == 0 && closed)
		rc = 1; /* let rx_op() report CAEC_E_CLOSED */
	leave(ch);
	return rc;
}

/* ------------------------------------------------- readiness (wait.c) */

/* Inside a section (or on memory that cannot go away). */
static uint32_t ready_locked(struct caec_channel *ch, uint32_t events, size_t send_len)
{
	uint32_t r = 0;
	/* Closed-then-ring order, as in recv: see rx_op(). */
	if (peer_closed(ch))
		r |= CAEC_CHANNEL_CLOSED;
	if (events & CAEC_CHANNEL_READABLE) {
		if ((r & CAEC_CHANNEL_CLOSED) || ring_can_recv(&ch->rx) != 0)
			r |= CAEC_CHANNEL_READABLE;
	}
	if (events & CAEC_CHANNEL_WRITABLE) {
		if ((r & CAEC_CHANNEL_CLOSED) || ring_can_send(&ch->tx, send_len ? send_len : 1) != 0)
			r |= CAEC_CHANNEL_WRITABLE;
	}
	return r;
}

uint32_t caec_priv_channel_ready(struct caec_channel *ch, uint32_t events, size_t send_len)
{
	events &= CAEC_CHANNEL_READABLE | CAEC_CHANNEL_WRITABLE;
	if (enter(ch) < 0)
		return events | CAEC_CHANNEL_CLOSED; /* access lost: ended */
	uint32_t r = ready_locked(ch, events, send_len);
	leave(ch);
	return r;
}

/* Set the doorbell word's WAITERS bit (core/doorbell's announce); its
 * value with the bit, or 0 if it keeps changing under us (then the
 * caller re-checks instead of sleeping). */
static uint32_t announce(uint32_t *word)
{
	uint32_t v = ca_load_seq_u32(word);
	for (int tries = 0; tries < 64; tries++) {
		if (v & DOORBELL_WAITERS)
			return v;
		if (ca_cas_u32(word, &v, v | DOORBELL_WAITERS))
			return v | DOORBELL_WAITERS;
	}
	return 0;
}

uint32_t caec_priv_channel_arm(struct caec_channel *ch, uint32_t events, size_t send_len,
			       uint32_t **words, uint32_t *vals, unsigned *n)
{
	events &= CAEC_CHANNEL_READABLE | CAEC_CHANNEL_WRITABLE;
	*n = 0;
	if (enter(ch) < 0)
		return events | CAEC_CHANNEL_CLOSED;
	uint32_t r = ready_locked(ch, events, send_len);
	if (r == 0) {
		uint32_t *w[CAEC_PRIV_CHANNEL_WORDS];
		unsigned k = 0;
		if (events & CAEC_CHANNEL_READABLE)
			w[k++] = ring_data_bell(&ch->rx);
		if (events & CAEC_CHANNEL_WRITABLE)
			w[k++] = ring_space_bell(&ch->tx);
		for (unsigned i = 0; i < k; i++) {
			uint32_t v = announce(w[i]);
			if (v == 0) {
				k = 0; /* a busy word: look again rather than sleep */
				break;
			}
			words[i] = w[i];
			vals[i] = v;
		}
		/* Full fence: the announces are ordered before the re-check;
		 * pairs with the notifier's (core/doorbell). */
		ca_fence();
		r = ready_locked(ch, events, send_len);
		if (r == 0)
			*n = k;
	}
	leave(ch);
	return r;
}

enum { OP_SEND, OP_RESERVE };
enum { OP_RECV, OP_PEEK };

static int tx_op(struct caec_channel *ch, int op, const void *buf, size_t len,
		 void **payload, int64_t timeout_ns)
{
	if (ch == NULL)
		return CAEC_E_INVAL;
	if (!ch->has_tx)
		return CAEC_E_NOTSUP;
	uint64_t deadline = 0;
	bool have_deadline = false;
	for (;;) {
		int rc = enter(ch);
		if (rc < 0)
			return rc;
		if (peer_closed(ch)) {
			leave(ch);
			return CAEC_E_CLOSED;
		}
		rc = op == OP_SEND ? ring_send(&ch->tx, buf, len)
				   : ring_reserve(&ch->tx, len, payload);
		if (rc == 0 && op == OP_SEND)
			doorbell_notify(ring_data_bell(&ch->tx),
					&caec_priv_futex_ops);
		leave(ch);
		if (rc != CAEC_E_AGAIN || timeout_ns == 0)
			return rc;
		if (!have_deadline) {
			deadline = caec_priv_deadline(timeout_ns);
			have_deadline = true;
		}
		ch->want = len;
		struct doorbell_guard g = {guard_enter, guard_leave, ch};
		rc = doorbell_wait(ring_space_bell(&ch->tx), &caec_priv_futex_ops,
				   &g, send_ready, ch, CAEC_PRIV_DOORBELL_SPINS,
				   deadline);
		if (rc < 0)
			return rc;
	}
}

static int rx_op(struct caec_channel *ch, int op, void *buf, size_t cap,
		 const void **payload, size_t *len, int64_t timeout_ns)
{
	if (ch == NULL)
		return CAEC_E_INVAL;
	if (!ch->has_rx)
		return CAEC_E_NOTSUP;
	uint64_t deadline = 0;
	bool have_deadline = false;
	for (;;) {
		int rc = enter(ch);
		if (rc < 0)
			return rc;
		/* Read the peer's state before the ring: if it had closed,
		 * everything it sent is visible now, so "empty" is final. */
		bool closed = peer_closed(ch);
		/* Any move of head frees space: a received record, and also
		 * skip records (wrap padding, MPSC cancel/shrink) that a peek
		 * or an empty result passed over.  Notify for all of them, or
		 * a sender waiting for exactly that space sleeps on. */
		uint32_t before = ch->rx.pos;
		rc = op == OP_RECV ? ring_recv(&ch->rx, buf, cap)
				   : ring_peek(&ch->rx, payload, len);
		if (ch->rx.pos != before)
			doorbell_notify(ring_space_bell(&ch->rx),
					&caec_priv_futex_ops);
		leave(ch);
		if (rc == CAEC_E_AGAIN && closed)
			return CAEC_E_CLOSED;
		if (rc != CAEC_E_AGAIN || timeout_ns == 0)
			return rc;
		if (!have_deadline) {
			deadline = caec_priv_deadline(timeout_ns);
			have_deadline = true;
		}
		struct doorbell_guard g = {guard_enter, guard_leave, ch};
		rc = doorbell_wait(ring_data_bell(&ch->rx), &caec_priv_futex_ops,
				   &g, recv_ready, ch, CAEC_PRIV_DOORBELL_SPINS,
				   deadline);
		if (rc < 0)
			return rc;
	}
}

CAEC_EXPORT int caec_channel_send(struct caec_channel *ch, const void *buf,
				  size_t len, int64_t timeout_ns)
{
	return tx_op(ch, OP_SEND, buf, len, NULL, timeout_ns);
}

CAEC_EXPORT int caec_channel_reserve(struct caec_channel *ch, size_t len,
				     void **payload, int64_t timeout_ns)
{
	if (payload == NULL)
		return CAEC_E_INVAL;
	return tx_op(ch, OP_RESERVE, NULL, len, payload, timeout_ns);
}

CAEC_EXPORT int caec_channel_commit(struct caec_channel *ch, size_t len)
{
	if (ch == NULL)
		return CAEC_E_INVAL;
	if (!ch->has_tx)
		return CAEC_E_NOTSUP;
	int rc = enter(ch);
	if (rc < 0)
		return rc;
	rc = ring_commit(&ch->tx, len);
	if (rc == 0)
		doorbell_notify(ring_data_bell(&ch->tx), &caec_priv_futex_ops);
	leave(ch);
	return rc;
}

CAEC_EXPORT int caec_channel_cancel(struct caec_channel *ch)
{
	if (ch == NULL)
		return CAEC_E_INVAL;
	if (!ch->has_tx)
		return CAEC_E_NOTSUP;
	int rc = enter(ch);
	if (rc < 0)
		return rc;
	rc = ring_cancel(&ch->tx);
	if (rc == 0 && ch->many) /* a skip record was published */
		doorbell_notify(ring_data_bell(&ch->tx), &caec_priv_futex_ops);
	leave(ch);
	return rc;
}

CAEC_EXPORT int caec_channel_recv(struct caec_channel *ch, void *buf,
				  size_t cap, int64_t timeout_ns)
{
	return rx_op(ch, OP_RECV, buf, cap, NULL, NULL, timeout_ns);
}

CAEC_EXPORT int caec_channel_peek(struct caec_channel *ch, const void **payload,
				  size_t *len, int64_t timeout_ns)
{
	if (payload == NULL || len == NULL)
		return CAEC_E_INVAL;
	return rx_op(ch, OP_PEEK, NULL, 0, payload, len, timeout_ns);
}

CAEC_EXPORT int caec_channel_release(struct caec_channel *ch)
{
	if (ch == NULL)
		return CAEC_E_INVAL;
	if (!ch->has_rx)
		return CAEC_E_NOTSUP;
	int rc = enter(ch);
	if (rc < 0)
		return rc;
	rc = ring_release(&ch->rx);
	if (rc == 0)
		doorbell_notify(ring_space_bell(&ch->rx), &caec_priv_futex_ops);
	leave(ch);
	return rc;
}
