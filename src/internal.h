/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libcaec internals: the context and region handle.
 *
 * Locking (docs/locking.md):
 *   ctx->lock      protects the region registry (ctx->regions list), each
 *                  region's event handler and its revoked flag.  The event
 *                  path holds it across a whole revocation (unpublish,
 *                  handler, RCU grace period, unmap) so that caec_detach()
 *                  can never free a region under it.
 *   Backend requests are made without lock held (the backend serializes
 *   its own transport), with two exceptions: caec_attach() holds lock
 *   across its request so that a revocation racing with the attach is
 *   processed after the new region is registered, and
 *   caec_region_export_fd() so that one racing with the export either
 *   refuses it or unmaps what the caller maps from it (docs/locking.md).
 * RCU (liburcu "bp" flavor, so application threads need no registration):
 *   region->rcu_addr is the published mapping; caec_region_enter() reads
 *   it under urcu_bp_read_lock().
 */
#ifndef CAEC_SRC_INTERNAL_H
#define CAEC_SRC_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <caec/caec.h>

#include <backend/backend.h>

#include "os/os.h"

/* Distinct files descriptors of one region were exported from
 * (export.c): one, its memory (caec_seal() clears the list); room to
 * spare. */
#define CAEC_REGION_EXPORTS_MAX 4

/*
 * A library-internal listener of a region's events (a channel): it runs
 * before the application's handler and is not replaced by it, so a
 * channel never takes the application's place (or the reverse).
 */
struct caec_priv_region_hook {
	caec_region_event_fn fn;
	void *arg;
	struct caec_priv_region_hook *next; /* under ctx->lock */
};

struct caec_region {
	struct caec_ctx *ctx;
	struct caec_mapping map;       /* immutable after creation, except perm/flags on seal */
	bool provider;
	void *rcu_addr;                /* RCU-published: map.addr, or NULL once revoked */
	atomic_bool revoked;           /* set under ctx->lock, read anywhere: unpublished */
	atomic_bool access_lost;       /* set once the old mapping faults (is_revoked) */
	caec_region_event_fn handler;  /* under ctx->lock */
	void *handler_arg;             /* under ctx->lock */
	struct caec_priv_region_hook *hooks; /* under ctx->lock */
	unsigned channels;             /* live channels on this handle, under ctx->lock */
	bool channel_exclusive;        /* one of them allows no other, under ctx->lock */
	bool unmap_pending;            /* platform lost: unmap after the grace period */
	/* files descriptors were exported from (caec_region_export_fd()),
	 * whose mappings in this process go when access ends; under ctx->lock */
	struct caec_os_file exported[CAEC_REGION_EXPORTS_MAX];
	unsigned n_exported;
	struct caec_region *prev, *next; /* ctx->regions, under ctx->lock */
};

struct caec_ctx {
	const struct caec_backend_ops *ops;
	void *priv;                    /* backend state */
	uint64_t self_id;              /* immutable after open */
	uint32_t flags;                /* CAEC_CTX_F_*, immutable after open */
	unsigned fork_gen;             /* caec_priv_fork_gen() at open */
	uint8_t *pinned_key;           /* PEM of the pinned platform key, or NULL */
	size_t pinned_key_len;
	pthread_mutex_t lock;
	struct caec_region *regions;   /* under lock */
	atomic_bool platform_lost;
	/* Event-loop integration (notify.c): CAEC_CTX_EV_* not yet taken,
	 * and the notifier descriptor once caec_ctx_fd() made it (-1). */
	atomic_uint ev_pending;
	atomic_int ev_fd;
	pthread_mutex_t ev_lock;       /* creating ev_fd; nothing else */
	struct caec_priv_watch *watch; /* channels watched (src/channel/watch.c) */
};

/* notify.c: raise CAEC_CTX_EV_* bits (any thread, never blocks). */
void caec_priv_ctx_raise(struct caec_ctx *ctx, uint32_t bits);
/* notify.c: set up / release the event state of a context. */
int caec_priv_notify_init(struct caec_ctx *ctx);
void caec_priv_notify_fini(struct caec_ctx *ctx, bool forked);
/* src/channel/watch.c: stop the watcher thread and free what it has. */
void caec_priv_watch_fini(struct caec_ctx *ctx, bool forked);

/* The longest caec_config.timeout_ns (one hour). */
#define CAEC_PRIV_TIMEOUT_MAX_NS (INT64_C(3600) * 1000000000)

/* caec_open()'s configuration, resolved (config.c). */
struct caec_priv_config {
	struct caec_config c;        /* complete: the backend reads only this */
	const struct caec_backend_ops *ops;
	char endpoint[1024];         /* what ops->endpoint() named */
	bool key_from_env;           /* c.platform_key_file is CAEC_PLATFORM_KEY */
	bool socket_from_env;        /* c.sim_socket is CAEC_SIM_SOCKET */
	const char *bad;             /* CAEC_E_ENV: the variable's name */
};
/*
 * Copy cfg (NULL: defaults; any caller's size) and complete it from the
 * CAEC_* variables it leaves to the environment, checking each one read.
 * CAEC_E_INVAL (cfg itself is bad), CAEC_E_ENV (pc->bad names the
 * variable), or what the backend's endpoint check returns.
 */
int caec_priv_config(const struct caec_config *cfg, struct caec_priv_config *pc);

/*
 * fork(): a context belongs to the process that opened it.  A
 * pthread_atfork() child handler (installed once, at the first
 * caec_open()) bumps a process-wide generation; a context whose generation
 * differs was inherited.  This counter is the library's only global state
 * besides liburcu's (docs/architecture.md).
 */
unsigned caec_priv_fork_gen(void);
static inline bool caec_priv_forked(const struct caec_ctx *ctx)
{
	return ctx->fork_gen != caec_priv_fork_gen();
}

/*
 * export.c: make every mapping in this process of a file exported from r
 * inaccessible (the ranges stay reserved).  Called, with ctx->lock held,
 * wherever access to r ends, after the backend dropped its own mapping.
 */
void caec_priv_unmap_exports(struct caec_region *r);

/* attest.c: make the platform prove it holds the pinned key. */
int caec_priv_prove_platform(struct caec_ctx *ctx);

/*
 * Channels on a region handle (region.c): one that formats or owns the
 * region exclusively (a provider's, or a one-to-one consumer's) excludes
 * every other; many-to-one consumer ends may share.  CAEC_E_EXIST if taken.
 */
int caec_priv_region_channel_get(struct caec_region *r, bool exclusive);
/* True once the region is unpublished (revoked, detached, unshared): the
 * library stops handing out its address, though the old mapping may not
 * fault yet (caec_region_is_revoked() says when it does). */
bool caec_priv_region_closing(const struct caec_region *r);
void caec_priv_region_channel_put(struct caec_region *r, bool exclusive);

/* Add or remove a hook (region.c).  Hooks run under ctx->lock, which
 * both take: once remove returns, no call of h is in progress. */
void caec_priv_region_hook_add(struct caec_region *r, struct caec_priv_region_hook *h);
void caec_priv_region_hook_remove(struct caec_region *r, struct caec_priv_region_hook *h);

/* Registry helpers (region.c). */
void caec_priv_region_link(struct caec_ctx *ctx, struct caec_region *r);
void caec_priv_region_unlink(struct caec_ctx *ctx, struct caec_region *r);

#endif /* CAEC_SRC_INTERNAL_H */
