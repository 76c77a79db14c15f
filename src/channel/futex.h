/* SPDX-License-Identifier: Apache-2.0 */
/* Linux doorbell sleep/wake for core/doorbell: futexes on shared mappings. */
#ifndef CAEC_SRC_CHANNEL_FUTEX_H
#define CAEC_SRC_CHANNEL_FUTEX_H

#include <stdint.h>

#include <doorbell/doorbell.h>

/* The ops table (sleep = FUTEX_WAIT_BITSET with an absolute
 * CLOCK_MONOTONIC deadline, wake = FUTEX_WAKE of all, both non-private). */
extern const struct doorbell_ops caec_priv_futex_ops;

/* CLOCK_MONOTONIC now, in ns. */
uint64_t caec_priv_now_ns(void);

/* Deadline for a relative timeout (< 0: DOORBELL_FOREVER). */
uint64_t caec_priv_deadline(int64_t timeout_ns);

/* Spins before a waiter sleeps. */
#define CAEC_PRIV_DOORBELL_SPINS 2000u

#endif
