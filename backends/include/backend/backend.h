/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The backend interface: one vtable, one file per backend.
 *
 * A backend is a transport to the CSM platform (caec-simd over a Unix
 * socket, or the RMM through the CSM driver / SMC) plus the way that
 * platform's memory gets mapped.  Behaviour, errors and limits are the same
 * on every backend: the platform runs the one CSM state machine (core/csm),
 * so a backend only marshals calls and maps memory.
 *
 * All functions return 0 (or a count) or a negative enum caec_err, already
 * translated from the transport's own errors (errno, RSI status) by the
 * backend: that translation happens once, here, at the edge.
 */
#ifndef CAEC_BACKEND_BACKEND_H
#define CAEC_BACKEND_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <caec/caec.h>

struct caec_ctx;

/* A mapping handed back by share/attach: where the memory now is. */
struct caec_mapping {
	void *addr;
	size_t size;
	unsigned perm;     /* CAEC_PERM_RO / CAEC_PERM_RW */
	uint64_t id;       /* region ID (share) or grant ID (attach) */
	uint64_t provider; /* provider realm ID */
	uint32_t flags;    /* CAEC_GRANT_F_SEALED */
	uint32_t hash_len; /* content hash if sealed */
	uint8_t hash[CAEC_HASH_MAX];
	intptr_t cookie;   /* backend-private (sim: the provider's memfd) */
};

/* Events a backend reports to the core (from its event thread, if any). */
enum caec_backend_event {
	CAEC_BEV_REVOKED = 1,       /* consumer: grant `id` lost (revoke/unshare/death) */
	CAEC_BEV_PEER_ATTACHED = 2, /* provider: region `id`, grant `grant` attached */
	CAEC_BEV_PEER_DETACHED = 3, /* provider: region `id`, grant `grant` detached */
	CAEC_BEV_PLATFORM_LOST = 4, /* the platform is gone (daemon died, or it
				     * disconnected us): every consumer mapping
				     * is revoked, as for CAEC_BEV_REVOKED */
	CAEC_BEV_GRANTED = 5,       /* consumer: grant `id` was made to this realm
				     * (a notification: the grant list has it) */
};

/*
 * Called by a backend when an event arrives.  For CAEC_BEV_REVOKED the core
 * unpublishes the mapping, waits for readers (RCU), then calls
 * ops->unmap_revoked() to replace the mapping with an inaccessible one;
 * only after that returns may the backend acknowledge the revocation.
 */
void caec_priv_backend_event(struct caec_ctx *ctx, enum caec_backend_event ev,
			     uint64_t id, uint64_t grant);

