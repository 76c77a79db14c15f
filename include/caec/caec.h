/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file caec/caec.h
 * @brief libcaec: confidential shared memory (CSM) between Arm CCA realms.
 *
 * A *realm* (a confidential VM; on the simulated platform, a process) opens a
 * context, which connects it to its platform: the Realm Management Monitor
 * (RMM) through the RSI backend, or the `caec-simd` daemon through the sim
 * backend.  The platform gives every realm a 64-bit, unpredictable,
 * never-reused *realm ID*.
 *
 * A *provider* realm creates a *region* (caec_share()), then grants it to a
 * named *consumer* realm, read-only or read-write (caec_grant()), which yields
 * a *grant ID*.  The consumer lists the grants made to it (caec_grant_list())
 * and consents by attaching (caec_attach()); only then is the same memory
 * mapped in both realms.  Nobody else -- not the hypervisor, not any other
 * realm -- can map it.  The provider can take a grant back (caec_revoke()) or
 * unshare the region, which revokes every grant first (caec_unshare()).  A
 * consumer leaves with caec_detach().  When a realm dies, its attachments are
 * dropped and its regions destroyed.
 *
 * Synchronization table (what may run concurrently):
 *
 * | call                                     | may run concurrently with            |
 * |------------------------------------------|--------------------------------------|
 * | caec_open / caec_close                   | nothing on the same context          |
 * | caec_share, caec_attach, caec_grant_list,| each other and any call on any       |
 * |  caec_self_id (same ctx)                 |  region handle of that context       |
 * | caec_grant, caec_revoke (same region)    | each other; not caec_unshare on it   |
 * | caec_unshare / caec_detach (a region)    | nothing else on that region handle   |
 * | caec_region_* accessors                  | anything but unshare/detach of it    |
 * | caec_region_enter / _leave               | anything, including revocation       |
 * | caec_ctx_fd, caec_ctx_events             | anything but caec_close              |
 *
 * Time: every duration the C API takes is a number of nanoseconds in an
 * int64_t -- channel and doorbell timeouts, caec_channel_wait_any(),
 * caec_config.timeout_ns -- with CAEC_TIMEOUT_INFINITE (-1) where waiting
 * forever makes sense and 0 for "do not wait".  (caec_config.timeout_ms,
 * in milliseconds, is kept for existing callers.)  Environment variables
 * and command-line options carry their unit in their name
 * (CAEC_TIMEOUT_MS, caec-simd --revoke-timeout-ms).
 */
#ifndef CAEC_CAEC_H
#define CAEC_CAEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <caec/abi/csm.h>
#include <caec/error.h>
#include <caec/export.h>
#include <caec/version.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Region sizes and CSM addresses are multiples of this (one CCA granule). */
#define CAEC_GRANULE_SIZE 4096u

/** Largest region the library accepts (the platform may allow less). */
#define CAEC_REGION_MAX_SIZE (UINT64_C(1) << 40)

/** Permission of a grant: read-only.  The CSM ABI's value (caec/abi/csm.h). */
#define CAEC_PERM_RO CAEC_CSM_PERM_RO
/** Permission of a grant: read-write.  The CSM ABI's value. */
#define CAEC_PERM_RW CAEC_CSM_PERM_RW

/** Longest measurement (RIM) or content hash the API carries, in bytes. */
#define CAEC_HASH_MAX 64u

/** An opaque library context: one connection of one realm to its platform. */
struct caec_ctx;
/** An opaque handle on a region: provided (created here) or attached. */
struct caec_region;

/**
 * Options for caec_open().  Zero-initialize, set `size = sizeof(struct
 * caec_config)`, then set what you need; NULL/0 fields take the default.
 * Callers built against an older, shorter struct keep working: fields
 * beyond their `size` take the default.
 */
struct caec_config {
	/** sizeof(struct caec_config) as the caller compiled it. */
	uint32_t size;
	/** CAEC_CONFIG_F_* (0: none). */
	uint32_t flags;
	/**
	 * Backend name: "sim" or "rsi".  NULL: the CAEC_BACKEND environment
	 * variable, else "sim" on x86 and "rsi" on AArch64.  Environment
	 * variables are read only for fields left NULL/0, and one that is
	 * malformed fails caec_open() with CAEC_E_ENV (an empty one counts
	 * as unset).
	 */
	const char *backend;
	/**
	 * sim: path of caec-simd's socket.  NULL: CAEC_SIM_SOCKET, else
	 * "$XDG_RUNTIME_DIR/caec-simd.sock", else
	 * "/tmp/caec-simd-<euid>/caec-simd.sock".  The library connects only
	 * if no other user can have placed or replaced the socket (every
	 * directory on the way owned by root, this user or the daemon's
	 * user, none writable by others except sticky ones on the way, the
	 * socket's own not at all; for the two defaults, the directory must
	 * be this user's with mode 0700) and only if the process listening is
	 * the expected user (sim_daemon_uid, SO_PEERCRED); otherwise
	 * caec_open() fails with CAEC_E_UNTRUSTED.  docs/sim-platform.md.
	 */
	const char *sim_socket;
	/**
	 * rsi: the CSM driver's device node (caec/abi/driver.h).  NULL:
	 * CAEC_RSI_DEVICE, else "/dev/caec" (CAEC_DRV_DEVICE).
	 */
	const char *rsi_device;
	/**
	 * Kept for existing callers: timeout_ns in milliseconds.  Set at
	 * most one of the two (both non-zero: CAEC_E_INVAL).
	 */
	uint32_t timeout_ms;
	/**
	 * sim: the user caec-simd must run as, used when flags has
	 * CAEC_CONFIG_F_SIM_DAEMON_UID; otherwise CAEC_SIM_DAEMON_UID (a
	 * decimal uid) if set, else this process's effective user.  Root is
	 * always accepted.
	 */
	uint32_t sim_daemon_uid;
	/**
	 * Path of a PEM file holding the platform public key to trust (the
	 * pinned key).  NULL: CAEC_PLATFORM_KEY if set, else none.  With a
	 * pinned key, caec_open() makes the platform prove it holds it (a
	 * fresh attestation token must verify under it, else the open fails
	 * with that error, e.g. CAEC_E_PLATFORM_KEY), and caec_verify_peer()
	 * trusts it instead of the key the platform serves.
	 */
	const char *platform_key_file;
	/**
	 * How long a platform request may take before the call fails with
	 * CAEC_E_PLATFORM, in nanoseconds (the API's unit of time), at most
	 * one hour; rounded up to whole milliseconds.  0: timeout_ms if set,
	 * else the CAEC_TIMEOUT_MS environment variable (milliseconds), else
	 * 10 s.  Used by the sim backend (the rsi backend's driver calls
	 * have no timeout).
	 */
	int64_t timeout_ns;
};

