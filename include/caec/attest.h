/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file caec/attest.h
 * @brief Attestation: get this realm's token, parse and verify a peer's.
 *
 * Every realm can ask its platform (the RMM, or caec-simd on x86) for an
 * attestation token bound to a 64-byte challenge.  Tokens use the Arm CCA
 * attestation token format: a CBOR tag-399 collection of a *platform token*
 * (signed by the platform key, CPAK) and a *realm token* (signed by the realm
 * attestation key, RAK), each a COSE_Sign1 signed with ES384.  The platform
 * token is bound to the RAK: its challenge is the hash of the RAK.  Beyond
 * the CCA claims, the realm token carries two private claims: the realm's
 * 64-bit realm ID and its current CSM relations (regions it provides and
 * grants it is granted, with peers, permissions and sealed-content hashes).
 * docs/attestation.md has the byte layout and the claim keys.
 *
 * The usual exchange, before granting to or attaching from a peer realm:
 *
 *   1. the verifier picks a fresh random challenge and sends it to the peer;
 *   2. the peer calls caec_attest_token() and sends the token back;
 *   3. the verifier calls caec_verify_peer() (or caec_token_verify() with a
 *      full policy) and grants/attaches only if it does not fail: CAEC_OK,
 *      or verified with the CAEC_VERIFY_W_* reservations it returns, which
 *      the application weighs (caec-demo accepts them and prints them).
 *
 * Verification order and the error each step returns (first failure wins):
 *
 * | step                                                  | error               |
 * |-------------------------------------------------------|---------------------|
 * | CBOR/COSE structure and every claim well-formed       | CAEC_E_TOKEN        |
 * | every accepted platform key is a P-384 public key     | CAEC_E_INVAL        |
 * | realm token signature, under the RAK it carries       | CAEC_E_SIGNATURE    |
 * | platform challenge == hash(RAK)                       | CAEC_E_BINDING      |
 * | platform token key id names no accepted key and no    | CAEC_E_PLATFORM_KEY |
 * |   accepted key verifies the platform signature        |                     |
 * | platform signature under the accepted key it names    | CAEC_E_SIGNATURE    |
 * | realm challenge == policy challenge                   | CAEC_E_CHALLENGE    |
 * | RIM is one of the accepted RIMs                       | CAEC_E_RIM          |
 * | RPV == policy RPV                                     | CAEC_E_RPV          |
 * | realm ID == policy realm ID                           | CAEC_E_REALM_ID     |
 * | the token lists the policy's grant (peer = verifier)  | CAEC_E_DENIED       |
 * | that grant's sealed-content hash == policy hash       | CAEC_E_HASH         |
 *
 * All functions here are thread-safe and keep no state between calls.
 */
#ifndef CAEC_ATTEST_H
#define CAEC_ATTEST_H

#include <stddef.h>
#include <stdint.h>

#include <caec/caec.h>
#include <caec/error.h>
#include <caec/export.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Size of an attestation challenge (the CCA realm challenge), in bytes. */
#define CAEC_CHALLENGE_SIZE 64u
/** Size of a realm personalization value (RPV), in bytes. */
#define CAEC_RPV_SIZE 64u
/** Largest token the library produces or accepts, in bytes. */
#define CAEC_TOKEN_MAX_SIZE 16384u
/** Number of realm extensible measurements (REMs) in a CCA realm token. */
#define CAEC_TOKEN_REM_COUNT 4u
/** Most CSM relations a token carries (beyond it, the last is a summary). */
#define CAEC_TOKEN_MAX_RELATIONS 64u
/** Most platform software components a parsed token may list. */
#define CAEC_TOKEN_MAX_SW_COMPONENTS 8u
/** Capacity of the short text claims (NUL included). */
#define CAEC_TOKEN_TEXT_MAX 64u
/** Capacity of the verification-service claim (NUL included). */
#define CAEC_TOKEN_URL_MAX 128u
/** Largest platform configuration claim accepted, in bytes. */
#define CAEC_TOKEN_CONFIG_MAX 64u
/** Size of the RAK as an uncompressed P-384 point (0x04 || X || Y). */
#define CAEC_TOKEN_RAK_SIZE 97u
/** Size of the platform instance ID claim (0x01 || 32 bytes). */
#define CAEC_TOKEN_INSTANCE_ID_SIZE 33u
/** Size of the platform implementation ID claim. */
#define CAEC_TOKEN_IMPL_ID_SIZE 32u
/** Most platform keys a caec_verify_policy may list. */
#define CAEC_VERIFY_MAX_PLATFORM_KEYS 16u

