/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What libcaec takes from its operating system, beyond the C library:
 * one file per OS under src/os/<os>/ implements it (linux: the futex
 * system call; realm: the caec realm kernel, single-threaded).  The logic
 * in src/ calls only these (and POSIX mutexes and liburcu's "bp" RCU, which
 * the realm build provides as single-threaded shims in
 * src/os/realm/include; see docs/backends.md, "Platforms").
 */
#ifndef CAEC_SRC_OS_OS_H
#define CAEC_SRC_OS_OS_H

#include <stdbool.h>
#include <stdint.h>

/* Monotonic time in ns. */
uint64_t caec_os_now_ns(void);

/*
 * Sleep while *word == val (compared by the OS, atomically with going to
 * sleep), until woken by caec_os_futex_wake() from a process that maps the
 * same memory, a spurious wake-up, or the absolute caec_os_now_ns()
 * deadline (UINT64_MAX: none).  0 (woken, or *word != val),
 * CAEC_E_TIMEDOUT, CAEC_E_INTR, CAEC_E_CLOSED (the mapping is gone),
 * CAEC_E_NOTSUP (nothing could ever wake it), CAEC_E_PLATFORM.
 */
int caec_os_futex_sleep(uint32_t *word, uint32_t val, uint64_t deadline_ns);

/* Wake every sleeper on word. */
void caec_os_futex_wake(uint32_t *word);

/*
 * Sleep while every *words[i] == vals[i] (n words, at most
 * CAEC_OS_WAITV_MAX), until one is woken or changes, a spurious wake-up,
 * or the absolute deadline (UINT64_MAX: none).  private_words[i]: the
 * word is in this process's private memory (else shared with others).
 * Returns as caec_os_futex_sleep(); CAEC_E_NOTSUP where the OS has no
 * such wait (Linux before 5.16, the realm kernel).
 */
#define CAEC_OS_WAITV_MAX 128u
int caec_os_futex_waitv(uint32_t *const *words, const uint32_t *vals,
			const bool *private_words, unsigned n, uint64_t deadline_ns);

/*
 * A notifier: a descriptor poll() reports readable once signalled, until
 * drained (Linux: an eventfd, close-on-exec, non-blocking).  open returns
 * it or CAEC_E_NOTSUP (no such thing here) / CAEC_E_NOMEM.  signal and
 * drain never block; close takes any descriptor open returned.
 */
int caec_os_notifier_open(void);
void caec_os_notifier_signal(int fd);
void caec_os_notifier_drain(int fd);
void caec_os_notifier_close(int fd);

#endif