/** caec_config.flags: sim_daemon_uid is set. */
#define CAEC_CONFIG_F_SIM_DAEMON_UID 0x1u

/** caec_ctx_flags(): the platform admitted this realm although it cannot
 *  isolate it (caec-simd --allow-insecure-realms: same user as the daemon,
 *  root, holding any capability, traced, running code that another user
 *  can change, or in another PID namespace).
 *  Development only. */
#define CAEC_CTX_F_INSECURE 0x1u
/** caec_ctx_flags(): caec_open() proved that the platform holds the
 *  pinned platform key (caec_config.platform_key_file). */
#define CAEC_CTX_F_KEY_PINNED 0x2u

/** Measurement policy a provider attaches to a grant (local attestation). */
struct caec_grant_policy {
	/** sizeof(struct caec_grant_policy) as the caller compiled it. */
	uint32_t size;
	/** Length of `rim` in bytes: 0 (no check) or 1..CAEC_HASH_MAX. */
	uint32_t rim_len;
	/**
	 * Expected measurement (RIM) of the consumer.  When rim_len > 0 the
	 * platform compares it with the consumer's real measurement at attach
	 * and refuses the attach (CAEC_E_DENIED) on mismatch.
	 */
	uint8_t rim[CAEC_HASH_MAX];
};

/** Options a consumer gives caec_attach(). */
struct caec_attach_opts {
	/** sizeof(struct caec_attach_opts) as the caller compiled it. */
	uint32_t size;
	/** Length of `expected_hash`: 0 (no check) or 1..CAEC_HASH_MAX. */
	uint32_t hash_len;
	/**
	 * Required content hash of a sealed region.  When hash_len > 0 the
	 * attach fails with CAEC_E_HASH unless the region is sealed and its
	 * hash (computed by the platform) equals this.
	 */
	uint8_t expected_hash[CAEC_HASH_MAX];
};

/** One grant made to the calling realm, as listed by caec_grant_list(). */
struct caec_grant_info {
	uint64_t grant_id;    /**< Pass to caec_attach(). */
	uint64_t provider_id; /**< Realm ID of the provider. */
	uint64_t size;        /**< Region size in bytes. */
	uint32_t perm;        /**< CAEC_PERM_RO or CAEC_PERM_RW. */
	uint32_t flags;       /**< CAEC_GRANT_F_* */
};
/** caec_grant_info.flags: the region is sealed (read-only, content hashed). */
#define CAEC_GRANT_F_SEALED 0x1u
/** caec_grant_info.flags: this realm is currently attached to the grant. */
#define CAEC_GRANT_F_ATTACHED 0x2u

/**
 * @brief The library's version string, CAEC_VERSION_STRING of the
 *        library's build (caec/version.h has the compile-time numbers).
 * @returns a static string.
 * @since 0.1
 *
 * Context: never blocks.  Ownership: static.  Concurrency: any thread.
 */
CAEC_EXPORT const char *caec_version(void);

