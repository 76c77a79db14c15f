/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The channel stress test's two ends, shared by the memfd runs
 * (tests/ring/test_ring_stress.c) and the region runs of the conformance
 * suite (cases_stress.c): `count` messages of pseudo-random sizes from the
 * sender to the receiver, each carrying its sequence number and content
 * derived from it.  The receiver checks every message (sequence: no loss,
 * duplication or reordering; length and every byte: no corruption) and a
 * running checksum, which it sends back over the reverse ring for the
 * sender to compare with its own.
 *
 *   spin:     non-blocking calls, retried (sched_yield() every 1024
 *             failed polls so a loaded machine still progresses).
 *   sleep:    blocking calls; the sender pauses every 4096 messages
 *             (pause_ms) so the receiver drains the ring and sleeps on the
 *             doorbell; the
 *             sender requires that it did sleep (recv calls over 50 us
 *             that were also counted as blocking by `sleeps`).
 *   zerocopy: blocking reserve/commit and peek/release, checked in place.
 *
 * Both return 0 on success, 1 with a message on stderr.
 */
#ifndef CAEC_TESTS_STRESS_H
#define CAEC_TESTS_STRESS_H

#include <stdint.h>

#include <caec/channel.h>

enum stress_mode { STRESS_SPIN, STRESS_SLEEP, STRESS_ZC };

/* How often this process has blocked so far (voluntary context switches). */
typedef uint64_t (*stress_sleeps_fn)(void);

int stress_sender(struct caec_channel *ch, enum stress_mode m, uint64_t count,
		  unsigned pause_ms);
int stress_receiver(struct caec_channel *ch, enum stress_mode m, uint64_t count,
		    stress_sleeps_fn sleeps);

#endif
