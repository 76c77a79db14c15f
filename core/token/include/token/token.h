/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file token/token.h
 * @brief CCA-format attestation tokens: claim keys, the issuer (simulated
 *        RMM side) and the strict decoder/verifier core (libcaec side).
 *
 * HOST-ONLY COMPONENT.  Unlike the rest of core/, this component is not
 * freestanding: it uses libcbor, mbedTLS (with its OS entropy source, i.e.
 * getrandom), malloc and file I/O (PEM key files).  It is linked into
 * caec-simd (which issues tokens) and libcaec (which verifies them).  The
 * firmware RMM will need its own issuer on top of the same claim keys.
 *
 * Token layout (docs/attestation.md draws it):
 *
 *   #6.399({ 44234: bstr(platform COSE_Sign1_Tagged),
 *            44241: bstr(realm COSE_Sign1_Tagged) })
 *   COSE_Sign1_Tagged = #6.18([ bstr({1: -35, ?4: kid}), {}, bstr(claims),
 *                               bstr(96-byte r||s) ])
 *
 * All functions return 0 (or a length) or a negative enum caec_err.
 *
 * Example, in caec-simd:
 * @code
 *   struct token_signer *ts;
 *   // NULL paths: generate fresh P-384 keys; else load PEM private keys.
 *   int rc = token_signer_create(&ts, opt_cpak_path, opt_rak_path);
 *   ...
 *   char pem[TOKEN_PEM_MAX];
 *   int n = token_signer_platform_pubkey(ts, pem, sizeof(pem));
 *   // SIMD_OP_PLATFORM_KEY reply: pem[0..n)
 *   ...
 *   // SIMD_OP_TOKEN: fill the realm's claims, then
 *   struct token_realm_claims c = { .realm_id = realm->id, ... };
 *   uint8_t *tok; size_t tok_len;
 *   rc = token_issue(ts, &c, req->challenge, &tok, &tok_len);
 *   // reply tok[0..tok_len), then free(tok)
 *   ...
 *   token_signer_destroy(ts);
 * @endcode
 */
#ifndef TOKEN_TOKEN_H
#define TOKEN_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#include <caec/attest.h>
#include <caec/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/* --- CBOR tags and collection keys (Arm CCA, RMM spec / TF-RMM) -------- */
#define TOKEN_TAG_CCA 399u        /**< CCA token collection */
#define TOKEN_TAG_COSE_SIGN1 18u  /**< COSE_Sign1_Tagged */
#define TOKEN_KEY_PLATFORM 44234  /**< collection: platform token */
#define TOKEN_KEY_REALM 44241     /**< collection: realm delegated token */

/* --- COSE ------------------------------------------------------------- */
#define TOKEN_COSE_HDR_ALG 1      /**< protected header: algorithm */
#define TOKEN_COSE_HDR_KID 4      /**< protected header: key id */
#define TOKEN_COSE_ALG_ES384 (-35)
#define TOKEN_COSE_KEY_KTY 1      /**< COSE_Key: key type */
#define TOKEN_COSE_KEY_CRV (-1)   /**< COSE_Key EC2: curve */
#define TOKEN_COSE_KEY_X (-2)     /**< COSE_Key EC2: x */
#define TOKEN_COSE_KEY_Y (-3)     /**< COSE_Key EC2: y */
#define TOKEN_COSE_KTY_EC2 2
#define TOKEN_COSE_CRV_P384 2

/* --- realm token claims (CCA) ------------------------------------------ */
#define TOKEN_REALM_CHALLENGE 10
#define TOKEN_REALM_PROFILE 265
#define TOKEN_REALM_RPV 44235
#define TOKEN_REALM_HASH_ALGO 44236
#define TOKEN_REALM_PUB_KEY 44237
#define TOKEN_REALM_RIM 44238
#define TOKEN_REALM_REMS 44239
#define TOKEN_REALM_PUB_KEY_HASH_ALGO 44240
/* --- realm token claims (caec private; RFC 8392 private-use range) ---- */
#define TOKEN_REALM_CAEC_REALM_ID (-70000)  /**< uint: the 64-bit realm ID */
#define TOKEN_REALM_CAEC_RELATIONS (-70001) /**< array of relation maps */
/* Keys inside one relation map. */
#define TOKEN_REL_REGION_ID 1
#define TOKEN_REL_GRANT_ID 2
#define TOKEN_REL_PEER_ID 3
#define TOKEN_REL_PERM 4
#define TOKEN_REL_ROLE 5
#define TOKEN_REL_SEALED 6        /**< bool */
#define TOKEN_REL_HASH 7          /**< bstr, present iff sealed */