/**
 * @brief Open a context: connect this realm to its CSM platform.
 * @param[out] ctx  receives the new context on success; untouched on failure.
 * @param[in]  cfg  options, or NULL for all defaults (see struct caec_config).
 * @returns CAEC_OK;
 *          CAEC_E_INVAL (ctx NULL, cfg->size too small, unknown flags,
 *          unknown backend name, bad timeouts, a socket path too long, a
 *          platform_key_file that cannot be read);
 *          CAEC_E_ENV (a CAEC_* environment variable this call reads is
 *          malformed: CAEC_BACKEND, CAEC_TIMEOUT_MS, CAEC_PLATFORM_KEY
 *          (unreadable), CAEC_SIM_SOCKET (too long), CAEC_SIM_DAEMON_UID;
 *          caec_endpoint() names it);
 *          CAEC_E_NOTSUP (the backend is not available on this platform:
 *          "rsi" where no CSM driver's device node exists, or on an RMM
 *          without CSM; "sim" in a realm);
 *          sim, reaching caec-simd (caec_endpoint() gives the path tried):
 *          CAEC_E_NOPLATFORM (no socket at the path, or a directory on the
 *          way missing: is caec-simd running?), CAEC_E_ACCESS (permission
 *          denied: the socket, or a directory on the way, is not open to
 *          this user), CAEC_E_NOTSOCK (something else sits at the path),
 *          CAEC_E_STALE (a socket nothing listens on: a daemon exited
 *          without removing it), CAEC_E_TIMEDOUT (something accepted the
 *          connection, or kept it waiting, but did not answer within the
 *          timeout);
 *          CAEC_E_PLATFORM (the platform failed otherwise: the daemon
 *          closed the connection, the device cannot be used);
 *          CAEC_E_UNTRUSTED (sim: the socket sits where another user could
 *          have placed it, or the daemon is not the expected user);
 *          CAEC_E_DENIED (the platform refused this realm: e.g. caec-simd
 *          cannot measure it, or would not isolate it -- its log says why);
 *          CAEC_E_RANGE (its code is too large to measure);
 *          CAEC_E_QUOTA (too many connections of this user);
 *          CAEC_E_PROTO (the platform speaks another protocol version);
 *          with a pinned platform key, any error of caec_token_verify()
 *          (e.g. CAEC_E_PLATFORM_KEY: the platform does not hold it);
 *          CAEC_E_NOMEM.
 * @since 0.1
 *
 * Context: blocks while connecting (bounded by the timeout) and while the
 * platform measures this process.  The sim backend (and the rsi backend
 * where there are threads) starts one library-owned thread that receives
 * platform events (revocations); it blocks no signal and calls no
 * application code except region event handlers
 * (caec_region_set_event_handler()).  The first caec_channel_watch() on
 * the context starts a second one, which runs no application code.
 * Without threads (a realm kernel's
 * process) the rsi backend handles events inside the library calls that
 * must see them, in the caller's thread.  The sim backend makes the
 * process non-dumpable (PR_SET_DUMPABLE 0: no core dumps, and processes of
 * the same user cannot read its memory through /proc or ptrace).
 *
 * fork(): a context belongs to the process that opened it.  In a child,
 * every call on an inherited context or region returns CAEC_E_FORKED,
 * caec_region_enter() returns NULL, and region memory is not inherited
 * (MADV_DONTFORK): addresses from caec_region_addr() are unmapped there.
 * The child may call caec_close() on it, which frees the child's copy
 * without talking to the platform; it may open contexts of its own.
 *
 * Ownership: pair with caec_close().
 *
 * Concurrency: any thread; contexts are independent of each other.
 */
CAEC_EXPORT CAEC_NODISCARD int caec_open(struct caec_ctx **ctx,
					 const struct caec_config *cfg);

/**
 * @brief Where caec_open() would connect, without connecting: the path
 *        the library resolves from cfg, the environment and the defaults.
 * @param[in]  cfg  as for caec_open() (NULL: all defaults).
 * @param[out] buf  receives the path, NUL-terminated: caec-simd's socket
 *                  (sim) or the CSM driver's device node (rsi).  On
 *                  CAEC_E_ENV it receives the name of the malformed
 *                  variable instead (e.g. "CAEC_TIMEOUT_MS"), cut to
 *                  fit cap (32 bytes hold every name).
 * @param[in]  cap  size of buf (108 bytes hold any socket path).
 * @returns the length written (without the NUL); CAEC_E_ENV (buf names
 *          the variable); CAEC_E_INVAL (buf NULL, cap 0, or cfg refused as
 *          caec_open() refuses it); CAEC_E_RANGE (cap too small for the
 *          path: nothing written); CAEC_E_NOTSUP ("sim" in a realm).
 * @since 0.1
 *
 * Meant for messages after caec_open() failed: "no caec-simd socket at
 * /run/user/1000/caec-simd.sock".  It checks every CAEC_* variable
 * caec_open(cfg) would read, as caec_open() does, and nothing else: it
 * looks at no file but the CAEC_PLATFORM_KEY one.
 * Context: never blocks.  Ownership: buf is the caller's.
 * Concurrency: any thread (the environment must not change meanwhile).
 */
CAEC_EXPORT CAEC_NODISCARD int caec_endpoint(const struct caec_config *cfg,
					     char *buf, size_t cap);

/**
 * @brief Close a context: destroy every region it provides, detach every
 *        region it is attached to, disconnect, free everything.
 * @param[in] ctx  a context from caec_open(), or NULL (no-op).
 * @since 0.1
 *
 * Context: may block for one platform round trip per region still held.
 * Ownership: every caec_region handle of this context becomes invalid.
 * Concurrency: no other call may use ctx or its regions concurrently.
 */
CAEC_EXPORT void caec_close(struct caec_ctx *ctx);

/**
 * @brief What the platform said about this realm when it admitted it.
 * @param[in]  ctx    an open context.
 * @param[out] flags  receives CAEC_CTX_F_* bits.
 * @returns CAEC_OK; CAEC_E_INVAL (NULL argument).
 * @since 0.1
 *
 * Context: never blocks (learnt at caec_open()).  Concurrency: any thread.
 */
CAEC_EXPORT CAEC_NODISCARD int caec_ctx_flags(const struct caec_ctx *ctx,
					      uint32_t *flags);

/** caec_ctx_events(): a grant was made to this realm (caec_grant_list()
 *  lists it, unless it was revoked since). */
#define CAEC_CTX_EV_GRANT 0x1u
/** caec_ctx_events(): a region event was handled -- an attachment of
 *  this realm revoked (caec_region_is_revoked() now says so), or a
 *  consumer attached to or detached from a region it provides; region
 *  event handlers ran before it was raised. */
#define CAEC_CTX_EV_REGION 0x2u
/** caec_ctx_events(): a channel watched with caec_channel_watch() is
 *  ready (caec/channel.h). */
