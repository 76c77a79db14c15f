/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The realm kernel's pieces of the doorbell (src/os/os.h).
 *
 * Doorbell words in regions shared with other realms never get here: the
 * RSI backend sleeps on them in the CSM driver (src/channel/bell.c).  What
 * is left is process-private memory, and a process of the realm kernel has
 * one thread and shares no anonymous memory: nobody else can ever change
 * or wake the word.  A timed sleep therefore just sleeps out its deadline;
 * an untimed one could never end and fails with CAEC_E_NOTSUP.
 */
#include <errno.h>
#include <stdint.h>
#include <time.h>

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
	if (__atomic_load_n(word, __ATOMIC_ACQUIRE) != val)
		return 0;
	if (deadline_ns == DOORBELL_FOREVER)
		return CAEC_E_NOTSUP;
	uint64_t now = caec_os_now_ns();
	if (deadline_ns > now) {
		struct timespec ts = {
			.tv_sec = (time_t)((deadline_ns - now) / 1000000000u),
			.tv_nsec = (long)((deadline_ns - now) % 1000000000u),
		};
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
		}
	}
	return CAEC_E_TIMEDOUT;
}

void caec_os_futex_wake(uint32_t *word)
{
	(void)word; /* nobody can sleep on private memory of this thread */
}
