/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What libcaec takes from its operating system, beyond the C library:
 * files per OS under src/os/<os>/ implement it (linux: the futex system
 * call, /proc/self/maps; realm: the caec realm kernel, single-threaded).
 * The logic in src/ calls only these (and POSIX mutexes and liburcu's "bp"
 * RCU, which the realm build provides as single-threaded shims in
 * src/os/realm/include; see docs/backends.md, "Platforms").
 */
#ifndef CAEC_SRC_OS_OS_H
#define CAEC_SRC_OS_OS_H

#include <stdbool.h>
#include <stddef.h>
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

/* A file, as the OS names it (device and inode). */
struct caec_os_file {
	uint64_t dev, ino;
};

/*
 * Memory handed to third-party code as a descriptor (src/export.c,
 * caec_region_export_fd()).  linux: /proc/self/maps and mmap(); realm:
 * CAEC_E_NOTSUP (no backend there exports; the CSM driver would remove its
 * own mappings, docs/abi.md).
 *
 * caec_os_export_check: fd must be a read-only descriptor of a regular
 * file of exactly size bytes, the same file as the mapping that contains
 * addr; *f receives it.  0; CAEC_E_PROTO (not read-only, not a regular
 * file, wrong size); CAEC_E_STATE (another file); CAEC_E_PLATFORM (this
 * process's mappings cannot be read, or the one at addr maps no file: its
 * mappings could not be found later).
 */
int caec_os_export_check(int fd, size_t size, const void *addr,
			 struct caec_os_file *f);
/* Replace every mapping in this process of one of the n files by
 * inaccessible memory, keeping the ranges reserved. */
void caec_os_unmap_files(const struct caec_os_file *files, unsigned n);

#endif
