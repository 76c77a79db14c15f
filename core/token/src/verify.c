/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Cryptographic checks of a decoded token: the realm signature under the
 * RAK the token carries, the platform token's binding to that RAK, and the
 * platform signature under one of the caller's accepted platform keys.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include <mbedtls/base64.h>
#include <mbedtls/ecp.h>
#include <mbedtls/md.h>
#include <mbedtls/pk.h>
#include <mbedtls/sha256.h>

/* Parse a PEM (NUL-terminated or not) or DER P-384 public key. */
static int parse_pubkey(mbedtls_pk_context *pk, const uint8_t *key, size_t len)
{
	static const char pem_begin[] = "-----BEGIN";
	uint8_t *copy = NULL;
	int rc;

	if (!key || len == 0 || len > 8192)
		return CAEC_E_INVAL;
	/* mbedTLS wants PEM with its terminating NUL counted in the length. */
	if (len >= sizeof(pem_begin) - 1 &&
	    memcmp(key, pem_begin, sizeof(pem_begin) - 1) == 0 &&
	    key[len - 1] != '\0') {
		copy = malloc(len + 1);
		if (!copy)
			return CAEC_E_NOMEM;
		memcpy(copy, key, len);
		copy[len] = '\0';
		key = copy;
		len++;
	}
	rc = mbedtls_pk_parse_public_key(pk, key, len);
	free(copy);
	if (rc)
		return token_err(rc, TOKEN_SITE_KEYPARSE);
	if (mbedtls_pk_get_type(pk) != MBEDTLS_PK_ECKEY ||
	    mbedtls_pk_ec(*pk)->grp.id != MBEDTLS_ECP_DP_SECP384R1)
		return CAEC_E_INVAL;
	return 0;
}

static int kid_of(mbedtls_pk_context *pk, uint8_t kid[TOKEN_KID_SIZE])
{
	uint8_t der[256];
	int n = mbedtls_pk_write_pubkey_der(pk, der, sizeof(der));

	if (n <= 0)
		return token_err(n ? n : -1, TOKEN_SITE_KEYPARSE);
	/* mbedtls_pk_write_pubkey_der() writes at the end of the buffer. */
	return token_err(mbedtls_sha256_ret(der + sizeof(der) - (size_t)n,
					    (size_t)n, kid, 0),
			 TOKEN_SITE_CRYPTO);
}

int token_platform_kid(const uint8_t *key, size_t key_len,
		       uint8_t kid[TOKEN_KID_SIZE])
{
	mbedtls_pk_context pk;
	int rc;

	mbedtls_pk_init(&pk);
	rc = parse_pubkey(&pk, key, key_len);
	if (!rc)
		rc = kid_of(&pk, kid);
	mbedtls_pk_free(&pk);
	return rc;
}

int token_platform_key_pem(const uint8_t *key, size_t key_len, char *pem,
			   size_t cap)
{
	mbedtls_pk_context pk;
	int rc;

	if (!pem || cap == 0)
		return CAEC_E_INVAL;
	mbedtls_pk_init(&pk);
	rc = parse_pubkey(&pk, key, key_len);
	if (!rc) {
		int w = mbedtls_pk_write_pubkey_pem(&pk, (unsigned char *)pem, cap);
		if (w == MBEDTLS_ERR_BASE64_BUFFER_TOO_SMALL)
			rc = CAEC_E_MSGSIZE;
		else if (w)
			rc = token_err(w, TOKEN_SITE_KEYPARSE);
	}
	mbedtls_pk_free(&pk);
	/* mbedTLS wrote a NUL-terminated string. */
	return rc ? rc : (int)strlen(pem);
}

static int verify_realm(const struct token_view *v,
			const struct caec_token_claims *c)
{
	mbedtls_ecp_group grp;
	mbedtls_ecp_point q;
	int rc;

	mbedtls_ecp_group_init(&grp);
	mbedtls_ecp_point_init(&q);
	rc = mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP384R1);
	if (rc) {
		rc = token_err(rc, TOKEN_SITE_CRYPTO);
		goto out;
	}
	/* A RAK that is not a point on P-384 cannot verify anything. */
	rc = mbedtls_ecp_point_read_binary(&grp, &q, c->rak, c->rak_len);
	if (!rc)
		rc = mbedtls_ecp_check_pubkey(&grp, &q);
	if (rc) {
		rc = token_err(rc, TOKEN_SITE_VERIFY);
		goto out;
	}
	rc = cose_verify(&grp, &q, &v->realm);
