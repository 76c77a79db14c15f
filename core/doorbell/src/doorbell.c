/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/doorbell: the doorbell word protocol (see doorbell/doorbell.h and
 * docs/rings.md).  Steps marked "[model: ...]" are mirrored by
 * core/ring/model/ring_doorbell.pml.
 */
#include <stddef.h>

#include <caec_core/atomics.h>
#include <doorbell/doorbell.h>

int doorbell_wait(uint32_t *word, const struct doorbell_ops *ops,
		  const struct doorbell_guard *guard, doorbell_cond_fn cond,
		  void *arg, uint32_t spins, uint64_t deadline_ns)
{
	int rc;
	for (uint32_t i = 0; i < spins; i++) {
		rc = cond(arg);
		if (rc != 0)
			return rc < 0 ? rc : 0;
		ca_cpu_relax();
	}
	for (;;) {
		if (guard != NULL) {
			rc = guard->enter(guard->arg);
			if (rc < 0)
				return rc;
		}
		/* [model: waiter announces] */
		uint32_t v = ca_load_seq_u32(word);
		if ((v & DOORBELL_WAITERS) == 0) {
			uint32_t e = v;
			if (ca_cas_u32(word, &e, v | DOORBELL_WAITERS))
				v |= DOORBELL_WAITERS;
			else
				v = e; /* changed under us: re-check, maybe retry */
		}
		/* Full fence: the announce is ordered before the re-check;
		 * pairs with the fence in doorbell_notify(). */
		ca_fence();
		/* [model: waiter re-checks] */
		rc = cond(arg);
		if (guard != NULL)
			guard->leave(guard->arg);
		if (rc != 0)
			return rc < 0 ? rc : 0;
		if (deadline_ns != DOORBELL_FOREVER &&
		    ops->now_ns(ops->ctx) >= deadline_ns)
			return CAEC_E_TIMEDOUT;
		if ((v & DOORBELL_WAITERS) == 0)
			continue; /* the CAS lost a race: announce again */
		/* [model: waiter sleeps] only while the word == v */
		rc = ops->sleep(ops->ctx, word, v, deadline_ns);
		if (rc == CAEC_E_TIMEDOUT) {
			rc = cond(arg);
			if (rc != 0)
				return rc < 0 ? rc : 0;
			return CAEC_E_TIMEDOUT;
		}
		if (rc < 0)
			return rc;
	}
}

int doorbell_notify(uint32_t *word, const struct doorbell_ops *ops)
{
	/* Full fence: the publication (tail/head/header store) is ordered
	 * before the read of the word; pairs with the fence in
	 * doorbell_wait().  [model: notifier checks waiters] */
	ca_fence();
	uint32_t e = ca_load_relaxed_u32(word);
	for (unsigned tries = 0; (e & DOORBELL_WAITERS) != 0; tries++) {
		/* [model: notifier bumps] */
		if (tries >= 64) {
			/* The word keeps changing under us (a peer hammering
			 * it): bump unconditionally; never loop unbounded. */
			doorbell_kick(word, ops);
			return 1;
		}
		if (ca_cas_u32(word, &e,
			       (e + DOORBELL_SEQ_STEP) & ~DOORBELL_WAITERS)) {
			/* [model: notifier wakes] */
			ops->wake(ops->ctx, word);
			return 1;
		}
	}
	return 0;
}

void doorbell_kick(uint32_t *word, const struct doorbell_ops *ops)
{
	ca_fetch_add_u32(word, DOORBELL_SEQ_STEP);
	ops->wake(ops->ctx, word);
}
