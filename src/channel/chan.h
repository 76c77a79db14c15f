/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A channel endpoint's private state, shared by the files of src/channel:
 * channel.c (set-up, send/recv), wait.c (caec_channel_wait_any()) and
 * watch.c (caec_channel_watch(): the context's watcher thread).
 */
#ifndef CAEC_SRC_CHANNEL_CHAN_H
#define CAEC_SRC_CHANNEL_CHAN_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <caec/abi/ring.h>
#include <caec/channel.h>
#include <ring/ring.h>

#include "internal.h"

#define LOST_ACCESS 0x1u /* revoked / unmapped here */
#define PEER_GONE 0x2u   /* provider: the consumer detached or died */

struct caec_channel {
	struct caec_region *region; /* NULL on plain memory */
	bool guard;                 /* bracket accesses with region enter/leave */
	bool provider;
	bool many;
	bool has_tx, has_rx;
	struct caec_chan_abi *hdr;  /* shared */
	uint32_t *peer_state;       /* shared, peer-written (NULL: none) */
	uint32_t *my_state;         /* shared, written by us (NULL: none) */
	struct ring tx, rx;         /* private ring endpoints */
	_Atomic uint32_t closed;    /* LOST_ACCESS | PEER_GONE, set by events */
	size_t want;                /* bytes the sender waits room for */
	bool claimed, exclusive;    /* holds a channel slot of region */
	struct caec_priv_region_hook hook; /* region events, beside the app's handler */
	bool hooked;
	/* caec_channel_watch(), under the context's watch lock (watch.c). */
	bool watched;               /* on the context's watch list */
	bool armed;                 /* not reported since it was (re-)armed */
	uint32_t watch_events;
	size_t watch_len;
	struct caec_channel *watch_next;
};

/* The most doorbell words one channel end waits on (one per direction). */
#define CAEC_PRIV_CHANNEL_WORDS 2u

/*
 * channel.c, for wait.c and watch.c.  Both never block and touch the
 * region only inside a section (a revoked one reads as CLOSED).
 *
 * ready: which of events (CAEC_CHANNEL_READABLE / _WRITABLE; for
 * WRITABLE, room for send_len bytes) hold now, plus CAEC_CHANNEL_CLOSED.
 * A direction this end lacks must not be asked for (callers check).
 * A ring the peer corrupted counts as ready: the call it wakes reports
 * the error.
 *
 * arm: as ready, but when nothing holds, first announce a waiter on each
 * doorbell word of events (the doorbell protocol: core/doorbell) and
 * re-check after a full fence, so a peer that publishes after the check
 * wakes the word.  Returns what holds; 0 with words[0..*n) and vals[]
 * filled: sleep while each word holds its value; 0 with *n == 0: a word
 * kept changing under the announce (a peer hammering it), look again.
 */
uint32_t caec_priv_channel_ready(struct caec_channel *ch, uint32_t events, size_t send_len);
uint32_t caec_priv_channel_arm(struct caec_channel *ch, uint32_t events, size_t send_len,
			       uint32_t **words, uint32_t *vals, unsigned *n);

/* watch.c: take ch off its context's watch list (caec_channel_destroy()). */
void caec_priv_channel_unwatch(struct caec_channel *ch);

#endif
