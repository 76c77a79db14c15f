/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec_channel_wait_any(): sleep until one of several channels is ready.
 *
 * The doorbell protocol (core/doorbell) lets one waiter sleep on one
 * word; here the waiter announces itself on every word of the set (the
 * data bell of each channel it would receive from, the space bell of each
 * it would send on), re-checks every channel after a full fence, and
 * sleeps on all the words at once (futex_waitv).  A notifier that
 * publishes after the re-check finds the announce and wakes its word, so
 * no wake-up is lost, exactly as with one word.
 *
 * One word needs no multi-word wait: it sleeps as a channel call would
 * (src/channel/bell.c: the OS's futex, or the CSM driver's WAIT for a
 * region shared with another realm), which is what a realm can do.
 */
#include <stdbool.h>
#include <stdint.h>

#include <caec/channel.h>
#include <caec_core/atomics.h>
#include <doorbell/doorbell.h>

#include <backend/backend.h>

#include "../os/os.h"
#include "chan.h"
#include "futex.h"

/* Every entry's revents; how many are ready. */
static int scan(struct caec_channel_wait *set, size_t n)
{
	int ready = 0;
	for (size_t i = 0; i < n; i++) {
		set[i].revents = set[i].events ?
			caec_priv_channel_ready(set[i].ch, set[i].events, set[i].send_len) : 0;
		if (set[i].revents)
			ready++;
	}
	return ready;
}

static int check(const struct caec_channel_wait *e)
{
	const struct caec_channel *ch = e->ch;
	if (!ch || (e->events & ~(CAEC_CHANNEL_READABLE | CAEC_CHANNEL_WRITABLE)))
		return CAEC_E_INVAL;
	if (ch->region && caec_priv_forked(ch->region->ctx))
		return CAEC_E_FORKED;
	if (((e->events & CAEC_CHANNEL_READABLE) && !ch->has_rx) ||
	    ((e->events & CAEC_CHANNEL_WRITABLE) && !ch->has_tx))
		return CAEC_E_NOTSUP;
	if ((e->events & CAEC_CHANNEL_WRITABLE) && e->send_len > ring_max_msg(&ch->tx))
		return CAEC_E_MSGSIZE;
	return 0;
}

/* Sleep on k announced words until one changes or the deadline. */
static int sleep_words(uint32_t *const *words, const uint32_t *vals, unsigned k,
		       uint64_t deadline)
{
	if (k == 1)
		return caec_priv_futex_ops.sleep(NULL, words[0], vals[0], deadline);
	/* A word of a region another realm maps (rsi) can only be waited on
	 * in the CSM driver, one at a time. */
	bool shared_os[CAEC_CHANNEL_WAIT_MAX * CAEC_PRIV_CHANNEL_WORDS];
	for (unsigned i = 0; i < k; i++) {
		if (caec_backend_word_is_platform(words[i]))
			return CAEC_E_NOTSUP;
		shared_os[i] = false; /* shared memory: not FUTEX_PRIVATE */
	}
	return caec_os_futex_waitv(words, vals, shared_os, k, deadline);
}

CAEC_EXPORT int caec_channel_wait_any(struct caec_channel_wait *set, size_t n,
				      int64_t timeout_ns)
{
	if (!set || n == 0 || n > CAEC_CHANNEL_WAIT_MAX)
		return CAEC_E_INVAL;
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		set[i].revents = 0;
		int rc = check(&set[i]);
		if (rc < 0)
			return rc;
		any |= set[i].events != 0;
	}
	if (!any)
		return CAEC_E_INVAL; /* nothing to wait for: it would never end */
	/* A short spin first, as a channel call does: a peer running on
	 * another CPU often answers within it. */
	unsigned spins = CAEC_PRIV_DOORBELL_SPINS / 16u / (unsigned)n;
	for (unsigned s = 0;; s++) {
		int ready = scan(set, n);
		if (ready > 0 || timeout_ns == 0)
			return ready > 0 ? ready : CAEC_E_AGAIN;
		if (s >= spins)
			break;
		ca_cpu_relax();
	}
	uint64_t deadline = caec_priv_deadline(timeout_ns);
	uint32_t *words[CAEC_CHANNEL_WAIT_MAX * CAEC_PRIV_CHANNEL_WORDS];
	uint32_t vals[CAEC_CHANNEL_WAIT_MAX * CAEC_PRIV_CHANNEL_WORDS];
	bool gone_once = false;
	for (;;) {
		unsigned k = 0;
		bool look_again = false;
		for (size_t i = 0; i < n && !look_again; i++) {
			if (!set[i].events)
				continue;
			unsigned m = 0;
			uint32_t r = caec_priv_channel_arm(set[i].ch, set[i].events, set[i].send_len,
							   &words[k], &vals[k], &m);
			look_again = r != 0 || m == 0;
			k += m;
		}
		int rc = 0;
		if (!look_again)
			rc = sleep_words(words, vals, k, deadline);
		if (rc == CAEC_E_TIMEDOUT || rc == CAEC_E_INTR || rc == CAEC_E_NOTSUP ||
		    rc == CAEC_E_PLATFORM) {
			int ready = scan(set, n);
			return ready > 0 ? ready : rc;
		}
		int ready = scan(set, n);
		if (ready > 0)
			return ready;
		if (rc == CAEC_E_CLOSED) {
			/* A word's mapping went away.  A revocation marks its
			 * channel first (the scan reports it); twice in a row
			 * without that, the caller unmapped a live channel. */
			if (gone_once)
				return CAEC_E_CLOSED;
			gone_once = true;
		} else {
			gone_once = false;
		}
		if (deadline != DOORBELL_FOREVER && caec_priv_now_ns() >= deadline)
			return CAEC_E_TIMEDOUT;
		if (look_again)
			ca_cpu_relax();
	}
}
