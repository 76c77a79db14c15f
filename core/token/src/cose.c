/* SPDX-License-Identifier: Apache-2.0 */
/* COSE_Sign1 (RFC 9052) signing input and ES384 verification. */
#include "internal.h"

#include <string.h>

#include <cbor.h>
#include <mbedtls/bignum.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/md.h>
#include <mbedtls/sha512.h>

static int hash_bstr(mbedtls_sha512_context *h, const uint8_t *p, size_t len)
{
	uint8_t head[9];
	size_t n = cbor_encode_bytestring_start(len, head, sizeof(head));
	int rc;

	if (n == 0)
		return CAEC_E_RANGE;
	rc = mbedtls_sha512_update_ret(h, head, n);
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
