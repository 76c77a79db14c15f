/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The realm kernel has neither an eventfd (nor poll(2) to watch one) nor
 * a wait on several words: a process there has one thread, and doorbell
 * words shared with other realms are waited on in the CSM driver, one at
 * a time (src/channel/bell.c).  The event-loop calls say so
 * (CAEC_E_NOTSUP; docs/backends.md).
 */
#include <stdbool.h>
#include <stdint.h>

#include <caec/error.h>

#include "../os.h"

int caec_os_notifier_open(void)
{
	return CAEC_E_NOTSUP;
}

void caec_os_notifier_signal(int fd)
{
	(void)fd;
}

void caec_os_notifier_drain(int fd)
{
	(void)fd;
}

void caec_os_notifier_close(int fd)
{
	(void)fd;
}

int caec_os_futex_waitv(uint32_t *const *words, const uint32_t *vals,
			const bool *private_words, unsigned n, uint64_t deadline_ns)
{
	(void)words;
	(void)vals;
	(void)private_words;
	(void)n;
	(void)deadline_ns;
	return CAEC_E_NOTSUP;
}