/* --- platform token claims (CCA / PSA) -------------------------------- */
#define TOKEN_PLAT_CHALLENGE 10
#define TOKEN_PLAT_INSTANCE_ID 256
#define TOKEN_PLAT_PROFILE 265
#define TOKEN_PLAT_LIFECYCLE 2395
#define TOKEN_PLAT_IMPLEMENTATION_ID 2396
#define TOKEN_PLAT_SW_COMPONENTS 2399
#define TOKEN_PLAT_VERIFICATION_SERVICE 2400
#define TOKEN_PLAT_CONFIG 2401
#define TOKEN_PLAT_HASH_ALGO 2402
/* Keys inside one software component map. */
#define TOKEN_SWC_TYPE 1
#define TOKEN_SWC_MEASUREMENT 2
#define TOKEN_SWC_VERSION 4
#define TOKEN_SWC_SIGNER_ID 5
#define TOKEN_SWC_HASH_ALGO 6

#define TOKEN_PROFILE_REALM "tag:arm.com,2023:realm#1.0.0"
#define TOKEN_PROFILE_PLATFORM "tag:arm.com,2023:cca_platform#1.0.0"

#define TOKEN_ES384_SIG_SIZE 96u   /**< r || s, 48 bytes each */
#define TOKEN_P384_COORD 48u
#define TOKEN_KID_SIZE 32u         /**< SHA-256 of the platform key's SPKI DER */
#define TOKEN_PEM_MAX 1024u        /**< room for a P-384 public or private key PEM */

/** One CSM relation, as the issuer is given it. */
struct token_relation {
	uint64_t region_id;
	uint64_t grant_id;       /* 0: a provided region with no grant */
	uint64_t peer_realm_id;  /* 0: none */
	uint32_t perm;           /* CAEC_PERM_RO / CAEC_PERM_RW / 0 */
	uint32_t role;           /* CAEC_TOKEN_ROLE_PROVIDER / _CONSUMER */
	uint32_t sealed;         /* 0 or 1 */
	uint32_t hash_len;       /* 1..CAEC_HASH_MAX when sealed, else 0 */
	uint8_t hash[CAEC_HASH_MAX];
};

/** What the platform knows about the realm being attested. */
struct token_realm_claims {
	uint64_t realm_id;
	uint32_t rim_len;                    /* 32 ("sha-256") or 64 ("sha-512") */
	uint8_t rim[CAEC_HASH_MAX];
	uint32_t rem_len;                    /* == rim_len */
	uint8_t rems[CAEC_TOKEN_REM_COUNT][CAEC_HASH_MAX];
	uint8_t rpv[CAEC_RPV_SIZE];
	const char *hash_algo;               /* "sha-256" (NULL: "sha-256") */
	size_t n_relations;                  /* <= CAEC_TOKEN_MAX_RELATIONS */
	const struct token_relation *relations;
};

struct token_signer;

/**
 * @brief Create the simulated platform's signer: the platform key (CPAK)
 *        and the realm attestation key (RAK), both ECDSA P-384.
 * @param[out] out        the signer.
 * @param[in]  cpak_path  NULL to generate, or a PEM (or DER) EC P-384
 *                        private key file.
 * @param[in]  rak_path   same, for the RAK.
 * @returns 0; CAEC_E_INVAL (out NULL, a key file that is not a P-384 EC
 *          private key, or unreadable); CAEC_E_NOMEM; CAEC_E_PLATFORM
 *          (entropy source failed).
 *
 * The platform token (bound to the RAK) is signed once, here, as on CCA
 * hardware where the RMM fetches it from the platform at boot.
 * Not thread-safe: one thread uses a signer at a time.  Pair with
 * token_signer_destroy().
 */
int token_signer_create(struct token_signer **out, const char *cpak_path,
			const char *rak_path);

/**
 * @brief As token_signer_create() with generated keys, but deterministic:
 *        keys and ECDSA nonces come from a DRBG seeded only with `seed`.
 *        For tests and fuzz corpora only.
 */
int token_signer_create_seeded(struct token_signer **out, const uint8_t *seed,
			       size_t seed_len);

/** PSA security lifecycle values the simulated platform reports (claim 2395). */
#define TOKEN_LIFECYCLE_SECURED 0x3000u /**< "secured": the default */
#define TOKEN_LIFECYCLE_DEBUG 0x4000u   /**< "non-PSA-RoT debug" */

/**
 * @brief Re-sign the platform token with another security lifecycle claim
 *        (0..0xffff).  caec-simd reports TOKEN_LIFECYCLE_DEBUG when it
 *        admits realms it cannot isolate (--allow-insecure-realms).
 * @returns 0; CAEC_E_INVAL; or an error of signing (the token is unchanged).
 */
