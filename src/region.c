/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Region handles: argument checks, the per-context registry, RCU-published
 * mappings and the revocation path.  Everything platform-specific is in the
 * backend.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <urcu/urcu-bp.h>

/* ---- registry -------------------------------------------------------- */

void caec_priv_region_link(struct caec_ctx *ctx, struct caec_region *r)
{
	pthread_mutex_lock(&ctx->lock);
	r->prev = NULL;
	r->next = ctx->regions;
	if (ctx->regions)
		ctx->regions->prev = r;
	ctx->regions = r;
	pthread_mutex_unlock(&ctx->lock);
}

/* Caller holds ctx->lock. */
static void unlink_locked(struct caec_ctx *ctx, struct caec_region *r)
{
	if (r->prev)
		r->prev->next = r->next;
	else
		ctx->regions = r->next;
	if (r->next)
		r->next->prev = r->prev;
	r->prev = r->next = NULL;
}

void caec_priv_region_unlink(struct caec_ctx *ctx, struct caec_region *r)
{
	pthread_mutex_lock(&ctx->lock);
	unlink_locked(ctx, r);
	pthread_mutex_unlock(&ctx->lock);
}

static struct caec_region *region_new(struct caec_ctx *ctx, bool provider,
				      const struct caec_mapping *m)
{
	struct caec_region *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->ctx = ctx;
	r->provider = provider;
	r->map = *m;
	atomic_init(&r->revoked, false);
	atomic_init(&r->access_lost, false);
	rcu_assign_pointer(r->rcu_addr, m->addr);
	return r;
}

/* Caller holds ctx->lock. */
static struct caec_region *find_locked(struct caec_ctx *ctx, bool provider,
				       uint64_t id)
{
	for (struct caec_region *r = ctx->regions; r; r = r->next)
		if (r->provider == provider && r->map.id == id)
			return r;
	return NULL;
}

/* ---- provider -------------------------------------------------------- */

int caec_share(struct caec_ctx *ctx, size_t size, unsigned flags,
	       struct caec_region **out)
{
	struct caec_mapping m;
	int rc;

	if (!ctx || !out || flags != 0)
		return CAEC_E_INVAL;
	if (size == 0 || size % CAEC_GRANULE_SIZE != 0)
		return CAEC_E_ALIGN;
	if ((uint64_t)size > CAEC_REGION_MAX_SIZE)
		return CAEC_E_RANGE;
	if (caec_priv_forked(ctx))
		return CAEC_E_FORKED;
	memset(&m, 0, sizeof(m));
	rc = ctx->ops->share(ctx->priv, size, &m);
	if (rc < 0)
		return rc;
	m.provider = ctx->self_id;
	struct caec_region *r = region_new(ctx, true, &m);
	if (!r) {
		(void)ctx->ops->unshare(ctx->priv, &m);
		return CAEC_E_NOMEM;
	}
	caec_priv_region_link(ctx, r);
	*out = r;
	return CAEC_OK;
}

int caec_grant(struct caec_region *r, uint64_t consumer, unsigned perm,
	       const struct caec_grant_policy *policy, uint64_t *grant_id)
{
	if (!r || !grant_id)
		return CAEC_E_INVAL;
	if (perm != CAEC_PERM_RO && perm != CAEC_PERM_RW)
		return CAEC_E_INVAL;
	if (consumer == 0 || consumer == r->ctx->self_id)
		return CAEC_E_INVAL;
	if (policy) {
		if (policy->size < sizeof(*policy) || policy->rim_len > CAEC_HASH_MAX)
			return CAEC_E_INVAL;
	}
	if (!r->provider)
		return CAEC_E_DENIED;
	if (caec_priv_forked(r->ctx))
		return CAEC_E_FORKED;
	if (atomic_load(&r->revoked))
		return CAEC_E_REVOKED;
	return r->ctx->ops->grant(r->ctx->priv, r->map.id, consumer, perm,
				  policy, grant_id);
}

int caec_revoke(struct caec_region *r, uint64_t grant_id)
{
	if (!r || grant_id == 0)
		return CAEC_E_INVAL;
	if (!r->provider)
		return CAEC_E_DENIED;
	if (caec_priv_forked(r->ctx))
		return CAEC_E_FORKED;
	return r->ctx->ops->revoke(r->ctx->priv, r->map.id, grant_id);
}

