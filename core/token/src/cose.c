/* SPDX-License-Identifier: Apache-2.0 */
/*
 * COSE_Sign1 (RFC 9052) signing input, ES384 signing and verification.
 * Portable (mbedTLS only): the firmware signs with this same code.
 */
#include "internal.h"

#include <string.h>

#include <mbedtls/bignum.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/md.h>
#include <mbedtls/sha512.h>

static int hash_bstr(mbedtls_sha512_context *h, const uint8_t *p, size_t len)
{
	uint8_t head[CBOR_HEAD_MAX];
	size_t n = cbor_head(head, 2, len);
	int rc = mbedtls_sha512_update_ret(h, head, n);
	if (!rc && len)
		rc = mbedtls_sha512_update_ret(h, p, len);
	return rc ? token_err(rc, TOKEN_SITE_CRYPTO) : 0;
}

int cose_tbs_hash(const uint8_t *prot, size_t prot_len, const uint8_t *payload,
		  size_t payload_len, uint8_t hash[48])
{
	/* Sig_structure = [ "Signature1", body_protected, external_aad (empty),
	 * payload ], hashed as it is encoded, without building it. */
	static const uint8_t prefix[] = {
		0x84, 0x6a, 'S', 'i', 'g', 'n', 'a', 't', 'u', 'r', 'e', '1',
	};
	mbedtls_sha512_context h;
	uint8_t full[64]; /* the prototype asks for 64 bytes even for SHA-384 */
	int rc;

	mbedtls_sha512_init(&h);
	rc = mbedtls_sha512_starts_ret(&h, 1 /* SHA-384 */);
	if (!rc)
		rc = mbedtls_sha512_update_ret(&h, prefix, sizeof(prefix));
	rc = rc ? token_err(rc, TOKEN_SITE_CRYPTO) : 0;
	if (!rc)
		rc = hash_bstr(&h, prot, prot_len);
	if (!rc)
		rc = hash_bstr(&h, NULL, 0);
	if (!rc)
		rc = hash_bstr(&h, payload, payload_len);
	if (!rc)
		rc = token_err(mbedtls_sha512_finish_ret(&h, full), TOKEN_SITE_CRYPTO);
	if (!rc)
		memcpy(hash, full, 48);
	mbedtls_sha512_free(&h);
	return rc;
}

int cose_sign(mbedtls_ecp_keypair *key,
	      int (*f_rng)(void *, unsigned char *, size_t), void *p_rng,
	      const uint8_t *prot, size_t prot_len, const uint8_t *payload,
	      size_t payload_len, uint8_t sig[TOKEN_ES384_SIG_SIZE])
{
	uint8_t hash[48];
	mbedtls_mpi r, s;
	int rc = cose_tbs_hash(prot, prot_len, payload, payload_len, hash);

	if (rc)
		return rc;
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	rc = mbedtls_ecdsa_sign(&key->grp, &r, &s, &key->d, hash, sizeof(hash),
				f_rng, p_rng);
	if (!rc)
		rc = mbedtls_mpi_write_binary(&r, sig, TOKEN_P384_COORD);
	if (!rc)
		rc = mbedtls_mpi_write_binary(&s, sig + TOKEN_P384_COORD,
					      TOKEN_P384_COORD);
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&s);
	return token_err(rc, TOKEN_SITE_CRYPTO);
}

int cose_verify(mbedtls_ecp_group *grp, const mbedtls_ecp_point *q,
		const struct token_cose_view *cv)
{
	uint8_t hash[48];
	mbedtls_mpi r, s;
	int rc;

	rc = cose_tbs_hash(cv->prot, cv->prot_len, cv->payload, cv->payload_len,
			   hash);
	if (rc)
		return rc;
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	rc = mbedtls_mpi_read_binary(&r, cv->sig, TOKEN_P384_COORD);
	if (!rc)
		rc = mbedtls_mpi_read_binary(&s, cv->sig + TOKEN_P384_COORD,
					     TOKEN_P384_COORD);
	if (!rc)
		rc = mbedtls_ecdsa_verify(grp, hash, sizeof(hash), q, &r, &s);
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&s);
	return token_err(rc, TOKEN_SITE_VERIFY);
}

size_t token_hash_size(const char *name, int *md_type)
{
	static const struct {
		const char *name;
		mbedtls_md_type_t type;
		size_t size;
	} algos[] = {
		{ "sha-256", MBEDTLS_MD_SHA256, 32 },
		{ "sha-384", MBEDTLS_MD_SHA384, 48 },
		{ "sha-512", MBEDTLS_MD_SHA512, 64 },
	};
	for (size_t i = 0; i < sizeof(algos) / sizeof(algos[0]); i++) {
		if (strcmp(name, algos[i].name) == 0) {
			if (md_type)
				*md_type = (int)algos[i].type;
			return algos[i].size;
		}
	}
	return 0;
}
