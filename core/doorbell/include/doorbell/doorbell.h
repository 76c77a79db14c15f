/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/doorbell -- the doorbell word protocol (futex-style), portable.
 *
 * A doorbell is one 32-bit word in shared memory:
 *     bit 0      WAITERS: some waiter announced it will sleep
 *     bits 1..31 sequence: bumped by every notification that wakes
 * The actual sleeping and waking are injected (struct doorbell_ops): a
 * futex on Linux, WFE / a host call in firmware.  The protocol itself has
 * no OS calls.
 *
 * Waiter (doorbell_wait): spin a little on the condition; then announce
 * (set WAITERS with a CAS), full fence, re-check the condition, sleep only
 * while the word still holds the announced value.
 * Notifier (doorbell_notify), after publishing what the waiter waits for:
 * full fence, read the word; only if WAITERS is set, bump the sequence and
 * clear WAITERS in one CAS, then wake all sleepers.
 *
 * No lost wake-up: the two fences make it impossible that the waiter's
 * re-check misses the publication AND the notifier misses the WAITERS bit
 * (store-buffering litmus test with fences on both sides).  If the
 * notifier sees WAITERS it changes the word before waking, so the sleep
 * either sees a changed word and returns, or is already asleep and is
 * woken.  Model-checked in core/ring/model/ring_doorbell.pml.
 *
 * A malicious peer can write anything to the word: that can cause spurious
 * wake-ups or make us sleep until a timeout (availability), never memory
 * unsafety, because the word is only compared, never used as an index.
 */
#ifndef CAEC_CORE_DOORBELL_H
#define CAEC_CORE_DOORBELL_H

#include <stdint.h>

#include <caec/error.h>

#define DOORBELL_WAITERS 0x1u
#define DOORBELL_SEQ_STEP 0x2u
/* No deadline. */
#define DOORBELL_FOREVER UINT64_MAX

struct doorbell_ops {
	/* Sleep while *word == val, until woken, a spurious wake-up or the
	 * absolute deadline (now_ns() clock; DOORBELL_FOREVER = none).
	 * Returns 0 (woken, or *word != val), CAEC_E_TIMEDOUT, CAEC_E_INTR
	 * or another negative caec_err (passed to the caller). */
	int (*sleep)(void *ctx, uint32_t *word, uint32_t val, uint64_t deadline_ns);
	/* Wake every sleeper on word. */
	void (*wake)(void *ctx, uint32_t *word);
	/* Monotonic time in ns (only used with a deadline). */
	uint64_t (*now_ns)(void *ctx);
	void *ctx;
};

/* Condition: > 0 ready, 0 not yet, < 0 an error to return. */
typedef int (*doorbell_cond_fn)(void *arg);

/*
 * Optional guard around every access the waiter makes to the word (the
 * announce) together with the re-check: for memory that can be unmapped
 * under us (a revoked region), enter() opens a section during which the
 * mapping stays (returns < 0 if it is already gone) and leave() closes
 * it.  The sleep itself runs outside the section (the kernel compares
 * the word and fails cleanly on an unmapped address).
 */
struct doorbell_guard {
	int (*enter)(void *arg);
	void (*leave)(void *arg);
	void *arg;
};

/* Wait until cond() != 0 or the deadline.  Returns 0 when ready, cond's
 * negative value, the guard's error, CAEC_E_TIMEDOUT, or the sleep's
 * error.  guard may be NULL. */
int doorbell_wait(uint32_t *word, const struct doorbell_ops *ops,
		  const struct doorbell_guard *guard, doorbell_cond_fn cond,
		  void *arg, uint32_t spins, uint64_t deadline_ns);

/* After publishing: wake sleepers if any announced itself.  Returns 1 if
 * it woke (called ops->wake), else 0. */
int doorbell_notify(uint32_t *word, const struct doorbell_ops *ops);

/* Unconditionally bump the word and wake all (close, detach, revoke). */
void doorbell_kick(uint32_t *word, const struct doorbell_ops *ops);

#endif /* CAEC_CORE_DOORBELL_H */
