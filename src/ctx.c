/* SPDX-License-Identifier: Apache-2.0 */
/* Context lifetime and backend selection. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* ---- fork generation ------------------------------------------------ */

static atomic_uint fork_gen;
static pthread_once_t fork_once = PTHREAD_ONCE_INIT;

static void on_fork_child(void)
{
	atomic_fetch_add_explicit(&fork_gen, 1, memory_order_relaxed);
}

static void install_fork_handler(void)
{
	(void)pthread_atfork(NULL, NULL, on_fork_child);
}

unsigned caec_priv_fork_gen(void)
{
	return atomic_load_explicit(&fork_gen, memory_order_relaxed);
}

/* ---- pinned platform key --------------------------------------------- */

/* Read the pinned key file (a PEM public key, at most 16 KiB). */
static int load_pinned_key(struct caec_ctx *ctx, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOMEM ? CAEC_E_NOMEM : CAEC_E_INVAL;
	size_t cap = 16384, n = 0;
	uint8_t *b = malloc(cap);
	if (!b) {
		close(fd);
		return CAEC_E_NOMEM;
	}
	for (;;) {
		ssize_t r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
		if (n == cap) {
			n = 0; /* too big to be a key */
			break;
		}
	}
	close(fd);
	if (n == 0) {
		free(b);
		return CAEC_E_INVAL;
	}
	ctx->pinned_key = b;
	ctx->pinned_key_len = n;
	return 0;
}

const char *caec_version(void)
{
	return CAEC_VERSION_STRING;
}

int caec_open(struct caec_ctx **out, const struct caec_config *cfg)
{
	struct caec_priv_config pc;
	int rc;

	if (!out)
		return CAEC_E_INVAL;
	rc = caec_priv_config(cfg, &pc);
	if (rc < 0)
		return rc;
	pthread_once(&fork_once, install_fork_handler);
	const struct caec_backend_ops *ops = pc.ops;

	struct caec_ctx *ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return CAEC_E_NOMEM;
	ctx->ops = ops;
	ctx->fork_gen = caec_priv_fork_gen();
	atomic_init(&ctx->platform_lost, false);
	const char *key = pc.c.platform_key_file;
	if (key && *key) {
		rc = load_pinned_key(ctx, key);
		if (rc == CAEC_E_INVAL && pc.key_from_env)
			rc = CAEC_E_ENV; /* CAEC_PLATFORM_KEY names no key file */
		if (rc < 0) {
			free(ctx);
			return rc;
		}
	}
	if (pthread_mutex_init(&ctx->lock, NULL) != 0) {
		free(ctx->pinned_key);
		free(ctx);
		return CAEC_E_NOMEM;
	}
	if (caec_priv_notify_init(ctx) < 0) {
		pthread_mutex_destroy(&ctx->lock);
		free(ctx->pinned_key);
		free(ctx);
		return CAEC_E_NOMEM;
	}
	rc = ops->open(ctx, &pc.c, &ctx->priv, &ctx->self_id, &ctx->flags);
	if (rc == 0 && ctx->pinned_key) {
		/* A pinned key is the trust anchor: the platform must prove,
		 * with a fresh token, that it holds it -- else this is not the
		 * platform we meant to trust. */
		rc = caec_priv_prove_platform(ctx);
		if (rc == 0)
			ctx->flags |= CAEC_CTX_F_KEY_PINNED;
		else
			ops->close(ctx->priv, false);
	}
	if (rc < 0) {
		caec_priv_notify_fini(ctx, false);
		pthread_mutex_destroy(&ctx->lock);
		free(ctx->pinned_key);
		free(ctx);
		return rc;
	}
	*out = ctx;
	return CAEC_OK;
}

void caec_close(struct caec_ctx *ctx)
{
	if (!ctx)
		return;
	if (caec_priv_forked(ctx)) {
		/* An inherited copy: its lock may be held by a thread that does
		 * not exist here, its event thread does not exist here, and the
		 * platform connection is the parent's.  Free our copy only. */
		for (struct caec_region *r = ctx->regions, *nx; r; r = nx) {
			nx = r->next;
			/* Not inherited (MADV_DONTFORK), but a revoked region's
			 * inaccessible placeholder is: give the range back. */
			munmap(r->map.addr, r->map.size);
			free(r);
		}
		caec_priv_watch_fini(ctx, true);
		ctx->ops->close(ctx->priv, true);
		caec_priv_notify_fini(ctx, true);
		free(ctx->pinned_key);
		free(ctx);
		return;
	}
	/* The channel watcher first: it reads regions that go below. */
	caec_priv_watch_fini(ctx, false);
	/* Release every region still held: providers destroy, consumers
	 * detach.  Errors are ignored: the platform reclaims everything a
	 * disconnected realm held anyway. */
	for (;;) {
		pthread_mutex_lock(&ctx->lock);
		struct caec_region *r = ctx->regions;
		pthread_mutex_unlock(&ctx->lock);
		if (!r)
			break;
		int rc = r->provider ? caec_unshare(r) : caec_detach(r);
		(void)rc; /* the handle is freed either way */
	}
	ctx->ops->close(ctx->priv, false);
	/* After the event thread is gone: nothing raises events any more. */
	caec_priv_notify_fini(ctx, false);
	pthread_mutex_destroy(&ctx->lock);
	free(ctx->pinned_key);
	free(ctx);
}

int caec_ctx_flags(const struct caec_ctx *ctx, uint32_t *flags)
{
	if (!ctx || !flags)
		return CAEC_E_INVAL;
	*flags = ctx->flags;
	return CAEC_OK;
}

const char *caec_backend_name(const struct caec_ctx *ctx)
{
	return ctx ? ctx->ops->name : "";
}

int caec_self_id(const struct caec_ctx *ctx, uint64_t *id)
{
	if (!ctx || !id)
		return CAEC_E_INVAL;
	if (caec_priv_forked(ctx))
		return CAEC_E_FORKED;
	*id = ctx->self_id;
	return CAEC_OK;
}