int caec_unshare(struct caec_region *r)
{
	if (!r)
		return CAEC_E_INVAL;
	if (!r->provider)
		return CAEC_E_DENIED;
	struct caec_ctx *ctx = r->ctx;
	if (caec_priv_forked(ctx))
		return CAEC_E_FORKED;
	/* Unpublish first so enter() callers stop using it, then wait. */
	pthread_mutex_lock(&ctx->lock);
	atomic_store(&r->revoked, true);
	rcu_assign_pointer(r->rcu_addr, NULL);
	unlink_locked(ctx, r);
	pthread_mutex_unlock(&ctx->lock);
	urcu_bp_synchronize_rcu();
	int rc = ctx->ops->unshare(ctx->priv, &r->map);
	pthread_mutex_lock(&ctx->lock);
	caec_priv_unmap_exports(r);
	pthread_mutex_unlock(&ctx->lock);
	free(r);
	/* Any failure other than a dead platform is reported, but the handle
	 * is gone: the platform reclaims the region at disconnect. */
	return rc;
}

int caec_seal(struct caec_region *r, uint8_t *hash, size_t hash_cap)
{
	if (!r || (!hash && hash_cap != 0))
		return CAEC_E_INVAL;
	if (!r->provider)
		return CAEC_E_DENIED;
	if (hash && hash_cap < 32)
		return CAEC_E_RANGE;
	if (r->map.flags & CAEC_GRANT_F_SEALED)
		return CAEC_E_STATE;
	if (caec_priv_forked(r->ctx))
		return CAEC_E_FORKED;
	if (!r->ctx->ops->seal)
		return CAEC_E_NOTSUP;
	/* What third-party code mapped from descriptors exported before the
	 * seal goes first, as the backend takes the library's own mapping
	 * away for the seal: a seal by copy (sim) replaces the memory and
	 * scrubs the old, which those mappings would go on reading as
	 * zeros.  Export again after the seal. */
	pthread_mutex_lock(&r->ctx->lock);
	caec_priv_unmap_exports(r);
	r->n_exported = 0;
	pthread_mutex_unlock(&r->ctx->lock);
	/* The backend remaps in place (same address), so published readers
	 * keep a valid pointer; only the permission changes. */
	struct caec_mapping m = r->map;
	uint8_t buf[CAEC_HASH_MAX];
	int rc = r->ctx->ops->seal(r->ctx->priv, &m, buf, sizeof(buf));
	/* Unconfirmed: sealed all the same (a consumer revoked for the seal
	 * was disconnected first); the caller gets the hash and the error. */
	bool unconfirmed = rc == CAEC_E_UNCONFIRMED;
	if (unconfirmed)
		rc = (int)m.hash_len;
	if (rc < 0)
		return rc;
	pthread_mutex_lock(&r->ctx->lock);
	r->map = m;
	pthread_mutex_unlock(&r->ctx->lock);
	if (hash) {
		if ((size_t)rc > hash_cap)
			return CAEC_E_RANGE;
		memcpy(hash, buf, (size_t)rc);
	}
	return unconfirmed ? CAEC_E_UNCONFIRMED : rc;
}

/* ---- consumer -------------------------------------------------------- */

int caec_grant_list(struct caec_ctx *ctx, struct caec_grant_info *out, size_t cap)
{
	if (!ctx || (!out && cap > 0))
		return CAEC_E_INVAL;
	if (caec_priv_forked(ctx))
		return CAEC_E_FORKED;
	caec_priv_poll(ctx);
	return ctx->ops->grant_list(ctx->priv, out, cap);
}

int caec_attach(struct caec_ctx *ctx, uint64_t grant_id,
		const struct caec_attach_opts *opts, struct caec_region **out)
{
	struct caec_mapping m;
	int rc;

	if (!ctx || !out || grant_id == 0)
		return CAEC_E_INVAL;
	if (opts && (opts->size < sizeof(*opts) || opts->hash_len > CAEC_HASH_MAX))
		return CAEC_E_INVAL;
	if (caec_priv_forked(ctx))
		return CAEC_E_FORKED;
	caec_priv_poll(ctx);
	/* ctx->lock is held across the platform call so that a revocation
	 * event for this grant (handled on the event thread, also under
	 * ctx->lock) is processed only after the region is in the registry:
	 * it then finds the new mapping and removes it.  The platform never
	 * delays an attach reply on an event acknowledgement, so this cannot
	 * deadlock. */
	pthread_mutex_lock(&ctx->lock);
	if (find_locked(ctx, false, grant_id)) {
		/* Refuse a second handle on the same grant. */
		pthread_mutex_unlock(&ctx->lock);
		return CAEC_E_STATE;
	}
	memset(&m, 0, sizeof(m));
	rc = ctx->ops->attach(ctx->priv, grant_id, opts, &m);
	if (rc < 0) {
		pthread_mutex_unlock(&ctx->lock);
		return rc;
	}
	struct caec_region *r = region_new(ctx, false, &m);
	if (!r) {
		pthread_mutex_unlock(&ctx->lock);
		(void)ctx->ops->detach(ctx->priv, &m, false);
		return CAEC_E_NOMEM;
	}
	r->next = ctx->regions;
	if (ctx->regions)
		ctx->regions->prev = r;
	ctx->regions = r;
	pthread_mutex_unlock(&ctx->lock);
	*out = r;
	return CAEC_OK;
}

