/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Event-loop integration: a context's pending events (CAEC_CTX_EV_*) and
 * the descriptor that is readable while some are pending.
 *
 * Events are bits, raised from the library's threads (the event thread:
 * grants, region events, a lost platform; the channel watcher) and taken
 * by caec_ctx_events().  The descriptor (an eventfd, made at the first
 * caec_ctx_fd()) is signalled when the bits go from none to some, and
 * drained before they are taken, so it is never left unreadable with
 * events pending; it may be readable with none (a signal racing with a
 * take), which caec_ctx_events() reports as 0.
 */
#include "internal.h"

#include "os/os.h"

int caec_priv_notify_init(struct caec_ctx *ctx)
{
	atomic_init(&ctx->ev_pending, 0);
	atomic_init(&ctx->ev_fd, -1);
	return pthread_mutex_init(&ctx->ev_lock, NULL) == 0 ? 0 : CAEC_E_NOMEM;
}

void caec_priv_notify_fini(struct caec_ctx *ctx, bool forked)
{
	int fd = atomic_load(&ctx->ev_fd);
	if (fd >= 0)
		caec_os_notifier_close(fd);
	/* A forked child's copy of the mutex may be held by a thread of
	 * the parent's: only the parent destroys it. */
	if (!forked)
		pthread_mutex_destroy(&ctx->ev_lock);
}

void caec_priv_ctx_raise(struct caec_ctx *ctx, uint32_t bits)
{
	/* seq_cst, paired with caec_ctx_fd(): either we see its descriptor
	 * or it sees our bits and signals itself. */
	uint32_t prev = atomic_fetch_or(&ctx->ev_pending, bits);
	int fd = atomic_load(&ctx->ev_fd);
	if (prev == 0 && fd >= 0)
		caec_os_notifier_signal(fd);
}

int caec_ctx_fd(struct caec_ctx *ctx)
{
	if (!ctx)
		return CAEC_E_INVAL;
	if (caec_priv_forked(ctx))
		return CAEC_E_FORKED;
	if (!ctx->ops->event_fd)
		return CAEC_E_NOTSUP;
	int fd = atomic_load(&ctx->ev_fd);
	if (fd >= 0)
		return fd;
	pthread_mutex_lock(&ctx->ev_lock);
	fd = atomic_load(&ctx->ev_fd);
	if (fd < 0) {
		fd = caec_os_notifier_open();
		if (fd >= 0) {
			atomic_store(&ctx->ev_fd, fd);
			/* Events raised before there was a descriptor. */
			if (atomic_load(&ctx->ev_pending) != 0)
				caec_os_notifier_signal(fd);
		}
	}
	pthread_mutex_unlock(&ctx->ev_lock);
	return fd;
}

int caec_ctx_events(struct caec_ctx *ctx, uint32_t *events)
{
	if (!ctx || !events)
		return CAEC_E_INVAL;
	if (caec_priv_forked(ctx))
		return CAEC_E_FORKED;
	if (!ctx->ops->event_fd)
		return CAEC_E_NOTSUP;
	/* Drain first, then take: a bit raised in between is taken now (its
	 * signal may leave the descriptor readable: a spurious wake-up), one
	 * raised after signals again.  None is left pending unsignalled. */
	int fd = atomic_load(&ctx->ev_fd);
	if (fd >= 0)
		caec_os_notifier_drain(fd);
	*events = atomic_exchange(&ctx->ev_pending, 0);
	return CAEC_OK;
}
