/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec_channel_watch(): a context's channels reported through its
 * descriptor (caec_ctx_fd(), CAEC_CTX_EV_CHANNEL).
 *
 * A peer's doorbell is a futex word in shared memory, which no descriptor
 * sees.  So one library thread per context (started by the first watch)
 * does what caec_channel_wait_any() does for every armed channel --
 * announce on its words, re-check, sleep on all of them (futex_waitv) --
 * plus one word of its own, `ctl`, which every change of the watch list
 * bumps and wakes.  A channel found ready is disarmed (one-shot) and the
 * context's CAEC_CTX_EV_CHANNEL raised.
 *
 * The thread holds the watch lock while it looks at channels and never
 * while it sleeps; caec_channel_destroy() takes the channel off the list
 * under that lock, so the thread never touches a destroyed channel (it
 * may still be asleep on its words' addresses: the bump of ctl wakes
 * it).  It calls no application code and takes no other lock of the
 * library's: a revocation (under ctx->lock) never waits for it.
 */
#include <pthread.h>
#include <stdlib.h>

#include <caec/channel.h>
#include <caec_core/atomics.h>
#include <doorbell/doorbell.h>

#include "../os/os.h"
#include "chan.h"
#include "futex.h"

struct caec_priv_watch {
	struct caec_ctx *ctx;
	pthread_mutex_t lock;
	struct caec_channel *list;  /* under lock */
	unsigned count;             /* under lock */
	bool stop;                  /* under lock */
	uint32_t ctl;               /* bumped (atomically) on every change */
	pthread_t thread;
};

/* Caller holds w->lock: make the thread look again. */
static void poke(struct caec_priv_watch *w)
{
	ca_fetch_add_u32(&w->ctl, 1);
	caec_os_futex_wake(&w->ctl);
}