#define CAEC_CTX_EV_CHANNEL 0x4u
/** caec_ctx_events(): the connection to the platform is lost; every
 *  attachment was revoked (CAEC_CTX_EV_REGION comes with it). */
#define CAEC_CTX_EV_PLATFORM_LOST 0x8u

/**
 * @brief A file descriptor for poll/epoll/select loops, readable while
 *        this context has events pending (CAEC_CTX_EV_*).
 * @param[in] ctx  an open context.
 * @returns the descriptor (>= 0); CAEC_E_INVAL (ctx NULL); CAEC_E_FORKED;
 *          CAEC_E_NOTSUP (the rsi backend: the RMM announces no grant, the
 *          CSM driver finds a revocation only when asked, and a process of
 *          the realm kernel has no poll(2) -- there, list grants with
 *          caec_grant_list(), and wait on a channel with its own calls or
 *          caec_channel_wait_any()); CAEC_E_NOMEM.
 * @since 0.1
 *
 * It becomes readable when a grant is made to this realm, a region event
 * was handled, a watched channel is ready (caec_channel_watch()) or the
 * platform is lost, and stays readable until caec_ctx_events() takes the
 * events: level-triggered (with EPOLLET, take the events each time).  It
 * may be readable with nothing pending (caec_ctx_events() then reports
 * 0).  Events raised before the first call are reported too.
 *
 * Ownership: the library's.  Wait for POLLIN/EPOLLIN on it; never read,
 * write or close it.  It is valid until caec_close() (remove it from
 * epoll sets first); close-on-exec, non-blocking; every call returns
 * the same descriptor.
 * Context: never blocks.  Concurrency: any thread.
 */
CAEC_EXPORT CAEC_NODISCARD int caec_ctx_fd(struct caec_ctx *ctx);

/**
 * @brief Take the events pending on a context.
 * @param[in]  ctx     an open context.
 * @param[out] events  receives the CAEC_CTX_EV_* bits raised since the
 *                     last call (0: none).
 * @returns CAEC_OK; CAEC_E_INVAL (NULL argument); CAEC_E_FORKED;
 *          CAEC_E_NOTSUP (as caec_ctx_fd()).
 * @since 0.1
 *
 * Events are bits, not a queue: two grants made before a call are one
 * CAEC_CTX_EV_GRANT.  Taking them makes caec_ctx_fd() unreadable until
 * the next one is raised.  Usable without the descriptor, to look.
 * Context: never blocks.  Concurrency: any thread (one of several
 * concurrent callers gets each event).
 */
CAEC_EXPORT CAEC_NODISCARD int caec_ctx_events(struct caec_ctx *ctx, uint32_t *events);

/**
 * @brief The name of the backend in use ("sim" or "rsi").
 * @param[in] ctx  an open context.
 * @returns a static string, or "" if ctx is NULL.
 * @since 0.1
 *
 * Context: never blocks.  Ownership: the string is the library's and is
 * never freed; do not modify it.  Concurrency: any thread.
 */
CAEC_EXPORT const char *caec_backend_name(const struct caec_ctx *ctx);

/**
 * @brief This realm's 64-bit realm ID, as assigned by the platform.
 * @param[in]  ctx  an open context.
 * @param[out] id   receives the ID.
 * @returns CAEC_OK; CAEC_E_INVAL (NULL argument).
 * @since 0.1
 *
 * Context: never blocks (the ID is learnt at caec_open()).
 * Concurrency: any thread.
 */
CAEC_EXPORT CAEC_NODISCARD int caec_self_id(const struct caec_ctx *ctx,
					    uint64_t *id);

/**
 * @brief Provider: create a confidential region of `size` bytes and map it
 *        read-write into this realm.
 * @param[in]  ctx    an open context.
 * @param[in]  size   bytes; a non-zero multiple of CAEC_GRANULE_SIZE, at
 *                    most CAEC_REGION_MAX_SIZE.
 * @param[in]  flags  reserved, must be 0.
 * @param[out] out    receives the region handle.
 * @returns CAEC_OK; CAEC_E_INVAL (NULL, flags); CAEC_E_ALIGN (size not a
 *          granule multiple, or 0); CAEC_E_RANGE (above CAEC_REGION_MAX_SIZE,
 *          or above the platform's own limit: caec-simd --max-region-mib);
 *          CAEC_E_QUOTA (this user's realms provide the most regions the
 *          platform allows: caec-simd --max-regions-per-uid);
 *          CAEC_E_NOMEM; CAEC_E_PLATFORM; CAEC_E_FORKED.
 * @since 0.1
 *
 * Context: blocks for one platform round trip.  The memory is zero-filled
 * and page-aligned; caec_region_addr() gives its address.
 *
 * Ownership: pair with caec_unshare() (or caec_close()).
 *
 * Concurrency: any thread.
 */
CAEC_EXPORT CAEC_NODISCARD int caec_share(struct caec_ctx *ctx, size_t size,
					  unsigned flags,
					  struct caec_region **out);

