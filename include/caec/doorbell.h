/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file caec/doorbell.h
 * @brief Futex-style doorbells on a 32-bit word in shared memory.
 *
 * A doorbell lets a thread sleep until a peer (another thread, process or
 * realm mapping the same memory) has published something.  The word's
 * format (caec/abi/ring.h, docs/rings.md): bit 0 = "a waiter announced it
 * sleeps", bits 1..31 = a sequence bumped by each waking notification.
 *
 * The waiter spins briefly on its condition, then announces itself, checks
 * the condition again and sleeps (Linux: FUTEX_WAIT on the shared mapping,
 * not FUTEX_PRIVATE, so it works across processes) only while the word is
 * unchanged.  The notifier, after publishing, issues FUTEX_WAKE only when a
 * waiter announced itself, so the fast path makes no system call.  No
 * wake-up is lost (model-checked: core/ring/model/ring_doorbell.pml).
 *
 * Timeouts are relative, in nanoseconds: CAEC_TIMEOUT_INFINITE waits
 * forever, 0 only tests the condition.  A signal interrupts a wait with
 * CAEC_E_INTR (like read(2) without SA_RESTART); call again to go on.
 *
 * Synchronization table:
 *
 * | call                   | may run concurrently with              |
 * |------------------------|----------------------------------------|
 * | caec_doorbell_wait     | anything, any number of waiters        |
 * | caec_doorbell_notify   | anything                               |
 * | caec_doorbell_kick     | anything                               |
 */
#ifndef CAEC_DOORBELL_H
#define CAEC_DOORBELL_H

#include <stdint.h>

#include <caec/error.h>
#include <caec/export.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Timeout value: wait forever. */
#define CAEC_TIMEOUT_INFINITE ((int64_t)-1)

/** Condition a waiter waits for: > 0 ready, 0 not yet, < 0 an error. */
typedef int (*caec_doorbell_cond_fn)(void *arg);

/**
 * @brief Wait until cond(arg) != 0, sleeping on `word`.
 * @param[in] word        a doorbell word in shared memory (4-byte aligned).
 * @param[in] cond        the condition; called repeatedly, must not block.
 * @param[in] arg         passed to cond.
 * @param[in] timeout_ns  CAEC_TIMEOUT_INFINITE (any negative value waits
 *                        forever), 0 (test once) or > 0.
 * @returns CAEC_OK (cond > 0); cond's negative value; CAEC_E_TIMEDOUT;
 *          CAEC_E_INTR (signal); CAEC_E_CLOSED (the memory was unmapped);
 *          CAEC_E_INVAL.
 * @since 0.1
 *
 * Context: may block (futex).  Spins about a microsecond before sleeping.
 * A peer that keeps changing the word can keep the waiter from sleeping
 * (it re-checks cond each time, so it still returns when cond holds or
 * the timeout expires) but cannot make it miss a notify.
 * Ownership: none; `word` must stay mapped for the whole call.  A sleep
 * that starts after an unmap fails with CAEC_E_CLOSED, but one already
 * asleep is not woken by the unmap: kick the word before unmapping.
 * Concurrency: any thread; any number of waiters on one word.
 */
CAEC_EXPORT CAEC_NODISCARD int caec_doorbell_wait(uint32_t *word,
						  caec_doorbell_cond_fn cond,
						  void *arg, int64_t timeout_ns);

/**
 * @brief After publishing, wake the waiters of `word` if any announced
 *        itself.
 * @returns 1 if a wake-up was issued, 0 if nobody was waiting;
 *          CAEC_E_INVAL.
 * @since 0.1
 *
 * Context: never blocks; a system call only when a waiter sleeps.
 * Ordering: includes a full fence, so everything stored before the call
 * is visible to a waiter that wakes up.
 * Concurrency: any thread.
 */
CAEC_EXPORT int caec_doorbell_notify(uint32_t *word);

/**
 * @brief Wake every waiter of `word` unconditionally (e.g. on close).
 * @returns CAEC_OK; CAEC_E_INVAL.
 * @since 0.1
 *
 * Context: never blocks (one FUTEX_WAKE).  Concurrency: any thread.
 */
CAEC_EXPORT int caec_doorbell_kick(uint32_t *word);

#ifdef __cplusplus
}
#endif
#endif /* CAEC_DOORBELL_H */