static void *watcher(void *arg)
{
	struct caec_priv_watch *w = arg;
	/* Two words per channel, one for ctl. */
	uint32_t *words[2u * CAEC_CHANNEL_WATCH_MAX + 1u];
	uint32_t vals[2u * CAEC_CHANNEL_WATCH_MAX + 1u];
	bool private_words[2u * CAEC_CHANNEL_WATCH_MAX + 1u] = { false };
	unsigned gone = 0;

	pthread_mutex_lock(&w->lock);
	while (!w->stop) {
		/* Read before looking: a change after this wakes the sleep. */
		uint32_t ctl = ca_load_seq_u32(&w->ctl);
		unsigned k = 0;
		bool fired = false, look_again = false;
		for (struct caec_channel *ch = w->list; ch; ch = ch->watch_next) {
			if (!ch->armed)
				continue;
			unsigned m = 0;
			uint32_t r = caec_priv_channel_arm(ch, ch->watch_events, ch->watch_len,
							   &words[k], &vals[k], &m);
			if (r) {
				ch->armed = false; /* one-shot */
				fired = true;
			} else if (m == 0) {
				look_again = true;
			}
			k += m;
		}
		pthread_mutex_unlock(&w->lock);
		if (fired)
			caec_priv_ctx_raise(w->ctx, CAEC_CTX_EV_CHANNEL);
		if (look_again) {
			ca_cpu_relax();
		} else {
			words[k] = &w->ctl; /* shared flavour, as poke() wakes it */
			vals[k] = ctl;
			int rc = k == 0 ? caec_os_futex_sleep(&w->ctl, ctl, DOORBELL_FOREVER) :
					  caec_os_futex_waitv(words, vals, private_words, k + 1,
							      DOORBELL_FOREVER);
			/* A word whose mapping is gone: a revocation marks its
			 * channel (the next look reports it); a channel whose
			 * region was unmapped under it (a caller's bug) would
			 * fault forever, so back off rather than spin. */
			if (rc == CAEC_E_CLOSED && ++gone > 3)
				caec_os_futex_sleep(&w->ctl, ctl, caec_priv_deadline(10000000));
			else if (rc != CAEC_E_CLOSED)
				gone = 0;
		}
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/* The context's watch, started on first use (under ctx->ev_lock). */
static int watch_get(struct caec_ctx *ctx, struct caec_priv_watch **out)
{
	int rc = 0;
	pthread_mutex_lock(&ctx->ev_lock);
	if (!ctx->watch) {
		/* A kernel without futex_waitv (before 5.16) answers ENOSYS:
		 * find out now, not in the thread.  A word that differs from
		 * its expected value makes a working call return at once. */
		uint32_t probe = 1, *pw = &probe, zero = 0;
		bool priv = true;
		rc = caec_os_futex_waitv(&pw, &zero, &priv, 1, DOORBELL_FOREVER);
		struct caec_priv_watch *w = rc == 0 ? calloc(1, sizeof(*w)) : NULL;
		if (rc == 0 && !w)
			rc = CAEC_E_NOMEM;
		if (w) {
			w->ctx = ctx;
			if (pthread_mutex_init(&w->lock, NULL) != 0) {
				free(w);
				rc = CAEC_E_NOMEM;
			} else if (pthread_create(&w->thread, NULL, watcher, w) != 0) {
				pthread_mutex_destroy(&w->lock);
				free(w);
				rc = CAEC_E_NOMEM;
			} else {
				ctx->watch = w;
			}
		}
	}
	*out = ctx->watch;
	pthread_mutex_unlock(&ctx->ev_lock);
	return rc;
}

/* Caller holds w->lock. */
static void unlink_locked(struct caec_priv_watch *w, struct caec_channel *ch)
{
	for (struct caec_channel **pp = &w->list; *pp; pp = &(*pp)->watch_next) {
		if (*pp == ch) {
			*pp = ch->watch_next;
			ch->watch_next = NULL;
			ch->watched = false;
			w->count--;
			poke(w);
			return;
		}
	}
}

CAEC_EXPORT int caec_channel_watch(struct caec_channel *ch, uint32_t events, size_t send_len)
{
	if (!ch || (events & ~(CAEC_CHANNEL_READABLE | CAEC_CHANNEL_WRITABLE)))
		return CAEC_E_INVAL;
	if (!ch->region)
		return CAEC_E_NOTSUP; /* plain memory: no context to report to */
	struct caec_ctx *ctx = ch->region->ctx;
	if (caec_priv_forked(ctx))
		return CAEC_E_FORKED;
	if (!ctx->ops->event_fd)
		return CAEC_E_NOTSUP;
	if (((events & CAEC_CHANNEL_READABLE) && !ch->has_rx) ||
	    ((events & CAEC_CHANNEL_WRITABLE) && !ch->has_tx))
		return CAEC_E_NOTSUP;
	if ((events & CAEC_CHANNEL_WRITABLE) && send_len > ring_max_msg(&ch->tx))
		return CAEC_E_MSGSIZE;
	if (events == 0) {
		caec_priv_channel_unwatch(ch);
		return CAEC_OK;
	}
	struct caec_priv_watch *w;
	int rc = watch_get(ctx, &w);
	if (rc < 0)
		return rc;
	pthread_mutex_lock(&w->lock);
	if (!ch->watched) {
		if (w->count >= CAEC_CHANNEL_WATCH_MAX) {
			pthread_mutex_unlock(&w->lock);
			return CAEC_E_RANGE;
		}
		ch->watch_next = w->list;
		w->list = ch;
		w->count++;
		ch->watched = true;
	}
	ch->watch_events = events;
	ch->watch_len = send_len;
	ch->armed = true;
	poke(w);
	pthread_mutex_unlock(&w->lock);
	return CAEC_OK;
}

void caec_priv_channel_unwatch(struct caec_channel *ch)
{
	if (!ch->region)
		return;
	struct caec_ctx *ctx = ch->region->ctx;
	pthread_mutex_lock(&ctx->ev_lock);
	struct caec_priv_watch *w = ctx->watch;
	pthread_mutex_unlock(&ctx->ev_lock);
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	if (ch->watched)
		unlink_locked(w, ch);
	pthread_mutex_unlock(&w->lock);
}

void caec_priv_watch_fini(struct caec_ctx *ctx, bool forked)
{
	struct caec_priv_watch *w = ctx->watch;
	if (!w)
		return;
	ctx->watch = NULL;
	/* A forked child has no watcher thread, and its copy of the lock
	 * may be held by the parent's: only free the memory. */
	if (!forked) {
		pthread_mutex_lock(&w->lock);
		w->stop = true;
		poke(w);
		pthread_mutex_unlock(&w->lock);
		pthread_join(w->thread, NULL);
		pthread_mutex_destroy(&w->lock);
	}
	for (struct caec_channel *ch = w->list; ch; ch = ch->watch_next)
		ch->watched = false;
	free(w);
}
