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

#endif
