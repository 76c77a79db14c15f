/* SPDX-License-Identifier: Apache-2.0 */
/* Context lifetime and backend selection. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

const char *caec_version(void)
{
	return CAEC_VERSION_STRING;
}

/* The backend a context uses when neither the config nor CAEC_BACKEND says. */
static const char *default_backend(void)
{
#if defined(__aarch64__)
	return "rsi";
#else
	return "sim";
#endif
}

static const struct caec_backend_ops *find_backend(const char *name)
{
	if (strcmp(name, "sim") == 0)
		return &caec_backend_sim;
	if (strcmp(name, "rsi") == 0)
		return &caec_backend_rsi;
	return NULL;
}

int caec_open(struct caec_ctx **out, const struct caec_config *cfg)
{
	struct caec_config def = { .size = sizeof(def) };
	struct caec_config c;
	const char *name;
	int rc;

	if (!out)
		return CAEC_E_INVAL;
	if (!cfg)
		cfg = &def;
	/* Accept configs from older callers (smaller) and newer ones whose
	 * extra fields are all zero; a zero size is a caller bug. */
	if (cfg->size < offsetof(struct caec_config, timeout_ms) + sizeof(uint32_t))
		return CAEC_E_INVAL;
	if (cfg->size > sizeof(c)) {
		const unsigned char *extra = (const unsigned char *)cfg + sizeof(c);
		for (size_t i = 0; i < cfg->size - sizeof(c); i++)
			if (extra[i])
				return CAEC_E_INVAL;
	}
	/* An older caller's config is shorter: copy what it has, the rest
	 * of ours stays zero (default). */
	memset(&c, 0, sizeof(c));
	memcpy(&c, cfg, cfg->size < sizeof(c) ? cfg->size : sizeof(c));
	c.size = sizeof(c);
	if (c.flags != 0)
		return CAEC_E_INVAL;

	name = c.backend;
	if (!name)
		name = getenv("CAEC_BACKEND");
	if (!name || !*name)
		name = default_backend();
	const struct caec_backend_ops *ops = find_backend(name);
	if (!ops)
		return CAEC_E_INVAL;

	struct caec_ctx *ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return CAEC_E_NOMEM;
	ctx->ops = ops;
	atomic_init(&ctx->platform_lost, false);
	if (pthread_mutex_init(&ctx->lock, NULL) != 0) {
		free(ctx);
		return CAEC_E_NOMEM;
	}
	rc = ops->open(ctx, &c, &ctx->priv, &ctx->self_id);
	if (rc < 0) {
		pthread_mutex_destroy(&ctx->lock);
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
	ctx->ops->close(ctx->priv);
	pthread_mutex_destroy(&ctx->lock);
	free(ctx);
}

const char *caec_backend_name(const struct caec_ctx *ctx)
{
	return ctx ? ctx->ops->name : "";
}

int caec_self_id(const struct caec_ctx *ctx, uint64_t *id)
{
	if (!ctx || !id)
		return CAEC_E_INVAL;
	*id = ctx->self_id;
	return CAEC_OK;
}