/** caec_token_relation.role: this realm provides the region. */
#define CAEC_TOKEN_ROLE_PROVIDER 1u
/** caec_token_relation.role: this realm is the consumer of the grant. */
#define CAEC_TOKEN_ROLE_CONSUMER 2u

/** A relation with this region ID is the summary entry: its grant_id is
 *  the number of relations the platform left out (see caec_attest_token()). */
#define CAEC_TOKEN_REL_SUMMARY 0u

/** One CSM relation of the attested realm (private claim, see docs). */
struct caec_token_relation {
	uint64_t region_id;  /**< Region ID. */
	uint64_t grant_id;   /**< Grant ID; 0 for a provided region with no grant. */
	uint64_t peer_id;    /**< The other realm (consumer or provider); 0 if none. */
	uint32_t perm;       /**< CAEC_PERM_RO / CAEC_PERM_RW (0 if no grant). */
	uint32_t role;       /**< CAEC_TOKEN_ROLE_PROVIDER or _CONSUMER. */
	uint32_t flags;      /**< CAEC_GRANT_F_SEALED if the region is sealed. */
	uint32_t hash_len;   /**< Sealed-content hash length (0 if not sealed). */
	uint8_t hash[CAEC_HASH_MAX]; /**< Sealed-content hash. */
};

/** One platform software component (CCA claim 2399). */
struct caec_token_sw_component {
	char type[CAEC_TOKEN_TEXT_MAX];       /**< Measurement type ("" if absent). */
	char version[CAEC_TOKEN_TEXT_MAX];    /**< Version ("" if absent). */
	char hash_algo[CAEC_TOKEN_TEXT_MAX];  /**< Hash algorithm ("" if absent). */
	uint32_t measurement_len;             /**< Bytes in measurement. */
	uint32_t signer_id_len;               /**< Bytes in signer_id. */
	uint8_t measurement[CAEC_HASH_MAX];   /**< Measurement value. */
	uint8_t signer_id[CAEC_HASH_MAX];     /**< Signer ID. */
};

/**
 * Every claim of a token, copied out (no pointers into the token).  Set
 * `size = sizeof(struct caec_token_claims)` before passing it to a call.
 * Text claims are NUL-terminated; byte claims come with a length.
 */
struct caec_token_claims {
	/** sizeof(struct caec_token_claims) as the caller compiled it. */
	uint32_t size;
	/* --- realm token ------------------------------------------------ */
	/** Number of valid entries in relations. */
	uint32_t n_relations;
	/** The realm ID (private claim -70000). */
	uint64_t realm_id;
	/** Realm challenge (claim 10). */
	uint8_t challenge[CAEC_CHALLENGE_SIZE];
	/** Realm personalization value (claim 44235). */
	uint8_t rpv[CAEC_RPV_SIZE];
	/** Bytes in rim and in each rem (32 for sha-256, 64 for sha-512). */
	uint32_t rim_len;
	/** Length of rak (always CAEC_TOKEN_RAK_SIZE). */
	uint32_t rak_len;
	/** Realm initial measurement (claim 44238). */
	uint8_t rim[CAEC_HASH_MAX];
	/** Realm extensible measurements (claim 44239). */
	uint8_t rem[CAEC_TOKEN_REM_COUNT][CAEC_HASH_MAX];
	/** Measurement hash algorithm (claim 44236), e.g. "sha-256". */
	char hash_algo[CAEC_TOKEN_TEXT_MAX];
	/** RAK hash algorithm (claim 44240), e.g. "sha-256". */
	char rak_hash_algo[CAEC_TOKEN_TEXT_MAX];
	/** Realm profile (claim 265): "tag:arm.com,2023:realm#1.0.0". */
	char profile[CAEC_TOKEN_TEXT_MAX];
	/** RAK (claim 44237, a COSE_Key), as an uncompressed P-384 point. */
	uint8_t rak[CAEC_TOKEN_RAK_SIZE];
	/** CSM relations (private claim -70001). */
	struct caec_token_relation relations[CAEC_TOKEN_MAX_RELATIONS];
	/* --- platform token --------------------------------------------- */
	/** Platform profile (claim 265). */
	char platform_profile[CAEC_TOKEN_TEXT_MAX];
	/** Platform hash algorithm (claim 2402). */
	char platform_hash_algo[CAEC_TOKEN_TEXT_MAX];
	/** Verification service (claim 2400), "" if absent. */
	char verification_service[CAEC_TOKEN_URL_MAX];
	/** Platform challenge (claim 10): hash of the RAK claim. */
	uint8_t platform_challenge[CAEC_HASH_MAX];
	/** Bytes in platform_challenge (32, 48 or 64). */
	uint32_t platform_challenge_len;
	/** Security lifecycle (claim 2395). */
	uint32_t lifecycle;
	/** Implementation ID (claim 2396). */
	uint8_t implementation_id[CAEC_TOKEN_IMPL_ID_SIZE];
	/** Instance ID (claim 256): 0x01 || hash of the platform key. */
	uint8_t instance_id[CAEC_TOKEN_INSTANCE_ID_SIZE];
	/** Bytes in config. */
	uint32_t config_len;
	/** Platform configuration (claim 2401). */
	uint8_t config[CAEC_TOKEN_CONFIG_MAX];
	/** Number of valid entries in sw_components (1..8). */
	uint32_t n_sw_components;
	/** Platform software components (claim 2399). */
	struct caec_token_sw_component sw_components[CAEC_TOKEN_MAX_SW_COMPONENTS];
};

