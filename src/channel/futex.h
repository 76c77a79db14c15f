/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Doorbell sleep/wake for core/doorbell (bell.c): the backend's for words
 * in regions it maps from another realm, the OS's futex for the rest.
 */
#ifndef CAEC_SRC_CHANNEL_FUTEX_H
#define CAEC_SRC_CHANNEL_FUTEX_H

#include <stdint.h>

#include <doorbell/doorbell.h>

/* The ops table (sleep with an absolute caec_priv_now_ns() deadline,
 * wake all sleepers). */
extern const struct doorbell_ops caec_priv_futex_ops;

/* CLOCK_MONOTONIC now, in ns. */
uint64_t caec_priv_now_ns(void);

/* Deadline for a relative timeout (< 0: DOORBELL_FOREVER). */
uint64_t caec_priv_deadline(int64_t timeout_ns);

/*
 * Spins before a waiter sleeps: worth it where the peer runs at the same
 * time on another CPU.  A realm build sets fewer (CAEC_OS_DOORBELL_SPINS):
 * there each spin asks the driver for events (ops->poll), and a realm's
 * peer often runs only once this one waits.
 */
#ifndef CAEC_OS_DOORBELL_SPINS
#define CAEC_OS_DOORBELL_SPINS 2000u
#endif
#define CAEC_PRIV_DOORBELL_SPINS CAEC_OS_DOORBELL_SPINS

#endif
