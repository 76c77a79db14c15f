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
 */
struct caec_channel_opts {
	uint32_t size;         /**< sizeof(struct caec_channel_opts). */
	uint32_t flags;        /**< CAEC_CHANNEL_F_*. */
	uint32_t p2c_capacity; /**< Provider-to-consumer data bytes (power of two); 0: half the region. */
	uint32_t c2p_capacity; /**< Consumer-to-provider data bytes; 0: half the region. */
};

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
 * Installs the region's event handler (replacing any other): on revocation it marks the channel closed and wakes every
 * sleeper before the mapping goes; on a consumer's detach (provider side,
 * one-to-one channels) it does the same.
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
 * the event handler it installed: do not call it from a region event
 * handler.  Ownership: ch and every span borrowed from it are invalid
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

#ifdef __cplusplus
}
#endif
#endif /* CAEC_CHANNEL_H */