/** A trusted platform public key: SubjectPublicKeyInfo, PEM or DER. */
struct caec_platform_key_ref {
	const uint8_t *data; /**< PEM text (need not be NUL-terminated) or DER. */
	size_t len;          /**< Bytes in data. */
};

/** An accepted realm initial measurement. */
struct caec_rim_ref {
	uint32_t len;                 /**< 1..CAEC_HASH_MAX. */
	uint8_t value[CAEC_HASH_MAX]; /**< The RIM. */
};

/** caec_verify_policy.flags: do not check the challenge (offline use only). */
#define CAEC_VERIFY_F_ANY_CHALLENGE 0x1u
/** caec_verify_policy.flags: accept any RIM (n_rims must be 0). */
#define CAEC_VERIFY_F_ANY_RIM 0x2u
/** caec_verify_policy.flags: require claims.realm_id == policy.realm_id. */
#define CAEC_VERIFY_F_REALM_ID 0x4u

/**
 * What caec_token_verify() requires of a token.  Zero-initialize, set
 * `size = sizeof(struct caec_verify_policy)`, then fill in.  Nothing is
 * accepted by default: a challenge is required unless
 * CAEC_VERIFY_F_ANY_CHALLENGE, at least one RIM unless CAEC_VERIFY_F_ANY_RIM,
 * and at least one platform key.
 */
struct caec_verify_policy {
	/** sizeof(struct caec_verify_policy) as the caller compiled it. */
	uint32_t size;
	/** CAEC_VERIFY_F_* */
	uint32_t flags;
	/** Accepted platform keys (1..CAEC_VERIFY_MAX_PLATFORM_KEYS). */
	const struct caec_platform_key_ref *platform_keys;
	/** Entries in platform_keys. */
	size_t n_platform_keys;
	/** Accepted RIMs (any one matches). */
	const struct caec_rim_ref *rims;
	/** Entries in rims. */
	size_t n_rims;
	/** Expected challenge (CAEC_CHALLENGE_SIZE bytes), or NULL with ANY_CHALLENGE. */
	const uint8_t *challenge;
	/** Expected RPV (CAEC_RPV_SIZE bytes), or NULL for any. */
	const uint8_t *rpv;
	/** Expected realm ID, checked when CAEC_VERIFY_F_REALM_ID is set. */
	uint64_t realm_id;
	/**
	 * If non-zero: the token must list a relation with this grant ID
	 * whose peer is `grant_peer_id` (else CAEC_E_DENIED).
	 */
	uint64_t grant_id;
	/** The peer the grant must name (usually the verifier's own ID). */
	uint64_t grant_peer_id;
	/**
	 * If non-zero (and grant_id set): that relation must be sealed with
	 * this content hash (else CAEC_E_HASH).
	 */
	uint32_t grant_hash_len;
	/** Expected sealed-content hash of the grant. */
	uint8_t grant_hash[CAEC_HASH_MAX];
};