/**
 * @brief Provider: grant a region to a consumer realm.
 * @param[in]  r         a region this realm provides.
 * @param[in]  consumer  the consumer's realm ID (not this realm's).
 * @param[in]  perm      CAEC_PERM_RO or CAEC_PERM_RW.
 * @param[in]  policy    NULL, or a local-attestation policy the platform
 *                       enforces at attach (expected consumer RIM).
 * @param[out] grant_id  receives the new grant's ID.
 * @returns CAEC_OK; CAEC_E_INVAL (NULL, bad perm, consumer is self,
 *          bad policy); CAEC_E_NOENT (no such consumer realm);
 *          CAEC_E_DENIED (r is attached, not provided, here);
 *          CAEC_E_EXIST (already granted to that consumer);
 *          CAEC_E_PERM (RW on a sealed region); CAEC_E_REVOKED (region
 *          destroyed); CAEC_E_QUOTA (this user's realms have as many
 *          grants waiting, unattached, on that consumer as the platform
 *          allows: caec-simd --max-pending-grants); CAEC_E_NOMEM;
 *          CAEC_E_PLATFORM; CAEC_E_FORKED.
 * @since 0.1
 *
 * Context: blocks for one platform round trip.  Nothing is mapped into the
 * consumer until it attaches.
 * Concurrency: any thread (see the synchronization table).
 */
CAEC_EXPORT CAEC_NODISCARD int caec_grant(struct caec_region *r,
					  uint64_t consumer, unsigned perm,
					  const struct caec_grant_policy *policy,
					  uint64_t *grant_id);

/**
 * @brief Provider: revoke one grant.  When this returns CAEC_OK, the
 *        consumer's mapping is gone (see "Revocation" in
 *        docs/sim-platform.md).
 * @param[in] r         the provided region the grant belongs to.
 * @param[in] grant_id  a grant of r.
 * @returns CAEC_OK (revoked; the consumer, if attached, confirmed that it
 *          unmapped, or its process is gone);
 *          CAEC_E_UNCONFIRMED (revoked, but the consumer did not confirm
 *          in time and was disconnected: on the sim, a consumer that
 *          ignores revocations may still map the memory);
 *          CAEC_E_INVAL; CAEC_E_NOENT (no such grant of r);
 *          CAEC_E_DENIED (r is not provided here); CAEC_E_PLATFORM;
 *          CAEC_E_FORKED.
 * @since 0.1
 *
 * Context: blocks until the consumer has unmapped (sim: bounded by
 * caec-simd --revoke-timeout-ms, after which the consumer is disconnected
 * and the call returns CAEC_E_UNCONFIRMED).
 * Concurrency: any thread (see the synchronization table).
 */
CAEC_EXPORT CAEC_NODISCARD int caec_revoke(struct caec_region *r,
					   uint64_t grant_id);

/**
 * @brief Provider: unshare a region: revoke every grant, unmap it here,
 *        scrub and release its memory, free the handle.
 * @param[in] r  a region this realm provides.
 * @returns CAEC_OK (r is freed); CAEC_E_INVAL (NULL); CAEC_E_DENIED (r is
 *          an attachment: use caec_detach()); CAEC_E_FORKED (in a child:
 *          r is not freed).  On CAEC_E_PLATFORM the handle is freed anyway
 *          and the platform reclaims the region when this realm
 *          disconnects.  On CAEC_E_UNCONFIRMED the region is destroyed and
 *          r freed, but a consumer did not confirm its unmap (its mapping
 *          reads zeros: the memory was scrubbed).
 * @since 0.1
 *
 * Ownership: r is invalid after this returns CAEC_OK, CAEC_E_PLATFORM or
 * CAEC_E_UNCONFIRMED.
 * Concurrency: no other call may use r concurrently.
 *
 * Not CAEC_NODISCARD: like close(2) it releases the handle whatever it
 * returns, so a caller with nothing to do about an error may drop the
 * result -- and under GCC a (void) cast does not silence
 * warn_unused_result.  Check it where CAEC_E_UNCONFIRMED matters.
 */
CAEC_EXPORT int caec_unshare(struct caec_region *r);

/**
 * @brief Consumer: list the grants made to this realm.
 * @param[in]  ctx  an open context.
 * @param[out] out  array of `cap` entries, may be NULL when cap is 0.
 * @param[in]  cap  capacity of out.
 * @returns the total number of grants made to this realm (>= 0; may be
 *          more than cap, in which case the first cap are written);
 *          CAEC_E_INVAL (out NULL with cap > 0); CAEC_E_PLATFORM;
 *          CAEC_E_FORKED.
 * @since 0.1
 *
 * Context: blocks for one platform round trip (sim: one per 510 entries
 * of cap beyond the first 510; rsi: one driver call, a second if the list
 * grew meanwhile).  A list that fits one reply is one snapshot; grants may
 * be revoked at any time after it was taken.  To learn of new grants
 * without polling, wait for CAEC_CTX_EV_GRANT (caec_ctx_fd()).
 * Concurrency: any thread.
 */
CAEC_EXPORT CAEC_NODISCARD int caec_grant_list(struct caec_ctx *ctx,
					       struct caec_grant_info *out,
					       size_t cap);

/**
 * @brief Consumer: consent to a grant and map it.
 * @param[in]  ctx       an open context.
 * @param[in]  grant_id  a grant made to this realm.
 * @param[in]  opts      NULL, or options (required content hash).
 * @param[out] out       receives the region handle.
 * @returns CAEC_OK; CAEC_E_INVAL (NULL, grant_id 0, bad opts);
 *          CAEC_E_DENIED (no grant of that ID is made to this realm: it
 *          never existed, was revoked, its region was destroyed or its
 *          provider died, or it names another realm -- one error for all,
 *          by design, so that a realm learns nothing about grants that are
 *          not its own; or the provider's local-attestation policy
 *          rejects this realm's measurement);
 *          CAEC_E_STATE (already attached);
 *          CAEC_E_HASH (region not sealed or hash differs);
 *          CAEC_E_BUSY (sim: the region is being sealed by a copy, see
 *          caec_seal(); attach again once that is done);
 *          CAEC_E_NOMEM; CAEC_E_PLATFORM; CAEC_E_PROTO; CAEC_E_FORKED.
 * @since 0.1
 *
 * Context: blocks for one platform round trip.  A read-only grant is mapped
 * without write permission: a store faults (SIGSEGV), and the mapping can
 * never be made writable.
 *
 * Ownership: pair with caec_detach().  After a revocation the handle stays
 * valid (caec_region_is_revoked() is true) until caec_detach().  A seal by
 * copy (see caec_seal()) revokes the handle the same way but keeps the
 * grant: caec_detach() it and attach again to map the sealed content.  If
 * the connection to the platform is lost (the daemon died or disconnected this
 * realm), every attached region is revoked the same way at once, and its
 * event handler gets CAEC_REGION_EV_REVOKED: nothing the provider writes
 * afterwards is read through this library.
 *
 * Concurrency: any thread.
 */