out:
	mbedtls_ecp_point_free(&q);
	mbedtls_ecp_group_free(&grp);
	return rc;
}

/* The platform challenge must be the hash of the realm's RAK claim. */
static int verify_binding(const struct token_view *v,
			  const struct caec_token_claims *c)
{
	uint8_t digest[64];
	int md_type;
	size_t n = token_hash_size(c->rak_hash_algo, &md_type);
	const mbedtls_md_info_t *md;

	if (n == 0)
		return CAEC_E_TOKEN;
	md = mbedtls_md_info_from_type((mbedtls_md_type_t)md_type);
	if (!md)
		return CAEC_E_PLATFORM;
	int rc = mbedtls_md(md, v->rak_cose, v->rak_cose_len, digest);
	if (rc)
		return token_err(rc, TOKEN_SITE_CRYPTO);
	if (c->platform_challenge_len != n ||
	    memcmp(c->platform_challenge, digest, n) != 0)
		return CAEC_E_BINDING;
	return 0;
}

#define MAX_KEYS CAEC_VERIFY_MAX_PLATFORM_KEYS

/* The caller's accepted platform keys, parsed. */
struct keyset {
	mbedtls_pk_context pk[MAX_KEYS];
	bool kid_match[MAX_KEYS]; /* this key's kid is the platform token's */
	size_t n;
};

static void keyset_free(struct keyset *ks)
{
	for (size_t i = 0; i < ks->n; i++)
		mbedtls_pk_free(&ks->pk[i]);
	ks->n = 0;
}

/* Parse every accepted key before looking at signatures: a bad key is the
 * caller's error (CAEC_E_INVAL), whatever the token says. */
static int keyset_load(struct keyset *ks, const struct token_view *v,
		       const struct caec_platform_key_ref *keys, size_t n_keys)
{
	int rc = 0;

	ks->n = 0;
	for (size_t i = 0; i < n_keys && !rc; i++) {
		mbedtls_pk_init(&ks->pk[i]);
		ks->n++;
		ks->kid_match[i] = false;
		rc = parse_pubkey(&ks->pk[i], keys[i].data, keys[i].len);
		if (!rc && v->plat.kid && v->plat.kid_len == TOKEN_KID_SIZE) {
			uint8_t kid[TOKEN_KID_SIZE];
			rc = kid_of(&ks->pk[i], kid);
			ks->kid_match[i] = !rc &&
				memcmp(kid, v->plat.kid, TOKEN_KID_SIZE) == 0;
		}
	}
	if (rc)
		keyset_free(ks);
	return rc;
}

/* Any accepted key that verifies is enough; the kid only decides which
 * error a failure reports. */
static int verify_platform(const struct token_view *v, struct keyset *ks)
{
	bool named = false;

	for (size_t i = 0; i < ks->n; i++) {
		mbedtls_ecp_keypair *kp = mbedtls_pk_ec(ks->pk[i]);
		int rc = cose_verify(&kp->grp, &kp->Q, &v->plat);
		if (rc == 0)
			return 0;
		if (rc != CAEC_E_SIGNATURE)
			return rc; /* NOMEM, PLATFORM */
		named = named || ks->kid_match[i];
	}
	/* Signed by a key we accept (it says so) but does not verify: the
	 * signature is bad.  Otherwise it is signed by a key we do not accept. */
	return named ? CAEC_E_SIGNATURE : CAEC_E_PLATFORM_KEY;
}

int token_verify_signatures(const struct token_view *v,
			    const struct caec_token_claims *c,
			    const struct caec_platform_key_ref *keys,
			    size_t n_keys)
{
	struct keyset ks;
	int rc;

	if (!v || !c || !keys || n_keys == 0 || n_keys > MAX_KEYS)
		return CAEC_E_INVAL;
	rc = keyset_load(&ks, v, keys, n_keys);
	if (rc)
		return rc;
	rc = verify_realm(v, c);
	if (!rc)
		rc = verify_binding(v, c);
	if (!rc)
		rc = verify_platform(v, &ks);
	keyset_free(&ks);
	return rc;
}