/**
 * @brief Get this realm's attestation token for a challenge.
 * @param[in]  ctx        an open context.
 * @param[in]  challenge  CAEC_CHALLENGE_SIZE bytes chosen by the verifier.
 * @param[out] buf        receives the token (CBOR).
 * @param[in]  cap        size of buf; CAEC_TOKEN_MAX_SIZE always suffices.
 * @returns the token length in bytes (> 0);
 *          CAEC_E_INVAL (NULL argument);
 *          CAEC_E_MSGSIZE (cap too small for the token);
 *          CAEC_E_NOTSUP (the backend cannot attest);
 *          CAEC_E_PLATFORM, CAEC_E_PROTO (platform failed or answered
 *          something that is not a token); CAEC_E_FORKED.
 *          A realm always gets a token: with more than
 *          CAEC_TOKEN_MAX_RELATIONS CSM relations, the platform lists the
 *          most telling ones (regions it provides, then grants it has
 *          attached, then grants waiting on it) and ends the list with a
 *          summary entry: region_id 0, grant_id = how many were left out
 *          (CAEC_TOKEN_REL_SUMMARY).
 * @since 0.1
 *
 * Context: blocks for one platform round trip (the platform signs).
 *
 * Ownership: buf is the caller's; the library keeps nothing.
 *
 * Concurrency: any thread.  The relations claim is a snapshot taken when
 * the platform signed.
 */
CAEC_EXPORT CAEC_NODISCARD int caec_attest_token(struct caec_ctx *ctx,
						 const uint8_t *challenge,
						 uint8_t *buf, size_t cap);

/**
 * @brief Get the platform's public key (the trust anchor for tokens).
 * @param[in]  ctx  an open context.
 * @param[out] buf  receives the key as PEM SubjectPublicKeyInfo text (not
 *                  NUL-terminated unless room is left).
 * @param[in]  cap  size of buf (1024 suffices for P-384).
 * @returns the key length in bytes (> 0); CAEC_E_INVAL; CAEC_E_MSGSIZE;
 *          CAEC_E_NOTSUP (the backend has no key to hand out: on real
 *          hardware the key comes from the platform vendor, not the
 *          platform itself); CAEC_E_PLATFORM; CAEC_E_PROTO;
 *          CAEC_E_PLATFORM_KEY (rsi: the key the machine delivered is not
 *          the one that signed this realm's own platform token).
 * @since 0.1
 *
 * Context: blocks for one platform round trip (rsi, the first time per
 * context: the key from the CSM driver, and a token of this realm's own
 * whose platform token must name it).  Trusting a key obtained from the
 * platform you are attesting says only "the platform I run on" (the
 * simulated platform; on the caec firmware, a key that lives for one
 * boot), or pins it the first time (trust on first use).
 *
 * Ownership: buf is the caller's.
 * Concurrency: any thread.
 */
CAEC_EXPORT CAEC_NODISCARD int caec_platform_key(struct caec_ctx *ctx,
						 uint8_t *buf, size_t cap);

/**
 * @brief Parse a token and copy out its claims, without verifying it.
 * @param[in]  token  the token bytes.
 * @param[in]  len    bytes in token (at most CAEC_TOKEN_MAX_SIZE).
 * @param[out] out    receives every claim; out->size must be set.
 * @returns CAEC_OK; CAEC_E_INVAL (NULL, out->size too small);
 *          CAEC_E_TOKEN (not a well-formed caec CCA token: malformed or
 *          non-canonical CBOR, indefinite lengths, wrong tags or types,
 *          duplicate or unknown keys, missing claims, out-of-range lengths,
 *          trailing bytes).
 * @since 0.1
 *
 * Context: never blocks; pure computation.  The claims are NOT trusted:
 * use caec_token_verify() before acting on them.
 *
 * Ownership: out is the caller's; nothing points into token.
 * Concurrency: any thread.
 */
CAEC_EXPORT CAEC_NODISCARD int caec_token_parse(const uint8_t *token,
						size_t len,
						struct caec_token_claims *out);

