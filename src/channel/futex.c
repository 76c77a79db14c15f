/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Linux pieces of the doorbell: futex sleep/wake and the monotonic clock.
 *
 * The doorbell word lives in a MAP_SHARED mapping that other processes map
 * too, so the futex operations are the shared (non-PRIVATE) ones: the
 * kernel keys them by (inode, offset), not by our address space.
 *
 * errno is translated here, once: EAGAIN (word changed) and spurious
 * returns are "woken" (0), ETIMEDOUT -> CAEC_E_TIMEDOUT, EINTR ->
 * CAEC_E_INTR (blocking calls return it so a signal handler can act),
 * EFAULT (the mapping is gone: revoked/unmapped) -> CAEC_E_CLOSED,
 * anything else -> CAEC_E_PLATFORM.
 */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <caec/error.h>

#include "futex.h"

uint64_t caec_priv_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t caec_priv_deadline(int64_t timeout_ns)
{
	if (timeout_ns < 0)
		return DOORBELL_FOREVER;
	uint64_t now = caec_priv_now_ns();
	if ((uint64_t)timeout_ns > DOORBELL_FOREVER - 1 - now)
		return DOORBELL_FOREVER - 1;
	return now + (uint64_t)timeout_ns;
}

static int futex_sleep(void *ctx, uint32_t *word, uint32_t val,
		       uint64_t deadline_ns)
{
	(void)ctx;
	struct timespec ts, *tsp = NULL;
	if (deadline_ns != DOORBELL_FOREVER) {
		ts.tv_sec = (time_t)(deadline_ns / 1000000000u);
		ts.tv_nsec = (long)(deadline_ns % 1000000000u);
		tsp = &ts;
	}
	/* FUTEX_WAIT_BITSET takes an absolute CLOCK_MONOTONIC deadline. */
	long rc = syscall(SYS_futex, word, FUTEX_WAIT_BITSET, val, tsp, NULL,
			  FUTEX_BITSET_MATCH_ANY);
	if (rc == 0)
		return 0;
	switch (errno) {
	case EAGAIN:
		return 0;
	case ETIMEDOUT:
		return CAEC_E_TIMEDOUT;
	case EINTR:
		return CAEC_E_INTR;
	case EFAULT:
		return CAEC_E_CLOSED;
	default:
		return CAEC_E_PLATFORM;
	}
}

static void futex_wake(void *ctx, uint32_t *word)
{
	(void)ctx;
	/* Errors (EFAULT on an unmapped word) leave nobody to wake. */
	(void)syscall(SYS_futex, word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

static uint64_t futex_now(void *ctx)
{
	(void)ctx;
	return caec_priv_now_ns();
}

const struct doorbell_ops caec_priv_futex_ops = {
	.sleep = futex_sleep,
	.wake = futex_wake,
	.now_ns = futex_now,
	.ctx = NULL,
};