CAEC_EXPORT CAEC_NODISCARD int caec_attach(struct caec_ctx *ctx,
					   uint64_t grant_id,
					   const struct caec_attach_opts *opts,
					   struct caec_region **out);

/**
 * @brief Consumer: detach from a grant, unmap it, free the handle.
 * @param[in] r  a region handle from caec_attach().
 * @returns CAEC_OK (also when the grant had been revoked); CAEC_E_INVAL
 *          (NULL); CAEC_E_DENIED (r is provided here: use caec_unshare());
 *          CAEC_E_FORKED (in a child: r is not freed).
 *          On CAEC_E_PLATFORM the handle is freed anyway.
 * @since 0.1
 *
 * Ownership: r is invalid after this returns CAEC_OK or CAEC_E_PLATFORM.
 * The grant remains: the consumer may attach again.
 * Concurrency: no other call may use r concurrently.
 *
 * Not CAEC_NODISCARD, for the reason caec_unshare() gives.
 */
CAEC_EXPORT int caec_detach(struct caec_region *r);

/**
 * @brief Provider: seal a region: make it read-only for everyone (this
 *        realm included) and have the platform hash its content.
 * @param[in]  r         a region this realm provides, with no read-write
 *                       grant outstanding.
 * @param[out] hash      receives the content hash (may be NULL).
 * @param[in]  hash_cap  size of hash in bytes (at least 32 for SHA-256).
 * @returns the hash length in bytes (> 0); CAEC_E_UNCONFIRMED (sealed all
 *          the same -- hash written, mapping read-only -- but a consumer
 *          the seal revoked, below, was disconnected before it confirmed
 *          its unmap, as for caec_revoke()); CAEC_E_INVAL; CAEC_E_DENIED
 *          (not provided here); CAEC_E_STATE (already sealed, a read-write
 *          grant exists, or some process still maps it writable);
 *          CAEC_E_RANGE (hash_cap too small); CAEC_E_NOTSUP;
 *          CAEC_E_PLATFORM; CAEC_E_FORKED.
 * @since 0.1
 *
 * Context: blocks while the platform hashes the region (caec-simd does it
 * on a worker thread, so other realms are not delayed).  During the call
 * the provider's mapping is inaccessible (the platform can only seal memory
 * nobody maps writable), so no thread may touch the region until it
 * returns; caec_region_enter() sections are not protected against this.
 * After success the mapping is back at the same address, read-only: a
 * store faults.  On failure it is back read-write (the platform hands the
 * memory back) -- unless the platform itself is gone (CAEC_E_PLATFORM),
 * in which case the mapping stays inaccessible.  Mappings made from
 * descriptors exported before (caec_region_export_fd()) become
 * inaccessible at the start and stay so, whatever the outcome: export
 * again afterwards.
 *
 * Consumers attached when the seal starts: if the platform seals the memory
 * in place (the firmware always; the sim unless a consumer ever attached
 * the region read-write), their mappings stay and show the sealed content.
 * If it seals a copy (the sim, after a read-write attach: the old memory
 * may still be mapped writable by a consumer that ignored its revocation),
 * every attachment is revoked first, as caec_revoke() revokes
 * (CAEC_REGION_EV_REVOKED; the call waits for each unmap, bounded by
 * caec-simd --revoke-timeout-ms), but the grants stay: consumers attach
 * again to map the sealed copy, and attaching fails with CAEC_E_BUSY until
 * the seal is done.  If the seal fails, those consumers stay detached.
 * Concurrency: no other call may use r concurrently.
 */
CAEC_EXPORT CAEC_NODISCARD int caec_seal(struct caec_region *r, uint8_t *hash,
					 size_t hash_cap);

/* ------------------------------------------------------------------------
 * Region accessors
 * ---------------------------------------------------------------------- */

/**
 * @brief The region's base address in this realm, or NULL if r is NULL.
 *
 * The pointer stays valid until caec_unshare()/caec_detach().  For an
 * attached region, a revocation replaces the mapping with an inaccessible
 * one: accesses then fault instead of reading stale or foreign memory.
 * Threads that must not fault use caec_region_enter()/caec_region_leave().
 *
 * Context: never blocks, no system call.  Concurrency: any thread,
 * concurrently with anything but caec_unshare()/caec_detach() of r.
 * Ownership: the mapping is the library's: never munmap() it.
 */
CAEC_EXPORT void *caec_region_addr(const struct caec_region *r);
/**
 * @brief The region's size in bytes (0 if r is NULL).
 *
 * Context: never blocks, no system call.  Concurrency: any thread,
 * concurrently with anything but caec_unshare()/caec_detach() of r.
 */
