/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file caec/channel.h
 * @brief Duplex message channels over one shared region.
 *
 * A channel is one region holding a channel header and two rings
 * (caec/ring.h) with their doorbells (caec/doorbell.h): provider-to-consumer
 * and consumer-to-provider.  The provider formats the region
 * (caec_channel_create() on a region it provides) and grants it to one
 * consumer, which attaches it and opens its end (caec_channel_create() on
 * the attached region).  Layout: caec/abi/ring.h; handshake and protocol:
 * docs/rings.md.
 *
 * Set-up order -- format before grant:
 *
 *     provider                              consumer
 *     caec_share(ctx, size, 0, &r)
 *     caec_channel_create(r, opts, &ch)     (formats r)
 *     caec_grant(r, consumer, CAEC_PERM_RW, NULL, &grant)
 *     ... the grant ID reaches the consumer ...
 *                                           caec_attach(ctx, grant, NULL, &r)
 *                                           caec_channel_create(r, NULL, &ch)
 *
 * Formatting writes the whole channel header and both rings, so it must
 * be done before any consumer can map the region: a consumer that opens
 * its end before the provider formatted gets CAEC_E_CORRUPT (no channel
 * there yet), and a provider that formats after a consumer opened would
 * erase what that consumer had sent.  The grant must be read-write
 * (CAEC_E_PERM otherwise).  Size the region with caec_channel_region_size().
 *
 * Many-to-one (CAEC_CHANNEL_F_MANY_TO_ONE): the consumer-to-provider ring
 * is multi-producer and the provider-to-consumer ring is absent; the
 * provider grants the region to several consumers, each of which (and each
 * thread of which, with its own handle) sends to the provider.  A
 * malicious sender can break that channel for everybody (the provider gets
 * CAEC_E_CORRUPT, then CAEC_E_PEER) but never the provider's memory safety.
 *
 * Every send/recv form takes a timeout in nanoseconds:
 * CAEC_TIMEOUT_INFINITE (block), 0 (non-blocking: CAEC_E_AGAIN if it would
 * block) or > 0 (CAEC_E_TIMEDOUT when it expires).  A blocked call returns
 * CAEC_E_CLOSED when the peer closes the channel (after the messages it
 * sent have been received), detaches or dies, or when this realm loses the
 * region (revocation): the library's event thread wakes every sleeper
 * before the mapping is removed.  A signal makes a blocked call return
 * CAEC_E_INTR.
 *
 * Synchronization table (one handle, per direction, one thread at a time):
 *
 * | call                              | may run concurrently with         |
 * |-----------------------------------|-----------------------------------|
 * | send / reserve / commit / cancel  | recv / peek / release (same ch)   |
 * | recv / peek / release             | send / reserve / commit / cancel  |
 * | caec_channel_destroy              | nothing on that handle            |
 */
#ifndef CAEC_CHANNEL_H
#define CAEC_CHANNEL_H

#include <stddef.h>
#include <stdint.h>

#include <caec/caec.h>
#include <caec/doorbell.h>
#include <caec/error.h>
#include <caec/export.h>