int caec_detach(struct caec_region *r)
{
	if (!r)
		return CAEC_E_INVAL;
	if (r->provider)
		return CAEC_E_DENIED;
	struct caec_ctx *ctx = r->ctx;
	if (caec_priv_forked(ctx))
		return CAEC_E_FORKED;
	pthread_mutex_lock(&ctx->lock);
	bool was_revoked = atomic_exchange(&r->revoked, true);
	rcu_assign_pointer(r->rcu_addr, NULL);
	unlink_locked(ctx, r);
	pthread_mutex_unlock(&ctx->lock);
	urcu_bp_synchronize_rcu();
	int rc = ctx->ops->detach(ctx->priv, &r->map, was_revoked);
	pthread_mutex_lock(&ctx->lock);
	caec_priv_unmap_exports(r);
	pthread_mutex_unlock(&ctx->lock);
	free(r);
	/* After a revocation the platform has no attachment left to undo (a
	 * revoke or unshare removed the grant; a seal by copy detached it,
	 * keeping the grant): the detach is purely local and succeeds. */
	if (was_revoked)
		return CAEC_OK;
	return rc;
}

/* ---- accessors --------------------------------------------------------- */

void *caec_region_addr(const struct caec_region *r)
{
	return r ? r->map.addr : NULL;
}

size_t caec_region_size(const struct caec_region *r)
{
	return r ? r->map.size : 0;
}

unsigned caec_region_perm(const struct caec_region *r)
{
	return r ? r->map.perm : 0;
}

uint64_t caec_region_id(const struct caec_region *r)
{
	return r ? r->map.id : 0;
}

/* map.id is the region ID from share, the grant ID from attach. */
uint64_t caec_region_region_id(const struct caec_region *r)
{
	return r && r->provider ? r->map.id : 0;
}

uint64_t caec_region_grant_id(const struct caec_region *r)
{
	return r && !r->provider ? r->map.id : 0;
}

uint64_t caec_region_provider(const struct caec_region *r)
{
	return r ? r->map.provider : 0;
}

bool caec_region_is_provider(const struct caec_region *r)
{
	return r && r->provider;
}

bool caec_region_is_sealed(const struct caec_region *r)
{
	return r && (r->map.flags & CAEC_GRANT_F_SEALED);
}

bool caec_region_is_revoked(const struct caec_region *r)
{
	if (r)
		caec_priv_poll(r->ctx);
	return r && atomic_load(&((struct caec_region *)r)->access_lost);
}

bool caec_priv_region_closing(const struct caec_region *r)
{
	return r && atomic_load(&((struct caec_region *)r)->revoked);
}

void *caec_region_enter(struct caec_region *r)
{
	if (r)
		caec_priv_poll(r->ctx); /* outside the section: it may revoke */
	urcu_bp_read_lock();
	if (!r)
		return NULL;
	/* A forked child did not inherit the memory (MADV_DONTFORK). */
	if (caec_priv_forked(r->ctx))
		return NULL;
	/* Pairs with rcu_assign_pointer() in region_new() and the NULL
	 * stores on revocation. */
	return rcu_dereference(r->rcu_addr);
}

void caec_region_leave(struct caec_region *r)
{
	(void)r;
	urcu_bp_read_unlock();
}

int caec_region_set_event_handler(struct caec_region *r,
				  caec_region_event_fn fn, void *arg)
{
	if (!r)
		return CAEC_E_INVAL;
	if (caec_priv_forked(r->ctx))
		return CAEC_E_FORKED;
	pthread_mutex_lock(&r->ctx->lock);
	r->handler = fn;
	r->handler_arg = arg;
	pthread_mutex_unlock(&r->ctx->lock);
	return CAEC_OK;
}

void caec_priv_region_hook_add(struct caec_region *r, struct caec_priv_region_hook *h)
{
	pthread_mutex_lock(&r->ctx->lock);
	h->next = r->hooks;
	r->hooks = h;
	pthread_mutex_unlock(&r->ctx->lock);
}

void caec_priv_region_hook_remove(struct caec_region *r, struct caec_priv_region_hook *h)
{
	pthread_mutex_lock(&r->ctx->lock);
	for (struct caec_priv_region_hook **pp = &r->hooks; *pp; pp = &(*pp)->next) {
		if (*pp == h) {
			*pp = h->next;
			break;
		}
	}
	pthread_mutex_unlock(&r->ctx->lock);
}

/* ---- events from the backend ------------------------------------------ */

