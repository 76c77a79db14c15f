/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Linux pieces of the doorbell (src/os/os.h): futex sleep/wake and the
 * monotonic clock.
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

#include <doorbell/doorbell.h>

#include "../os.h"

uint64_t caec_os_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int caec_os_futex_sleep(uint32_t *word, uint32_t val, uint64_t deadline_ns)
{
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

void caec_os_futex_wake(uint32_t *word)
{
	/* Errors (EFAULT on an unmapped word) leave nobody to wake. */
	(void)syscall(SYS_futex, word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}