/**
 * @brief Verify a token against a policy (see the table at the top).
 * @param[in]  token   the token bytes.
 * @param[in]  len     bytes in token.
 * @param[in]  policy  trust anchors and expectations; policy->size set.
 * @param[out] out     NULL, or receives the claims (on success, and also on
 *                     any failure after parsing, for diagnostics).
 * @returns CAEC_OK; CAEC_E_INVAL (NULL, bad size, no platform key, no RIM
 *          without CAEC_VERIFY_F_ANY_RIM, no challenge without
 *          CAEC_VERIFY_F_ANY_CHALLENGE, unknown flags, a platform key that is
 *          not a P-384 public key); CAEC_E_NOMEM;
 *          CAEC_E_TOKEN; CAEC_E_SIGNATURE; CAEC_E_BINDING;
 *          CAEC_E_PLATFORM_KEY; CAEC_E_CHALLENGE; CAEC_E_RIM; CAEC_E_RPV;
 *          CAEC_E_REALM_ID; CAEC_E_DENIED; CAEC_E_HASH (see the table).
 * @since 0.1
 *
 * Context: never blocks; two or more ECDSA P-384 verifications (a few
 * milliseconds in all).  With out NULL the claims live on the stack
 * (about 10.5 KiB).
 *
 * Ownership: nothing is kept; out is the caller's.
 * Concurrency: any thread.
 */
CAEC_EXPORT CAEC_NODISCARD int caec_token_verify(const uint8_t *token,
						 size_t len,
						 const struct caec_verify_policy *policy,
						 struct caec_token_claims *out);

/** caec_verify_peer() result bit: verified, but against the platform key
 *  the platform itself served (no policy key, no pinned key): it proves
 *  nothing about who runs the platform.  Pin a key
 *  (caec_config.platform_key_file, CAEC_PLATFORM_KEY) or pass one.  On
 *  the RSI backend always, unless the policy names a key: the firmware's
 *  key lives for one boot, and the backend accepts the key the machine
 *  delivers only because this realm's own token names it. */
#define CAEC_VERIFY_W_UNPINNED 0x1
/** caec_verify_peer() result bit: verified, but the platform token's
 *  security lifecycle (claim 2395) is not "secured" (0x3000..0x30ff):
 *  caec-simd reports "non-PSA-RoT debug" (0x4000) when it admits realms
 *  it cannot isolate (--allow-insecure-realms); the caec firmware reports
 *  "unknown" (0x0000): it keeps no lifecycle state, so its tokens make no
 *  lifecycle claim to rely on (its realms are isolated all the same). */
#define CAEC_VERIFY_W_DEBUG_PLATFORM 0x2

/**
 * @brief The one call an application makes before granting to or attaching
 *        from a peer: verify the peer's token for the challenge we sent it.
 * @param[in]  ctx        an open context (this realm).
 * @param[in]  peer_id    the realm ID the token must carry.
 * @param[in]  challenge  the CAEC_CHALLENGE_SIZE-byte challenge we sent.
 * @param[in]  token      the peer's token.
 * @param[in]  len        bytes in token.
 * @param[in]  policy     NULL, or further requirements (RIMs, RPV, grant
 *                        and sealed hash, platform keys).  Its challenge and
 *                        realm ID fields are overridden by the arguments;
 *                        with no RIMs, any RIM is accepted; with no
 *                        platform keys, the key of the platform ctx is
 *                        connected to (caec_platform_key()) is used; when
 *                        grant_id is set and grant_peer_id is 0, this
 *                        realm's ID is required as the grant's peer.
 * @param[out] out        NULL, or receives the claims.
 * @returns CAEC_OK, or any error of caec_token_verify() and
 *          caec_platform_key().
 * @since 0.1
 *
 * Context: may block for one platform round trip (to fetch the platform
 * key when the policy names none).
 * Ownership: nothing is kept.
 * Concurrency: any thread.
 */
CAEC_EXPORT CAEC_NODISCARD int caec_verify_peer(struct caec_ctx *ctx,
						uint64_t peer_id,
						const uint8_t *challenge,
						const uint8_t *token, size_t len,
						const struct caec_verify_policy *policy,
						struct caec_token_claims *out);

#ifdef __cplusplus
}
#endif
#endif /* CAEC_ATTEST_H */
