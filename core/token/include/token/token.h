/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file token/token.h
 * @brief CCA-format attestation tokens: claim keys, the encoder (used by
 *        every issuer), the simulated platform's signer, and the strict
 *        decoder/verifier core (libcaec side).
 *
 * Two parts:
 *  - PORTABLE: the claim keys, the encoder (token_encode_*, token_sign1_*,
 *    token_collection_frame) and the decoder/verifier (token_decode,
 *    token_verify_signatures, token_platform_kid).  They use caller
 *    buffers, mbedTLS and a few string functions only: the EL3 monitor
 *    (platform token) and the RMM (realm token) build the encoder
 *    freestanding, and realm payloads link the decoder/verifier
 *    (firmware/meson.build).  No second encoder exists anywhere.
 *  - HOST-ONLY: the simulated platform's signer (token_signer_*,
 *    token_issue), which adds key files, malloc and the OS entropy source.
 *    It is linked into caec-simd.
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
 * Example, an issuer with its own keys (what the RMM does):
 * @code
 *   // once: the platform token (from EL3) and the RAK's COSE_Key claim
 *   token_encode_rak(rak_point, rak_cose, sizeof(rak_cose), &rak_cose_len);
 *   // per token: claims, framing, signature
 *   struct token_sign1_layout l;
 *   size_t n, shift, len;
 *   token_encode_realm_claims(&claims, challenge, rak_cose, rak_cose_len,
 *                             buf, cap, &n);
 *   token_sign1_frame(buf, cap, n, NULL, &l);           // realm COSE_Sign1
 *   token_collection_frame(buf, cap, l.len, plat, plat_len, &shift, &len);
 *   token_sign1_layout_shift(&l, shift);
 *   token_sign1_sign(buf, &l, &rak, f_rng, p_rng);      // buf[0..len)
 * @endcode
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

#include <mbedtls/ecp.h>

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

/** One platform software component (claim 2399), as the issuer gives it. */
struct token_sw_component {
	const char *type;             /* NULL: omitted */
	const uint8_t *measurement;   /* 1..CAEC_HASH_MAX bytes */
	size_t measurement_len;
	const char *version;          /* NULL: omitted */
	const uint8_t *signer_id;     /* 1..CAEC_HASH_MAX bytes */
	size_t signer_id_len;
	const char *hash_algo;        /* NULL: omitted */
};

/** The claims of a platform token (texts: 1..63 bytes, the URL 1..127). */
struct token_platform_claims {
	const uint8_t *challenge;     /* hash of the RAK claim: 32, 48 or 64 bytes */
	size_t challenge_len;
	uint8_t implementation_id[CAEC_TOKEN_IMPL_ID_SIZE];
	uint8_t instance_id[CAEC_TOKEN_INSTANCE_ID_SIZE]; /* 0x01 || 32 bytes */
	const uint8_t *config;        /* 0..CAEC_TOKEN_CONFIG_MAX bytes */
	size_t config_len;
	uint32_t lifecycle;           /* 0..0xffff, e.g. 0x3000 "secured" */
	size_t n_sw_components;       /* 1..CAEC_TOKEN_MAX_SW_COMPONENTS */
	const struct token_sw_component *sw_components;
	const char *verification_service; /* NULL: omitted */
	const char *hash_algo;        /* e.g. "sha-256" */
};

/* ----------------------------------------------------------------------
 * Encoder (portable)
 * -------------------------------------------------------------------- */

/** Where the parts of a COSE_Sign1_Tagged lie in a buffer. */
struct token_sign1_layout {
	size_t prot_off, prot_len;        /* protected header bstr content */
	size_t payload_off, payload_len;  /* the claims map */
	size_t sig_off;                   /* TOKEN_ES384_SIG_SIZE bytes */
	size_t len;                       /* the whole COSE_Sign1_Tagged */
};

/**
 * @brief Check realm claims as token_encode_realm_claims() would.
 * @param[out] digest  the measurement digest size (32 or 64).
 * @returns 0; CAEC_E_INVAL (rim_len/rem_len not matching hash_algo,
 *          unknown hash_algo, too many relations, bad relation hash_len,
 *          role or perm).
 */