/* Caller holds ctx->lock: the library's hooks (channels waking their
 * sleepers) first, then the application's handler. */
static void dispatch_locked(struct caec_region *r, int ev, uint64_t grant)
{
	for (struct caec_priv_region_hook *h = r->hooks; h; h = h->next)
		h->fn(r, ev, grant, h->arg);
	if (r->handler)
		r->handler(r, ev, grant, r->handler_arg);
}

void caec_priv_backend_event(struct caec_ctx *ctx, enum caec_backend_event ev,
			     uint64_t id, uint64_t grant)
{
	struct caec_region *r;
	bool handled = false;

	switch (ev) {
	case CAEC_BEV_REVOKED:
		/* Whole revocation under ctx->lock: caec_detach() cannot free r
		 * meanwhile.  Readers never take ctx->lock, so waiting for the
		 * grace period here cannot deadlock with them. */
		pthread_mutex_lock(&ctx->lock);
		r = find_locked(ctx, false, id);
		if (r && !atomic_exchange(&r->revoked, true)) {
			rcu_assign_pointer(r->rcu_addr, NULL);
			dispatch_locked(r, CAEC_REGION_EV_REVOKED, id);
			urcu_bp_synchronize_rcu();
			ctx->ops->unmap_revoked(ctx->priv, &r->map);
			caec_priv_unmap_exports(r);
			/* Only now may is_revoked() say so: its caller may touch
			 * the old address (or an exported mapping) and expects
			 * it to fault. */
			atomic_store(&r->access_lost, true);
			handled = true;
		}
		pthread_mutex_unlock(&ctx->lock);
		/* After the region is done: a loop woken by this sees
		 * caec_region_is_revoked() true. */
		if (handled)
			caec_priv_ctx_raise(ctx, CAEC_CTX_EV_REGION);
		break;
	case CAEC_BEV_PEER_ATTACHED:
	case CAEC_BEV_PEER_DETACHED:
		pthread_mutex_lock(&ctx->lock);
		r = find_locked(ctx, true, id);
		if (r)
			dispatch_locked(r, ev == CAEC_BEV_PEER_ATTACHED ?
					   CAEC_REGION_EV_PEER_ATTACHED :
					   CAEC_REGION_EV_PEER_DETACHED,
					grant);
		pthread_mutex_unlock(&ctx->lock);
		if (r)
			caec_priv_ctx_raise(ctx, CAEC_CTX_EV_REGION);
		break;
	case CAEC_BEV_PLATFORM_LOST:
		/* Without the platform nobody can revoke us any more, so we
		 * revoke ourselves: every consumer mapping goes, at once (one
		 * grace period), as a revocation would take it.  The provider's
		 * own regions stay: the memory is this realm's. */
		atomic_store(&ctx->platform_lost, true);
		pthread_mutex_lock(&ctx->lock);
		for (r = ctx->regions; r; r = r->next) {
			if (r->provider || atomic_exchange(&r->revoked, true))
				continue;
			rcu_assign_pointer(r->rcu_addr, NULL);
			r->unmap_pending = true;
			dispatch_locked(r, CAEC_REGION_EV_REVOKED, r->map.id);
		}
		urcu_bp_synchronize_rcu();
		for (r = ctx->regions; r; r = r->next) {
			if (!r->unmap_pending)
				continue;
			r->unmap_pending = false;
			ctx->ops->unmap_revoked(ctx->priv, &r->map);
			caec_priv_unmap_exports(r);
			atomic_store(&r->access_lost, true);
		}
		pthread_mutex_unlock(&ctx->lock);
		caec_priv_ctx_raise(ctx, CAEC_CTX_EV_PLATFORM_LOST | CAEC_CTX_EV_REGION);
		break;
	case CAEC_BEV_GRANTED:
		/* Nothing to do here but tell the application. */
		caec_priv_ctx_raise(ctx, CAEC_CTX_EV_GRANT);
		break;
	}
}

/* ---- channels ----------------------------------------------------------- */

int caec_priv_region_channel_get(struct caec_region *r, bool exclusive)
{
	int rc = 0;
	pthread_mutex_lock(&r->ctx->lock);
	if (r->channel_exclusive || (exclusive && r->channels))
		rc = CAEC_E_EXIST;
	else {
		r->channels++;
		r->channel_exclusive = exclusive;
	}
	pthread_mutex_unlock(&r->ctx->lock);
	return rc;
}

void caec_priv_region_channel_put(struct caec_region *r, bool exclusive)
{
	pthread_mutex_lock(&r->ctx->lock);
	if (r->channels)
		r->channels--;
	if (exclusive)
		r->channel_exclusive = false;
	pthread_mutex_unlock(&r->ctx->lock);
}
