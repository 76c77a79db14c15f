/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Linux pieces of the event-loop integration (src/os/os.h): an eventfd as
 * the context's notifier, and futex_waitv (Linux 5.16) to sleep on several
 * doorbell words at once.
 */
#include <errno.h>
#include <stdint.h>
#include <linux/futex.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <caec/error.h>

#include <doorbell/doorbell.h>

#include "../os.h"

int caec_os_notifier_open(void)
{
	int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (fd >= 0)
		return fd;
	return errno == ENOSYS || errno == EINVAL ? CAEC_E_NOTSUP : CAEC_E_NOMEM;
}

void caec_os_notifier_signal(int fd)
{
	uint64_t one = 1;
	/* EAGAIN: the counter is at its maximum -- readable anyway. */
	(void)!write(fd, &one, sizeof(one));
}

void caec_os_notifier_drain(int fd)
{
	uint64_t v;
	(void)!read(fd, &v, sizeof(v)); /* EAGAIN: nothing to drain */
}

void caec_os_notifier_close(int fd)
{
	close(fd);
}

#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449 /* every architecture (asm-generic) */
#endif

int caec_os_futex_waitv(uint32_t *const *words, const uint32_t *vals,
			const bool *private_words, unsigned n, uint64_t deadline_ns)
{
	struct futex_waitv w[CAEC_OS_WAITV_MAX];
	if (n == 0 || n > CAEC_OS_WAITV_MAX)
		return CAEC_E_INVAL;
	for (unsigned i = 0; i < n; i++)
		w[i] = (struct futex_waitv){
			.val = vals[i],
			.uaddr = (uint64_t)(uintptr_t)words[i],
			.flags = FUTEX_32 | (private_words[i] ? FUTEX_PRIVATE_FLAG : 0),
		};
	struct timespec ts, *tsp = NULL;
	if (deadline_ns != DOORBELL_FOREVER) {
		ts.tv_sec = (time_t)(deadline_ns / 1000000000u);
		ts.tv_nsec = (long)(deadline_ns % 1000000000u);
		tsp = &ts;
	}
	/* The deadline is absolute, on CLOCK_MONOTONIC (caec_os_now_ns()). */
	long rc = syscall(SYS_futex_waitv, w, n, 0, tsp, CLOCK_MONOTONIC);
	if (rc >= 0)
		return 0;
	switch (errno) {
	case EAGAIN:
		return 0; /* a word changed before we slept */
	case ETIMEDOUT:
		return CAEC_E_TIMEDOUT;
	case EINTR:
		return CAEC_E_INTR;
	case EFAULT:
		return CAEC_E_CLOSED; /* a word's mapping is gone */
	case ENOSYS:
		return CAEC_E_NOTSUP;
	default:
		return CAEC_E_PLATFORM;
	}
}
