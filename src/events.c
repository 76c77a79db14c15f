/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Platform events for backends without an event thread (ops->poll): the
 * rsi backend in a realm, whose processes have one thread.  The calls
 * that must notice a revocation ask for pending events first, outside
 * every lock and read-side section, so the revocation is processed as the
 * event thread would have processed it (region.c).
 */
#include "internal.h"

void caec_priv_poll(struct caec_ctx *ctx)
{
	if (ctx && ctx->ops->poll && !caec_priv_forked(ctx))
		ctx->ops->poll(ctx->priv);
}

bool caec_priv_revoked_memory_gone(const struct caec_region *r)
{
	return r && r->ctx->ops->revoked_before_event;
}