int token_signer_set_lifecycle(struct token_signer *s, uint32_t lifecycle);

/** @brief Free a signer, wiping its keys.  NULL is a no-op. */
void token_signer_destroy(struct token_signer *s);

/**
 * @brief The platform public key as PEM SubjectPublicKeyInfo text
 *        ("-----BEGIN PUBLIC KEY-----"), the form verifiers trust.
 * @returns the length without the NUL (a NUL is written after it);
 *          CAEC_E_INVAL; CAEC_E_MSGSIZE (cap < length + 1).
 */
int token_signer_platform_pubkey(const struct token_signer *s, char *buf,
				 size_t cap);

/**
 * @brief Write the signer's private keys as PEM files (mode 0600), so a
 *        later token_signer_create() can load them.  NULL path: skip.
 * @returns 0; CAEC_E_INVAL; CAEC_E_PLATFORM (I/O error).
 */
int token_signer_save_keys(struct token_signer *s, const char *cpak_path,
			   const char *rak_path);

/**
 * @brief Issue a token: the cached platform token plus a realm token for
 *        `c` and `challenge`, signed with the RAK.
 * @param[in]  s          the signer.
 * @param[in]  c          the realm's claims.
 * @param[in]  challenge  CAEC_CHALLENGE_SIZE bytes from the requester.
 * @param[out] out        receives a malloc'd token; free() it.
 * @param[out] out_len    its length (<= CAEC_TOKEN_MAX_SIZE).
 * @returns 0; CAEC_E_INVAL (NULL, rim_len/rem_len not matching hash_algo,
 *          unknown hash_algo, too many relations, bad relation hash_len,
 *          role or perm); CAEC_E_RANGE (the token would exceed
 *          CAEC_TOKEN_MAX_SIZE); CAEC_E_NOMEM; CAEC_E_PLATFORM (crypto
 *          failure).
 */
int token_issue(struct token_signer *s, const struct token_realm_claims *c,
		const uint8_t *challenge, uint8_t **out, size_t *out_len);

/* ----------------------------------------------------------------------
 * Decoder / verifier core
 * -------------------------------------------------------------------- */

/** Where the signed parts of a token are: pointers into the token buffer. */
struct token_cose_view {
	const uint8_t *whole;     /* the COSE_Sign1_Tagged bytes */
	size_t whole_len;
	const uint8_t *prot;      /* protected header bstr content */
	size_t prot_len;
	const uint8_t *payload;   /* claims map bytes */
	size_t payload_len;
	const uint8_t *sig;       /* TOKEN_ES384_SIG_SIZE bytes */
	const uint8_t *kid;       /* NULL if absent */
	size_t kid_len;
};

/** A decoded token: signed parts plus the raw RAK COSE_Key bytes. */
struct token_view {
	struct token_cose_view plat;
	struct token_cose_view realm;
	const uint8_t *rak_cose;  /* realm claim 44237 content (COSE_Key) */
	size_t rak_cose_len;
};

/**
 * @brief Strictly decode a token and copy out all claims (no crypto).
 * @param[out] v    may be NULL; else pointers into `buf` (valid while it is).
 * @param[out] out  claims; out->size is ignored (the caller checked it).
 * @returns 0; CAEC_E_TOKEN (any structural or claim error).
 */
int token_decode(const uint8_t *buf, size_t len, struct token_view *v,
		 struct caec_token_claims *out);

/**
 * @brief Check the realm signature (CAEC_E_SIGNATURE), the binding
 *        (CAEC_E_BINDING) and the platform signature against the accepted
 *        keys (CAEC_E_PLATFORM_KEY, or CAEC_E_SIGNATURE if the kid names an
 *        accepted key that does not verify).
 * @returns 0 or one of those; CAEC_E_INVAL (a key that does not parse as
 *          a P-384 public key, or n_keys 0); CAEC_E_NOMEM.
 */
int token_verify_signatures(const struct token_view *v,
			    const struct caec_token_claims *c,
			    const struct caec_platform_key_ref *keys,
			    size_t n_keys);

/**
 * @brief Key id of a platform public key (PEM or DER): SHA-256 of its
 *        SubjectPublicKeyInfo DER.
 * @returns 0; CAEC_E_INVAL (not a P-384 EC public key); CAEC_E_NOMEM.
 */
int token_platform_kid(const uint8_t *key, size_t key_len,
		       uint8_t kid[TOKEN_KID_SIZE]);

#ifdef __cplusplus
}
#endif
#endif /* TOKEN_TOKEN_H */
