/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file caec/ring.h
 * @brief Zero-copy message rings in shared memory.
 *
 * A ring carries variable-length messages from producers to one consumer
 * through memory both sides map (a CSM region, or any shared mapping).  Its
 * bytes follow the frozen layout of caec/abi/ring.h: a header line, one
 * cache line each for the producer index, the consumer index and two
 * doorbell words, then a power-of-two data area.  Every message is one
 * contiguous span, so both sides can work in place:
 *
 *  - producer: caec_ring_reserve() -> write into the span -> caec_ring_commit()
 *  - consumer: caec_ring_peek() -> read the span -> caec_ring_release()
 *
 * and caec_ring_send() / caec_ring_recv() copy for convenience.
 *
 * A ring is single-producer (SPSC) unless formatted with
 * CAEC_RING_FEAT_MPSC: then any number of producer handles (one per thread
 * or process) may send concurrently, and the consumer zeroes what it
 * consumed (an extra memset on the consumer side).
 *
 * The peer is not trusted.  Every index, length and header read from the
 * shared memory is read once into private memory and checked before use.
 * When a check fails the call returns CAEC_E_CORRUPT and the handle is
 * broken: every later call returns CAEC_E_PEER.  A corrupt ring never
 * makes the library access memory outside the ring or loop without bound.
 * Message *contents* in the ring can change under a zero-copy reader if
 * the peer is malicious: copy (caec_ring_recv()) what you must validate.
 *
 * Rings do not sleep: these calls return CAEC_E_AGAIN when full / empty.
 * Blocking waits are built from doorbells (caec/doorbell.h) in channels
 * (caec/channel.h).
 *
 * Synchronization table (one handle is never used by two threads at once):
 *
 * | call                          | may run concurrently with              |
 * |-------------------------------|----------------------------------------|
 * | caec_ring_format              | nothing on that memory                 |
 * | producer calls on handle P    | consumer calls on handle C; (MPSC)     |
 * |                               |  producer calls on other handles       |
 * | consumer calls on handle C    | producer calls on any producer handle  |
 * | caec_ring_destroy(h)          | nothing on h; anything on other handles|
 */
#ifndef CAEC_RING_H
#define CAEC_RING_H

#include <stddef.h>
#include <stdint.h>

#include <caec/abi/ring.h>
#include <caec/error.h>
#include <caec/export.h>

