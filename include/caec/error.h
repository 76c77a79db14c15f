/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file caec/error.h
 * @brief The one error type of libcaec.
 *
 * Every public call that can fail returns an `int`: zero (or a non-negative
 * count) on success and a negative `enum caec_err` value on failure.  The
 * library never sets `errno`, never prints and never exits.  Values are
 * append-only: once released, a value keeps its number and meaning.
 */
#ifndef CAEC_ERROR_H
#define CAEC_ERROR_H

#include <caec/export.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Error codes.  All failures are negative. */
enum caec_err {
	CAEC_OK = 0,               /**< Success. */
	/* --- arguments ------------------------------------------------- */
	CAEC_E_INVAL = -1,         /**< An argument is invalid (NULL, zero, unknown flag). */
	CAEC_E_ALIGN = -2,         /**< A size or address is not a multiple of CAEC_GRANULE_SIZE. */
	CAEC_E_RANGE = -3,         /**< A size, index or count is out of the supported range. */
	/* --- objects and state ----------------------------------------- */
	CAEC_E_NOENT = -4,         /**< No such realm, region or grant (or not visible to the caller). */
	CAEC_E_DENIED = -5,        /**< Refused: no mutual consent, wrong realm, policy mismatch. */
	CAEC_E_STATE = -6,         /**< The object is not in a state that allows this call. */
	CAEC_E_REVOKED = -7,       /**< The grant was revoked or the region destroyed. */
	CAEC_E_OVERLAP = -8,       /**< The range overlaps another CSM range of the same realm. */
	CAEC_E_PERM = -9,          /**< The permission asked for is not allowed (e.g. RW on a sealed region). */
	CAEC_E_EXIST = -10,        /**< The object already exists (e.g. a second grant to one consumer). */
	/* --- resources and platform ------------------------------------ */
	CAEC_E_NOMEM = -11,        /**< Out of memory (library, daemon or RMM metadata). */
	CAEC_E_AGAIN = -12,        /**< Try again: nothing available now (non-blocking call). */
	CAEC_E_TIMEDOUT = -13,     /**< A timed wait expired. */
	CAEC_E_PLATFORM = -14,     /**< The platform (caec-simd daemon, CSM driver, RMM) failed or is gone. */
	CAEC_E_PROTO = -15,        /**< The platform answered something the library does not understand. */
	CAEC_E_NOTSUP = -16,       /**< Not supported by this backend or on this platform. */
	CAEC_E_BUSY = -17,         /**< A host action is pending; re-issue the call. */
	/* --- rings, doorbells and channels ----------------------------- */
	CAEC_E_MSGSIZE = -18,      /**< The message does not fit the ring or the buffer given. */
	CAEC_E_CORRUPT = -19,      /**< Shared state written by the peer is inconsistent; object is broken. */
	CAEC_E_PEER = -20,         /**< The object was broken earlier by a misbehaving peer. */
	CAEC_E_CLOSED = -21,       /**< The peer closed the channel or detached. */
	CAEC_E_INTR = -22,         /**< A blocking wait was interrupted by a signal. */
	/* --- attestation ----------------------------------------------- */
	CAEC_E_TOKEN = -23,        /**< Token is not well-formed (CBOR/COSE/claims). */
	CAEC_E_SIGNATURE = -24,    /**< A token signature does not verify. */
	CAEC_E_PLATFORM_KEY = -25, /**< The platform token is not signed by an accepted platform key. */
	CAEC_E_CHALLENGE = -26,    /**< The realm token's challenge is not the expected one. */
	CAEC_E_RIM = -27,          /**< The realm's RIM is not an expected value. */
	CAEC_E_RPV = -28,          /**< The realm's RPV is not the expected value. */
	CAEC_E_REALM_ID = -29,     /**< The realm ID in the token is not the expected one. */
	CAEC_E_BINDING = -30,      /**< The platform token is not bound to the realm token's key. */
	CAEC_E_HASH = -31,         /**< A sealed region's content hash is not the expected one. */
	/* --- platform trust and limits (0.1) --------------------------- */
	CAEC_E_UNTRUSTED = -32,    /**< The platform endpoint is not trusted: socket in a directory others can write, or served by an unexpected user. */
	CAEC_E_UNCONFIRMED = -33,  /**< Done, but a consumer did not confirm that it unmapped (it was disconnected first). */
	CAEC_E_QUOTA = -34,        /**< A platform limit on connections, regions or pending grants is reached. */
	CAEC_E_FORKED = -35,       /**< The context was inherited across fork(): only the process that opened it may use it. */
	/* --- reaching the platform (0.1) ------------------------------- */
	CAEC_E_NOPLATFORM = -36,   /**< Nothing at the platform's path: no socket there (caec-simd not running?) or a directory on the way missing. */
	CAEC_E_ACCESS = -37,       /**< Permission denied on the platform's path: the socket, or a directory on the way, is not open to this user. */
	CAEC_E_NOTSOCK = -38,      /**< Something other than a socket sits at the platform's socket path. */
	CAEC_E_STALE = -39,        /**< A stale socket: nothing listens on it (a daemon exited without removing it). */
	CAEC_E_ENV = -40,          /**< A CAEC_* environment variable is malformed (caec_endpoint() names it). */
};

/** One more than the most negative defined value, negated: for table sizes. */
#define CAEC_ERR_COUNT 41

/**
 * @brief Describe an error code.
 * @param[in] err  a value returned by any libcaec call (any int is accepted).
 * @returns a static, NUL-terminated English description; never NULL.  For
 *          a value that is not a `caec_err`, "unknown caec error".
 * @since 0.1
 *
 * Context: never blocks; async-signal-safe.
 * Ownership: the string is static; do not free.
 * Concurrency: any thread.
 */
CAEC_EXPORT const char *caec_strerror(int err);

/**
 * @brief The symbolic name of an error code ("CAEC_E_DENIED").
 * @param[in] err  any int.
 * @returns a static string; "CAEC_E_UNKNOWN" for an unknown value.
 * @since 0.1
 *
 * Context, Ownership, Concurrency: as caec_strerror().
 */
CAEC_EXPORT const char *caec_errname(int err);

#ifdef __cplusplus
}
#endif
#endif /* CAEC_ERROR_H */