CAEC_EXPORT size_t caec_region_size(const struct caec_region *r);
/**
 * @brief This realm's permission: CAEC_PERM_RO or CAEC_PERM_RW (0 if NULL).
 *
 * Context: never blocks, no system call.  Concurrency: any thread,
 * concurrently with anything but caec_unshare()/caec_detach() of r.
 */
CAEC_EXPORT unsigned caec_region_perm(const struct caec_region *r);
/**
 * @brief The platform's ID of the region, on the provider side.
 * @returns the region ID caec_share() was given (the one attestation
 *          tokens name in a relation's region_id); 0 for an attachment
 *          (a consumer knows a region by its grant, and not every platform
 *          tells it more: the CSM driver ABI does not) or if r is NULL.
 * @since 0.1
 *
 * Context: never blocks.  Concurrency: any thread.
 */
CAEC_EXPORT uint64_t caec_region_region_id(const struct caec_region *r);
/**
 * @brief The grant an attachment was made through, on the consumer side.
 * @returns the grant ID passed to caec_attach(); 0 for a region this
 *          realm provides (it may have many grants, or none) or if r is
 *          NULL.
 * @since 0.1
 *
 * Context: never blocks.  Concurrency: any thread.
 */
CAEC_EXPORT uint64_t caec_region_grant_id(const struct caec_region *r);
/**
 * @brief Kept for existing callers; prefer caec_region_region_id() or
 *        caec_region_grant_id(), which say which ID they return.
 * @returns caec_region_region_id() for a provided region,
 *          caec_region_grant_id() for an attachment (two different kinds
 *          of ID under one name), 0 if r is NULL.
 * @since 0.1
 *
 * Context: never blocks.  Concurrency: any thread.
 */
CAEC_EXPORT uint64_t caec_region_id(const struct caec_region *r);
/**
 * @brief The provider's realm ID (this realm's ID on the provider side;
 * 0 if r is NULL).
 *
 * Context: never blocks, no system call.  Concurrency: any thread,
 * concurrently with anything but caec_unshare()/caec_detach() of r.
 */
CAEC_EXPORT uint64_t caec_region_provider(const struct caec_region *r);
/**
 * @brief True if this realm created the region (caec_share()); false for
 * an attachment or if r is NULL.
 *
 * Context: never blocks, no system call.  Concurrency: any thread,
 * concurrently with anything but caec_unshare()/caec_detach() of r.
 */
CAEC_EXPORT bool caec_region_is_provider(const struct caec_region *r);
/**
 * @brief True if the region is sealed.  For an attached region: it was
 * sealed when attached (a later seal either leaves the mapping, sealed in
 * place, or revokes it; caec_grant_list() tells the current state).
 *
 * Context: never blocks, no system call.  Concurrency: any thread,
 * concurrently with anything but caec_unshare()/caec_detach() of r.
 */
CAEC_EXPORT bool caec_region_is_sealed(const struct caec_region *r);
/**
 * @brief True once this realm lost access (revoked, unshared, sealed by
 * copy, provider died, platform lost): from then on the old address
 * faults.  The region's event handler (CAEC_REGION_EV_REVOKED) runs before
 * that point, and caec_region_enter() returns NULL from before it.
 *
 * Context: never blocks, no system call.  Concurrency: any thread,
 * concurrently with anything but caec_unshare()/caec_detach() of r.
 */
CAEC_EXPORT bool caec_region_is_revoked(const struct caec_region *r);

/**
 * @brief Enter a read-side critical section on the region's mapping.
 * @param[in] r  a region handle.
 * @returns the base address, or NULL if access was revoked (or r is NULL).
 *          Call caec_region_leave() in both cases.
 * @since 0.1
 *
 * While a thread is between enter and leave, the library will not unmap the
 * region under it: a revocation waits (RCU grace period) until every such
 * thread has left.  (The "rsi" backend cannot wait: the RMM takes a revoked
 * region away at once, and the library hears of it after, so there an
 * access inside a section can fault after a revocation; enter() returns
 * NULL once the library knows, and in a realm it asks at every enter().)
 * Sections must be short, must not block on the peer, and must not call
 * libcaec functions other than the caec_region_* accessors (a revocation
 * in progress holds the context's lock while it waits for the section to
 * end).
 * Context: never blocks; wait-free on the sim backend; one system call on
 * the rsi backend in a realm.  May nest.  Threads need no registration
 * (liburcu "bulletproof" flavor).  In a forked child it returns NULL (the
 * memory is not inherited).
 * Concurrency: any thread, concurrently with anything but caec_detach() /
 * caec_unshare() of r.
 */
CAEC_EXPORT void *caec_region_enter(struct caec_region *r);
/**
 * @brief Leave a section opened by caec_region_enter() (also when it
 * returned NULL).
 *
 * Context: never blocks, no system call.  Concurrency: the thread that
 * entered; sections nest, each enter matched by one leave.
 */
CAEC_EXPORT void caec_region_leave(struct caec_region *r);