int token_check_realm_claims(const struct token_realm_claims *c, size_t *digest);

/**
 * @brief The realm public key claim (44237) content: a COSE_Key
 *        {1: 2, -1: 2, -2: x, -3: y} from an uncompressed P-384 point.
 * @returns 0; CAEC_E_INVAL (not 0x04 || x || y); CAEC_E_RANGE (cap).
 */
int token_encode_rak(const uint8_t point[CAEC_TOKEN_RAK_SIZE], uint8_t *out,
		     size_t cap, size_t *len);

/**
 * @brief A platform claims map into out[0..*len).
 * @returns 0; CAEC_E_INVAL (a claim the decoder would refuse);
 *          CAEC_E_RANGE (cap).
 */
int token_encode_platform_claims(const struct token_platform_claims *pc,
				 uint8_t *out, size_t cap, size_t *len);

/**
 * @brief A realm claims map into out[0..*len): the claims `c`, the
 *        requester's challenge and the RAK claim content.
 * @returns 0; CAEC_E_INVAL (see token_check_realm_claims()); CAEC_E_RANGE.
 */
int token_encode_realm_claims(const struct token_realm_claims *c,
			      const uint8_t challenge[CAEC_CHALLENGE_SIZE],
			      const uint8_t *rak_cose, size_t rak_cose_len,
			      uint8_t *out, size_t cap, size_t *len);

/**
 * @brief Frame the payload at buf[0..payload_len) as COSE_Sign1_Tagged in
 *        place: the payload moves right, the heads are written around it,
 *        and the signature is left zero (token_sign1_sign() fills it).
 * @param kid  NULL, or the TOKEN_KID_SIZE-byte key id (platform token).
 * @returns 0; CAEC_E_INVAL; CAEC_E_RANGE (cap).
 */
int token_sign1_frame(uint8_t *buf, size_t cap, size_t payload_len,
		      const uint8_t kid[TOKEN_KID_SIZE],
		      struct token_sign1_layout *l);

/**
 * @brief Frame the realm COSE_Sign1 at buf[0..realm_len) and the platform
 *        token `plat` as the CCA collection, in place.
 * @param[out] shift  how far the realm token moved (add it to its layout
 *                    with token_sign1_layout_shift()).
 * @param[out] len    the collection's length.
 * @returns 0; CAEC_E_INVAL; CAEC_E_RANGE (cap).
 */
int token_collection_frame(uint8_t *buf, size_t cap, size_t realm_len,
			   const uint8_t *plat, size_t plat_len, size_t *shift,
			   size_t *len);

/** @brief Move a layout by `shift` bytes (after token_collection_frame()). */
void token_sign1_layout_shift(struct token_sign1_layout *l, size_t shift);

/**
 * @brief ES384-sign a framed COSE_Sign1 in place (base + l->sig_off) with
 *        a P-384 key pair (its private scalar d); f_rng gives the nonce.
 * @returns 0; CAEC_E_INVAL; CAEC_E_NOMEM; CAEC_E_PLATFORM (crypto failure).
 */
int token_sign1_sign(uint8_t *base, const struct token_sign1_layout *l,
		     mbedtls_ecp_keypair *key,
		     int (*f_rng)(void *, unsigned char *, size_t), void *p_rng);

/* ----------------------------------------------------------------------
 * The simulated platform's signer (host-only: signer.c)
 * -------------------------------------------------------------------- */

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
 * Decoder / verifier core (portable; token_verify_signatures(),
 * token_platform_kid() and token_platform_key_pem() use malloc for PEM
 * input)
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

/**
 * @brief A platform public key (PEM or DER) as PEM SubjectPublicKeyInfo
 *        text, NUL-terminated (TOKEN_PEM_MAX bytes always suffice).
 * @returns the PEM's length without the NUL; CAEC_E_INVAL (not a P-384
 *          EC public key, or no buffer); CAEC_E_MSGSIZE (cap too small);
 *          CAEC_E_NOMEM.
 */
int token_platform_key_pem(const uint8_t *key, size_t key_len, char *pem,
			   size_t cap);

#ifdef __cplusplus
}
#endif
#endif /* TOKEN_TOKEN_H */