#ifdef __cplusplus
extern "C" {
#endif

/** An opaque channel endpoint. */
struct caec_channel;

/** Channel option flag: many consumers send to the provider (MPSC). */
#define CAEC_CHANNEL_F_MANY_TO_ONE 0x1u

/** Role for caec_channel_create_mem(). */
enum caec_channel_role {
	CAEC_CHANNEL_PROVIDER = 1, /**< Formats the memory. */
	CAEC_CHANNEL_CONSUMER = 2, /**< Opens what a provider formatted. */
};

/**
 * Provider options.  Zero-initialize and set `size = sizeof(...)`; zero
 * fields take the default.  Ignored by the consumer (it reads the layout).
 *
 * A ring's capacity is a power of two and needs a 512-byte ring header
 * beside it (caec/abi/ring.h), and its largest message is half its
 * capacity minus 8 bytes (CAEC_RING_MAX_MSG).  The default capacity of a
 * one-to-one channel's rings is the largest power of two that fits, with
 * its header, in half of what the 64-byte channel header leaves: for a
 * region whose size is a power of two that is a quarter of the region, so
 * the largest message is about an eighth (64 KiB: 16 KiB rings, messages
 * up to 8184 bytes).  A many-to-one channel's one ring gets the whole
 * space (a half of a power-of-two region, messages up to a quarter).
 * caec_channel_region_size() answers the converse question.
 */
struct caec_channel_opts {
	uint32_t size;         /**< sizeof(struct caec_channel_opts). */
	uint32_t flags;        /**< CAEC_CHANNEL_F_*. */
	/** Provider-to-consumer data bytes (a power of two, 64..2^30); 0: the
	 *  largest that fits, with its header, in half the space after the
	 *  channel header (see above). */
	uint32_t p2c_capacity;
	/** Consumer-to-provider data bytes; 0: as p2c_capacity (many-to-one:
	 *  the largest that fits in all the space after the channel header). */
	uint32_t c2p_capacity;
};

/**
 * @brief The region size a channel needs for messages of msg_len bytes.
 * @param[in] msg_len  the largest message either end must be able to send.
 * @param[in] flags    CAEC_CHANNEL_F_* as the provider will pass them.
 * @returns the smallest multiple of CAEC_GRANULE_SIZE on which
 *          caec_channel_create() with default capacities makes a channel
 *          whose sending ends all have caec_channel_max_msg() >= msg_len;
 *          0 if no channel can carry such a message (more than
 *          CAEC_RING_MAX_MSG(2^30) bytes) or flags has an unknown bit.
 * @since 0.1
 *
 * Context: never blocks, no system call.  Concurrency: any thread.
 */
CAEC_EXPORT size_t caec_channel_region_size(size_t msg_len, uint32_t flags);

/**
 * @brief Open a channel end on a region.
 * @param[in]  r     provider: a region this realm provides (it is
 *                   formatted, erasing its content); consumer: an attached
 *                   read-write region formatted by its provider.
 * @param[in]  opts  provider options, or NULL for defaults.
 * @param[out] out   receives the endpoint.
 * @returns CAEC_OK; CAEC_E_INVAL (NULL, bad opts); CAEC_E_PERM (read-only
 *          region); CAEC_E_EXIST (this region handle already has a live
 *          channel -- destroy it first; on the consumer side, ends of a
 *          many-to-one channel may share a handle); CAEC_E_FORKED;
 *          CAEC_E_MSGSIZE (region too small for the capacities);
 *          CAEC_E_RANGE (bad capacity); CAEC_E_CORRUPT (consumer: the
 *          region does not hold a valid channel); CAEC_E_CLOSED (access
 *          lost); CAEC_E_NOMEM.
 * @since 0.1
 *
 * Context: never blocks.  Invalid opts, sizes and capacities are refused
 * before anything is written to the region.
 * Leaves the region's event handler alone: the channel follows the
 * region's events through a listener of its own, which runs before the
 * application's handler (caec_region_set_event_handler()), and neither
 * replaces the other, in whichever order they are installed.  On
 * revocation the channel is marked closed and every sleeper woken before
 * the mapping goes; on a consumer's detach (provider side, one-to-one
 * channels) the same.
 * Ownership: pair with caec_channel_destroy(), before caec_detach() /
 * caec_unshare() of r.
 * Concurrency: any thread; one channel per region handle (refused, not
 * re-formatted: what the first one holds is not lost).
 */
CAEC_EXPORT CAEC_NODISCARD int caec_channel_create(
	struct caec_region *r, const struct caec_channel_opts *opts,
	struct caec_channel **out);

/**
 * @brief Open a channel end on plain shared memory (a MAP_SHARED mapping
 *        of a memfd or file, or memory shared between threads).
 * @param[in] base  64-byte aligned; size bytes.
 * @param[in] role  CAEC_CHANNEL_PROVIDER (formats) or CAEC_CHANNEL_CONSUMER.
 * @returns as caec_channel_create() (no CAEC_E_PERM).
 * @since 0.1
 *
 * Context: never blocks.  Ownership: pair with caec_channel_destroy(); the
 * memory must stay mapped until then.  Concurrency: any thread.
 */
CAEC_EXPORT CAEC_NODISCARD int caec_channel_create_mem(
	void *base, size_t size, enum caec_channel_role role,
	const struct caec_channel_opts *opts, struct caec_channel **out);

/**
 * @brief Close this end and free the handle: the peer's blocked and later
 *        calls return CAEC_E_CLOSED once it has drained what we sent.
 * @param[in] ch  an endpoint, or NULL.
 * @since 0.1
 *
 * Context: never blocks, but takes the library's context lock to remove
 * the channel's listener of region events: do not call it from a region
 * event handler.  Ownership: ch and every span borrowed from it are invalid
 * afterwards.
 * Concurrency: nothing else on ch.
 */
CAEC_EXPORT void caec_channel_destroy(struct caec_channel *ch);

/**
 * @brief Largest message this end can send.
 * @returns the size in bytes; 0 if ch is NULL or this end cannot send
 *          (the provider of a many-to-one channel).
 * @since 0.1
 *
 * Context: never blocks, no access to the region.  Concurrency: any thread.
 */
CAEC_EXPORT size_t caec_channel_max_msg(const struct caec_channel *ch);

/**
 * @brief Send a copy of buf[0..len).
 * @returns CAEC_OK; CAEC_E_AGAIN (timeout 0 and full); CAEC_E_TIMEDOUT;
 *          CAEC_E_CLOSED; CAEC_E_INTR; CAEC_E_MSGSIZE; CAEC_E_NOTSUP (this
 *          end has no send ring: provider of a many-to-one channel);
 *          CAEC_E_INVAL; CAEC_E_CORRUPT / CAEC_E_PEER.
 * @since 0.1
 *
 * Context: may block (see timeout).  Wakes the receiver only if it sleeps.
 * Ownership: buf is only read.  Concurrency: sender side, one thread.
 */
CAEC_EXPORT CAEC_NODISCARD int caec_channel_send(struct caec_channel *ch,
						 const void *buf, size_t len,
						 int64_t timeout_ns);

/**
 * @brief Receive a copy of the next message into buf (cap bytes).
 * @returns its length (>= 0); CAEC_E_AGAIN; CAEC_E_TIMEDOUT; CAEC_E_CLOSED;
 *          CAEC_E_INTR; CAEC_E_MSGSIZE (longer than cap; it stays queued);
 *          CAEC_E_NOTSUP; CAEC_E_INVAL; CAEC_E_CORRUPT / CAEC_E_PEER.
 * @since 0.1
 *
 * Context: may block.  Ownership: buf is the caller's.
 * Concurrency: receiver side, one thread.
 */
CAEC_EXPORT CAEC_NODISCARD int caec_channel_recv(struct caec_channel *ch,
						 void *buf, size_t cap,
						 int64_t timeout_ns);

/**
 * @brief Zero-copy send, step 1: get a span for a message of len bytes.
 * @param[out] payload  receives the span in the shared region.
 * @returns as caec_channel_send(); CAEC_E_STATE if a reservation is
 *          outstanding.
 * @since 0.1
 *
 * Context: may block until there is room.
 * Ownership: the span is borrowed until caec_channel_commit() /
 * caec_channel_cancel().
 * Concurrency: sender side, one thread.
 */
CAEC_EXPORT CAEC_NODISCARD int caec_channel_reserve(struct caec_channel *ch,
						    size_t len, void **payload,
						    int64_t timeout_ns);

/**
 * @brief Zero-copy send, step 2: publish the span with its final length
 *        (at most the reserved one) and wake the receiver if it sleeps.
 * @returns CAEC_OK; CAEC_E_STATE; CAEC_E_MSGSIZE; CAEC_E_CLOSED;
 *          CAEC_E_INVAL; CAEC_E_PEER.
 * @since 0.1
 *
 * Context: never blocks.  Ownership: the span is given away.
 * Concurrency: sender side.
 */
CAEC_EXPORT CAEC_NODISCARD int caec_channel_commit(struct caec_channel *ch,
						   size_t len);

/**
 * @brief Drop an outstanding reservation (see caec_ring_cancel()).
 * @returns CAEC_OK; CAEC_E_STATE (no reservation); CAEC_E_CLOSED (access
 *          lost); CAEC_E_NOTSUP (this end cannot send); CAEC_E_INVAL (NULL);
 *          CAEC_E_PEER.
 * @since 0.1
 *
 * Context: never blocks.  Many-to-one: the claimed space is published as
 * a skip record and the receiver is woken to pass over it (a claim that is
 * never committed or cancelled stalls the receiver at that point: keep
 * reservations short).  Ownership: the span from caec_channel_reserve()
 * must not be touched afterwards.  Concurrency: sender side.
 */
CAEC_EXPORT CAEC_NODISCARD int caec_channel_cancel(struct caec_channel *ch);

/**
 * @brief Zero-copy receive, step 1: the next message in place.
 * @param[out] payload  receives its span in the shared region.
 * @param[out] len      receives its (validated) length.
 * @returns as caec_channel_recv() (0 on success).
 * @since 0.1
 *
 * Context: may block.  Ownership: the span is borrowed until
 * caec_channel_release(); its content may be changed by a malicious peer
 * while you read it (copy what you must validate).  Concurrency: receiver.
 */
CAEC_EXPORT CAEC_NODISCARD int caec_channel_peek(struct caec_channel *ch,
						 const void **payload,
						 size_t *len,
						 int64_t timeout_ns);

/**
 * @brief Zero-copy receive, step 2: give the peeked message back and wake
 *        a sender waiting for room, if any.
 * @returns CAEC_OK; CAEC_E_STATE; CAEC_E_CLOSED; CAEC_E_INVAL; CAEC_E_PEER.
 * @since 0.1
 *
 * Context: never blocks.  Concurrency: receiver side.
 */
CAEC_EXPORT CAEC_NODISCARD int caec_channel_release(struct caec_channel *ch);

/* ------------------------------------------------------------------------
 * Waiting on several channels; event loops
 *
 * caec_channel_wait_any() blocks until one of several channels is ready,
 * in the calling thread (no descriptor involved).  For poll/epoll loops,
 * caec_channel_watch() reports a channel's readiness through its
 * context's descriptor (caec_ctx_fd()), as CAEC_CTX_EV_CHANNEL:
 *
 *     int fd = caec_ctx_fd(ctx);              // add to epoll, EPOLLIN
 *     caec_channel_watch(ch, CAEC_CHANNEL_READABLE, 0);
 *     ... epoll_wait() says fd is readable ...
 *     uint32_t ev;
 *     caec_ctx_events(ctx, &ev);
 *     if (ev & CAEC_CTX_EV_CHANNEL) {
 *             while ((n = caec_channel_recv(ch, buf, sizeof(buf), 0)) >= 0)
 *                     handle(buf, n);
 *             if (n == CAEC_E_AGAIN)          // drained: watch again
 *                     caec_channel_watch(ch, CAEC_CHANNEL_READABLE, 0);
 *     }
 *
 * With several channels watched, caec_channel_wait_any() with timeout 0
 * tells which are ready.
 * ---------------------------------------------------------------------- */

/** Readiness: a message can be received (or the channel ended). */
#define CAEC_CHANNEL_READABLE 0x1u
/** Readiness: a message of the asked length can be sent (or the channel ended). */
#define CAEC_CHANNEL_WRITABLE 0x2u
/** Readiness (reported, never asked): the channel ended -- the peer
 *  closed or detached, or this realm lost the region.  Its calls return
 *  CAEC_E_CLOSED (recv after what the peer sent before it closed). */
#define CAEC_CHANNEL_CLOSED 0x4u

/** Most entries caec_channel_wait_any() takes (two doorbells each). */
#define CAEC_CHANNEL_WAIT_MAX 64u
/** Most channels one context watches at a time (caec_channel_watch()). */
#define CAEC_CHANNEL_WATCH_MAX 63u

/** One channel of a caec_channel_wait_any() set. */
struct caec_channel_wait {
	struct caec_channel *ch; /**< The channel; an entry with events 0 is skipped. */
	uint32_t events;         /**< In: CAEC_CHANNEL_READABLE and/or _WRITABLE. */
	uint32_t revents;        /**< Out: which of events hold, plus CAEC_CHANNEL_CLOSED. */
	size_t send_len;         /**< WRITABLE: room for a message of this many bytes (0: 1). */
};

/**
 * @brief Wait until at least one of n channels is ready.
 * @param[in,out] set         n entries; revents is written in every entry.
 * @param[in]     n           1..CAEC_CHANNEL_WAIT_MAX (0 with set NULL: an
 *                            empty set, CAEC_E_INVAL).
 * @param[in]     timeout_ns  CAEC_TIMEOUT_INFINITE, 0 (only look) or > 0.
 * @returns how many entries are ready (> 0); CAEC_E_AGAIN (timeout 0,
 *          none ready); CAEC_E_TIMEDOUT; CAEC_E_INTR (a signal);
 *          CAEC_E_INVAL (set NULL or n out of range, an entry without a
 *          channel, unknown event bits, no entry asking for anything);
 *          CAEC_E_MSGSIZE (send_len beyond the channel's largest
 *          message); CAEC_E_FORKED; CAEC_E_NOTSUP (an entry asks READABLE of an
 *          end that cannot receive or WRITABLE of one that cannot send --
 *          a many-to-one channel's -- or the words to wait on cannot be
 *          waited on together here: in a realm, or on Linux before 5.16,
 *          more than one doorbell word); CAEC_E_CLOSED (a word's
 *          memory was unmapped under a live channel: caec_detach() before
 *          caec_channel_destroy()); CAEC_E_PLATFORM.
 * @since 0.1
 *
 * Context: may block.  A ready entry stays ready until its owner acts (a
 * message waits until received), so a loop must receive or send before
 * waiting again.  Several threads may wait on the same channels (each is
 * woken).  A blocked wait ends when a channel ends (CAEC_CHANNEL_CLOSED):
 * the peer closes or detaches, or a revocation takes the region.
 *
 * On Linux it sleeps on every doorbell word at once (futex_waitv, Linux
 * 5.16).  The realm kernel has no such call, and the CSM driver's WAIT
 * takes one word: in a realm a set of one channel waiting one way works,
 * a larger one is CAEC_E_NOTSUP.
 * Ownership: set is the caller's.  Concurrency: any thread; the entries'
 * channels must not be destroyed meanwhile.
 */
CAEC_EXPORT CAEC_NODISCARD int caec_channel_wait_any(struct caec_channel_wait *set,
						     size_t n, int64_t timeout_ns);

/**
 * @brief Have the context's descriptor (caec_ctx_fd()) report when this
 *        channel is ready, as CAEC_CTX_EV_CHANNEL.
 * @param[in] ch        a channel on a region of a context (not plain
 *                      memory).
 * @param[in] events    CAEC_CHANNEL_READABLE and/or _WRITABLE; 0 stops
 *                      watching ch.
 * @param[in] send_len  for WRITABLE: room for a message this long (0: 1).
 * @returns CAEC_OK; CAEC_E_INVAL (NULL, unknown bits); CAEC_E_MSGSIZE
 *          (send_len beyond the channel's largest message);
 *          CAEC_E_NOTSUP (a plain-memory channel; a direction this end
 *          lacks; the backend cannot: rsi, see caec_ctx_fd(); the OS has
 *          no multi-word wait, Linux before 5.16); CAEC_E_RANGE (CAEC_CHANNEL_WATCH_MAX
 *          channels are watched already); CAEC_E_NOMEM (the watcher
 *          thread could not start); CAEC_E_FORKED.
 * @since 0.1
 *
 * One-shot, like EPOLLONESHOT: when ch is found ready for one of events
 * (or ended), CAEC_CTX_EV_CHANNEL is raised once and the watch is
 * disarmed.  Call again to re-arm -- after draining: a channel that is
 * still ready fires again at once, so no message is missed between the
 * last receive and the re-arm.  Calling it on a watched channel replaces
 * the events.  caec_channel_destroy() stops the watch.
 *
 * Context: never blocks.  The first call on a context starts one
 * library-owned thread (per context) that sleeps on the watched
 * channels' doorbell words (futex_waitv) and runs no application code.
 * A sender wakes it only through the doorbell protocol's usual path (a
 * system call only when a waiter announced itself), so watching costs
 * the sender nothing while the watch is disarmed.
 * Concurrency: any thread, for different channels; one thread at a time
 * per channel (as caec_channel_destroy()).
 */
CAEC_EXPORT CAEC_NODISCARD int caec_channel_watch(struct caec_channel *ch, uint32_t events,
						  size_t send_len);

#ifdef __cplusplus
}
#endif
#endif /* CAEC_CHANNEL_H */