struct caec_backend_ops {
	const char *name;
	/*
	 * Where open() would connect (a socket path, a device node), written
	 * NUL-terminated to buf: its length, CAEC_E_INVAL if it cannot be
	 * named (too long for a socket address), CAEC_E_RANGE if cap is too
	 * small.  cfg is complete (src/config.c): backends read no
	 * environment variable of their own.  NULL: cannot be named here.
	 */
	int (*endpoint)(const struct caec_config *cfg, char *buf, size_t cap);
	/* Connect.  Store the backend's state in *priv; learn the realm ID
	 * and what the platform says about this realm (CAEC_CTX_F_*). */
	int (*open)(struct caec_ctx *ctx, const struct caec_config *cfg,
		    void **priv, uint64_t *self_id, uint32_t *flags);
	/* Disconnect and free priv.  The platform cleans up what is left.
	 * forked: this is a child's inherited copy -- free it without any
	 * platform call and without touching the parent's threads. */
	void (*close)(void *priv, bool forked);
	/* Provider: create + map a region of size bytes (RW). */
	int (*share)(void *priv, size_t size, struct caec_mapping *m);
	int (*grant)(void *priv, uint64_t region_id, uint64_t consumer,
		     unsigned perm, const struct caec_grant_policy *policy,
		     uint64_t *grant_id);
	int (*revoke)(void *priv, uint64_t region_id, uint64_t grant_id);
	/* Provider: destroy the region and unmap it (m from share). */
	int (*unshare)(void *priv, const struct caec_mapping *m);
	/* Provider: seal; returns the hash length, and the mapping in m is
	 * read-only; on failure it is read-write again (unless the platform
	 * is gone).  CAEC_E_UNCONFIRMED: sealed all the same (m and hash
	 * filled in, hash length in m->hash_len), but a consumer revoked for
	 * the seal was disconnected before it confirmed its unmap. */
	int (*seal)(void *priv, struct caec_mapping *m, uint8_t *hash,
		    size_t cap);
	/* Consumer: the grants made to this realm: the first cap written to
	 * out, the total count returned (as caec_grant_list()). */
	int (*grant_list)(void *priv, struct caec_grant_info *out, size_t cap);
	int (*attach)(void *priv, uint64_t grant_id,
		      const struct caec_attach_opts *opts,
		      struct caec_mapping *m);
	/* Consumer: detach and unmap (also after a revocation). */
	int (*detach)(void *priv, const struct caec_mapping *m, bool revoked);
	/*
	 * Consumer, from the event path: make m inaccessible (keep the
	 * address range reserved so stale pointers fault).
	 */
	void (*unmap_revoked)(void *priv, const struct caec_mapping *m);
	/*
	 * A new read-only, close-on-exec descriptor of m's memory (m from
	 * share, as provider, or from attach), for caec_region_export_fd();
	 * the core checks it.  NULL: not supported.
	 */
	int (*export_fd)(void *priv, const struct caec_mapping *m, bool provider,
			 int *fd);
	/*
	 * Attestation: this realm's token for a 64-byte challenge, written to
	 * buf (cap bytes); returns its length.  NULL: not supported.
	 */
	int (*attest_token)(void *priv, const uint8_t challenge[64],
			    uint8_t *buf, size_t cap);
	/*
	 * The platform's public key(s) for token verification (sim: the
	 * simulated platform key, PEM or DER); returns length.  NULL: none.
	 */
	int (*platform_key)(void *priv, uint8_t *buf, size_t cap);
	/*
	 * For a backend that has no event thread where it runs (rsi in a
	 * realm: one thread per process): fetch the platform's pending
	 * events now, without blocking, and report each through
	 * caec_priv_backend_event().  The core calls it (caec_priv_poll) at
	 * the top of the calls that must see a revocation -- before it takes
	 * any lock or enters a read-side section.  NULL (sim), or a no-op
	 * while an event thread runs.
	 */
	void (*poll)(void *priv);
	/*
	 * true if the platform reports, and the library can pass on through
	 * a descriptor, what caec_ctx_fd() promises: grants made to this
	 * realm, region events, a thread to watch channels (sim).  false:
	 * caec_ctx_fd(), caec_ctx_events() and caec_channel_watch() are
	 * CAEC_E_NOTSUP (rsi: the RMM announces no grant).
	 */
	bool event_fd;
	/*
	 * true if a revoked region's memory is already gone when the core
	 * hears of the revocation (rsi: the RMM unmaps at once and the
	 * driver finds out after), so the event path must not touch it;
	 * false if the core is told first and unmaps itself (sim).
	 */
	bool revoked_before_event;
};

/*
 * For a region handler (src/channel): may it still touch the region's
 * memory while handling CAEC_REGION_EV_REVOKED?
 */
bool caec_priv_revoked_memory_gone(const struct caec_region *r);

/* The core's side of ops->poll: call it if the backend has one. */
void caec_priv_poll(struct caec_ctx *ctx);

/*
 * Doorbell words in regions a backend maps from another realm (rsi),
 * which the OS's futex cannot sleep on (src/channel/bell.c): sleep while
 * *word == val for at most timeout_ns (< 0: no limit), or wake the peers.  CAEC_E_NOTSUP when word is not in
 * such a region (the caller uses the OS's futex); else 0, CAEC_E_TIMEDOUT,
 * CAEC_E_CLOSED (revoked or unmapped), CAEC_E_PLATFORM.  Implemented by
 * the rsi backend (backends/rsi/rsi_words.c), which every build links.
 */
int caec_backend_word_sleep(uint32_t *word, uint32_t val, int64_t timeout_ns);
int caec_backend_word_wake(uint32_t *word);
/* Is word in such a region (so the OS's futex cannot sleep on it)? */
bool caec_backend_word_is_platform(const uint32_t *word);

extern const struct caec_backend_ops caec_backend_sim;
extern const struct caec_backend_ops caec_backend_rsi;

#endif /* CAEC_BACKEND_BACKEND_H */