#ifdef __cplusplus
extern "C" {
#endif

/** An opaque ring endpoint (producer or consumer). */
struct caec_ring;

/** Role of a ring endpoint. */
enum caec_ring_role {
	CAEC_RING_PRODUCER = 1, /**< Writes messages. */
	CAEC_RING_CONSUMER = 2, /**< Reads messages (exactly one per ring). */
};

/**
 * @brief The largest data capacity (a power of two) whose ring fits in
 *        `size` bytes, or 0 if even the smallest does not fit.
 * @since 0.1
 *
 * Context: never blocks.  Ownership: none.  Concurrency: any thread.
 */
CAEC_EXPORT uint32_t caec_ring_capacity_for(size_t size);

/**
 * @brief Format an empty ring at `base`.
 * @param[in] base      shared memory, 64-byte aligned, `size` bytes.
 * @param[in] size      bytes available at base.
 * @param[in] capacity  data bytes: a power of two, 64..2^30; the ring takes
 *                      CAEC_RING_BYTES(capacity) bytes.
 * @param[in] features  0 (SPSC) or CAEC_RING_FEAT_MPSC.
 * @returns CAEC_OK; CAEC_E_INVAL (NULL/misaligned base, unknown feature);
 *          CAEC_E_RANGE (capacity not a power of two in range);
 *          CAEC_E_MSGSIZE (the ring does not fit in size).
 * @since 0.1
 *
 * Context: never blocks; zeroes the ring's bytes.
 * Ownership: the caller owns the memory; nothing is allocated.
 * Concurrency: nobody may use the ring while it is formatted.  The magic
 * is written last (release), so a peer that checks it sees the rest.
 */
CAEC_EXPORT CAEC_NODISCARD int caec_ring_format(void *base, size_t size,
						uint32_t capacity,
						uint32_t features);

/**
 * @brief Open an endpoint on a formatted ring.
 * @param[in]  base  the ring (64-byte aligned), as formatted by a peer.
 * @param[in]  size  bytes mapped at base.
 * @param[in]  role  CAEC_RING_PRODUCER or CAEC_RING_CONSUMER.
 * @param[out] out   receives the endpoint.
 * @returns CAEC_OK; CAEC_E_INVAL; CAEC_E_CORRUPT (bad magic, unknown
 *          major or feature, inconsistent sizes or indices);
 *          CAEC_E_MSGSIZE (the ring is larger than size); CAEC_E_NOMEM.
 * @since 0.1
 *
 * Context: never blocks.  The header is copied and checked once.
 * Ownership: pair with caec_ring_destroy(); the memory must stay mapped
 * until then.
 * Concurrency: any thread.
 */
CAEC_EXPORT CAEC_NODISCARD int caec_ring_create(void *base, size_t size,
						enum caec_ring_role role,
						struct caec_ring **out);

/**
 * @brief Free an endpoint (the ring's memory is untouched).
 * @param[in] r  an endpoint, or NULL.
 * @since 0.1
 *
 * Context: never blocks.  Ownership: r is invalid afterwards; an
 * outstanding MPSC reservation is never published (it stalls the ring:
 * commit or cancel first).  Concurrency: nothing else on r.
 */
CAEC_EXPORT void caec_ring_destroy(struct caec_ring *r);

/**
 * @brief Largest message payload of the ring, in bytes (0 if r is NULL).
 *
 * Context: never blocks.  Concurrency: any thread, concurrently with
 * anything but caec_ring_destroy() of r.
 */
CAEC_EXPORT size_t caec_ring_max_msg(const struct caec_ring *r);

/**
 * @brief Producer: reserve a contiguous span for a message of `len` bytes.
 * @param[in]  r        a producer endpoint.
 * @param[in]  len      payload bytes, 0..caec_ring_max_msg(r).
 * @param[out] payload  receives the span (8-byte aligned) in the ring.
 * @returns CAEC_OK; CAEC_E_AGAIN (not enough free space now);
 *          CAEC_E_MSGSIZE (len too large); CAEC_E_STATE (a reservation is
 *          already outstanding); CAEC_E_INVAL; CAEC_E_CORRUPT / CAEC_E_PEER.
 * @since 0.1
 *
 * Context: never blocks, no system call.
 * Ownership: the span is borrowed until caec_ring_commit() or
 * caec_ring_cancel(); the consumer cannot see it before.
 * Concurrency: producer-only, one thread per endpoint.
 */
CAEC_EXPORT CAEC_NODISCARD int caec_ring_reserve(struct caec_ring *r,
						 size_t len, void **payload);

/**
 * @brief Producer: publish the reserved message with its final length.
 * @param[in] r    a producer endpoint with a reservation.
 * @param[in] len  final payload bytes, at most the reserved length.
 * @returns CAEC_OK; CAEC_E_STATE (no reservation); CAEC_E_MSGSIZE;
 *          CAEC_E_INVAL; CAEC_E_PEER.
 * @since 0.1
 *
 * Context: never blocks.  Ordering: everything written to the span before
 * this call is visible to the consumer when it sees the message (release).
 * It does not ring a doorbell (channels do).
 * Ownership: the span must not be touched afterwards.
 * Concurrency: producer-only.
 */
CAEC_EXPORT CAEC_NODISCARD int caec_ring_commit(struct caec_ring *r,
						size_t len);

/**
 * @brief Producer: drop the outstanding reservation.
 * @returns CAEC_OK; CAEC_E_STATE (none); CAEC_E_INVAL; CAEC_E_PEER.
 * @since 0.1
 *
 * Context: never blocks.  SPSC: nothing was published, so nothing is
 * undone in the shared memory.  MPSC: the claimed space is published as a
 * skip record (ring the data doorbell: the consumer must pass over it
 * before it sees later messages).  Ownership: the span is no longer ours.
 * Concurrency: producer-only.
 */
CAEC_EXPORT CAEC_NODISCARD int caec_ring_cancel(struct caec_ring *r);

/**
 * @brief Producer: copy a message into the ring (reserve, copy, commit).
 * @returns CAEC_OK; CAEC_E_AGAIN (full); CAEC_E_MSGSIZE; CAEC_E_INVAL;
 *          CAEC_E_CORRUPT / CAEC_E_PEER.
 * @since 0.1
 *
 * Context: never blocks.  Ownership: buf is only read.
 * Concurrency: producer-only.
 */
CAEC_EXPORT CAEC_NODISCARD int caec_ring_send(struct caec_ring *r,
					      const void *buf, size_t len);

/**
 * @brief Consumer: look at the next message in place.
 * @param[in]  r        the consumer endpoint.
 * @param[out] payload  receives the message's span in the ring.
 * @param[out] len      receives its length (validated, private copy).
 * @returns CAEC_OK; CAEC_E_AGAIN (empty); CAEC_E_INVAL;
 *          CAEC_E_CORRUPT (the peer wrote an inconsistent index or record
 *          header; the endpoint is now broken) / CAEC_E_PEER (broken earlier).
 * @since 0.1
 *
 * Context: never blocks, no system call.  Ordering: the message's bytes
 * are visible (acquire).  Space: peek (and caec_ring_recv(), whatever it
 * returns, CAEC_E_AGAIN included) may pass over skip records (wrap
 * padding, an MPSC producer's cancelled or shrunk claim) and so free
 * space; if producers sleep on the space doorbell, notify it after every
 * call that may have done so, not only after a release.
 * Ownership: the span is borrowed until caec_ring_release(); calling peek
 * again before that returns the same message.  The span is shared memory:
 * a malicious producer may change its bytes while you read them (copy
 * what you must validate); the length is a validated private copy.
 * Concurrency: consumer-only.
 */
CAEC_EXPORT CAEC_NODISCARD int caec_ring_peek(struct caec_ring *r,
					      const void **payload,
					      size_t *len);

/**
 * @brief Consumer: release the peeked message; its space goes back to the
 *        producers.
 * @returns CAEC_OK; CAEC_E_STATE (nothing peeked); CAEC_E_INVAL; CAEC_E_PEER.
 * @since 0.1
 *
 * Context: never blocks.  Ordering: our reads of the span happen before
 * a producer can reuse it (release).  Ownership: the span must not be
 * touched afterwards.  Concurrency: consumer-only.
 */
CAEC_EXPORT CAEC_NODISCARD int caec_ring_release(struct caec_ring *r);

/**
 * @brief Consumer: copy the next message out and release it.
 * @param[out] buf  cap bytes.
 * @returns the message length (>= 0); CAEC_E_AGAIN (empty); CAEC_E_MSGSIZE
 *          (longer than cap: the message stays in the ring);
 *          CAEC_E_INVAL; CAEC_E_CORRUPT / CAEC_E_PEER.
 * @since 0.1
 *
 * Context: never blocks.  Ownership: buf is the caller's.
 * Concurrency: consumer-only.
 */
CAEC_EXPORT CAEC_NODISCARD int caec_ring_recv(struct caec_ring *r, void *buf,
					      size_t cap);

/**
 * @brief The ring's doorbell words (in the shared memory), for use with
 *        caec/doorbell.h: `data` is rung by producers after a commit, the
 *        consumer sleeps on it; `space` the other way round.
 * @returns CAEC_OK; CAEC_E_INVAL.
 * @since 0.1
 *
 * Context: never blocks.  Ownership: the words live as long as the mapping.
 * Concurrency: any thread.
 */
CAEC_EXPORT int caec_ring_bells(struct caec_ring *r, uint32_t **data,
				uint32_t **space);

/**
 * @brief Non-blocking readiness test: consumer: 1 if peek would not say
 *        CAEC_E_AGAIN; producer: 1 if a message of len bytes fits now.
 * @returns 1, 0, or a negative caec_err (CAEC_E_PEER, CAEC_E_CORRUPT...).
 * @since 0.1
 *
 * Context: never blocks.  Concurrency: as the endpoint's role.
 */
CAEC_EXPORT int caec_ring_ready(struct caec_ring *r, size_t len);

#ifdef __cplusplus
}
#endif
#endif /* CAEC_RING_H */