/**
 * @brief A read-only file descriptor of a region's memory, for software
 *        that maps files itself -- a third-party inference engine such as
 *        llama.cpp, which mmap()s its model file.
 * @param[in]  r      a region this realm provides, or has attached and not
 *                    lost.
 * @param[in]  flags  0.
 * @param[out] fd     receives a new descriptor (>= 0).
 * @returns CAEC_OK; CAEC_E_INVAL (NULL r or fd, unknown flag);
 *          CAEC_E_REVOKED (access already lost, a seal by copy
 *          included); CAEC_E_STATE (the platform handed out memory other
 *          than what this realm maps);
 *          CAEC_E_NOTSUP (the backend cannot: RSI today);
 *          CAEC_E_PLATFORM, CAEC_E_PROTO; CAEC_E_FORKED.
 * @since 0.1
 *
 * The descriptor is read-only whatever this realm's permission:
 * mmap(PROT_READ, MAP_SHARED), read(), pread() and lseek() work on it,
 * across caec_region_size() bytes -- the same memory as
 * caec_region_addr() --, and writing through it or mapping it writable
 * fails.  It is opened close-on-exec.  Each call returns a new one; the
 * caller owns it and closes it.
 *
 * Lifetime: the descriptor, and every mapping made from it, must not
 * outlive this realm's access, or the platform's guarantees would not
 * hold (a provider's caec_revoke() returns only once the consumer's
 * mappings are gone).  So when access ends -- caec_detach(),
 * caec_unshare(), a revocation (provider's revoke or unshare, provider
 * death), or the loss of the platform -- the library also makes every
 * mapping of the region's memory in this process inaccessible, as it does
 * its own: the address range stays reserved and an access faults
 * (SIGSEGV) instead of reading the memory.  For a revocation this happens
 * after the region's event handler and the grace period, before the
 * revocation is acknowledged.  The descriptor itself stays open until the
 * caller closes it: close it then (the library cannot, it does not know
 * where the caller put it); on the simulator a new mapping of it after the
 * access ended would still read a region that was revoked but not
 * destroyed, which a well-behaved realm does not do.
 *
 * Hence an engine must not touch the memory once access may have ended:
 * run each call into it that reads the memory between caec_region_enter()
 * and caec_region_leave() (a revocation waits for the call to return;
 * afterwards caec_region_enter() returns NULL: stop), and unmap or free
 * the engine's model inside such a section, or after caec_detach() /
 * caec_unshare() returned, never while a revocation may be replacing the
 * mappings (the library reads this process's mappings in /proc/self/maps,
 * then replaces them one by one).
 *
 * The mappings are found by file (device and inode): if this process also
 * holds the same region through another context -- two realms in one
 * process, which the simulator does not isolate from each other anyway --
 * that context's mappings of the memory go too.
 *
 * A seal ends what was exported before it: caec_seal() makes the
 * provider's mappings of earlier descriptors inaccessible before it asks
 * the platform (a seal by copy, on the sim after a read-write attach,
 * replaces the memory and scrubs the old), and a seal by copy revokes the
 * consumers attached to the old memory, mappings of their descriptors
 * included.  Export after sealing.
 *
 * Keep it inside the realm: whoever holds the descriptor can read the
 * region.  It is not inherited across exec(), but it is across fork(), and
 * so are mappings made from it unless the caller marks them
 * MADV_DONTFORK (the library's own mapping is).
 *
 * On the simulator the descriptor is a new read-only open file description
 * of the region's memfd, made by caec-simd for this realm only after it
 * checked that the realm provides the region or has the grant attached
 * (docs/sim-platform.md).  On realms it would be a descriptor of the CSM
 * driver's device bound to the region (docs/abi.md); not yet implemented.
 *
 * Context: blocks for one platform round trip, holding the context's lock
 * (a revocation being processed finishes first, or waits for the export
 * and then unmaps what was mapped from it).  Ownership: the descriptor is
 * the caller's.  Concurrency: any thread, as the caec_region_* accessors
 * in the synchronization table: not with caec_unshare(), caec_detach()
 * or caec_seal() of r.
 */
CAEC_EXPORT CAEC_NODISCARD int caec_region_export_fd(struct caec_region *r,
						     unsigned flags, int *fd);

/** Region events delivered to a handler (see caec_region_set_event_handler()). */
enum caec_region_event {
	/** Consumer: access is being withdrawn (revoke, destroy, a seal by
	 *  copy, provider death, or the connection to the platform was lost). */
	CAEC_REGION_EV_REVOKED = 1,
	/** Provider: a consumer attached a grant of this region. */
	CAEC_REGION_EV_PEER_ATTACHED = 2,
	/** Provider: a consumer detached (or died) from a grant of this region. */
	CAEC_REGION_EV_PEER_DETACHED = 3,
};

/** Region event handler; see caec_region_set_event_handler(). */
typedef void (*caec_region_event_fn)(struct caec_region *r, int event,
				     uint64_t grant_id, void *arg);

/**
 * @brief Install (or with fn NULL, remove) the region's event handler.
 * @returns CAEC_OK; CAEC_E_INVAL (r NULL).
 * @since 0.1
 *
 * One handler per region, the application's: installing one replaces the
 * previous one.  Channels on the region (caec_channel_create()) follow its
 * events through listeners of their own, which run before this handler
 * and which this call neither replaces nor removes.
 *
 * Context: the handler runs on the library's event thread.  For
 * CAEC_REGION_EV_REVOKED it runs after new caec_region_enter() calls start
 * returning NULL and before the mapping is removed, so it can wake threads
 * sleeping on memory in the region (the channel code does).  It must not
 * block, and must not call caec_detach()/caec_unshare()/caec_close().
 * Concurrency: any thread.  Handlers run under the context's lock and this
 * call takes it too, so when it returns no call of the previous handler is
 * in progress: after installing NULL, the old handler's argument may be
 * freed.  (Hence also: never call this from inside a handler.)
 */
CAEC_EXPORT int caec_region_set_event_handler(struct caec_region *r,
					      caec_region_event_fn fn,
					      void *arg);

#ifdef __cplusplus
}
#endif
#endif /* CAEC_CAEC_H */
