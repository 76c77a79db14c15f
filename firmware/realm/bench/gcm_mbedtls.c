/*
 * AES-256-GCM with Debian's arm64 mbedTLS (libmbedtls-dev:arm64, its
 * static libmbedcrypto.a, linked as Debian built it).  mbedTLS 2.28 has no
 * ARMv8 Crypto Extensions code: AES and GHASH are its portable C (tables).
 */
#include <stdio.h>
#include <stdlib.h>

#include <mbedtls/gcm.h>
#include <mbedtls/version.h>

#include "bench.h"

static void mb_version(char *buf, size_t n)
{
	char v[18];

	mbedtls_version_get_string(v);
	snprintf(buf, n, "mbedTLS %s (mbedtls_gcm_crypt_and_tag / mbedtls_gcm_auth_decrypt)", v);
}

static void *mb_new(const uint8_t key[32])
{
	mbedtls_gcm_context *g = calloc(1U, sizeof(*g));

	if (g == NULL) {
		return NULL;
	}
	mbedtls_gcm_init(g);
	if (mbedtls_gcm_setkey(g, MBEDTLS_CIPHER_ID_AES, key, 256U) != 0) {
		mbedtls_gcm_free(g);
		free(g);
		return NULL;
	}
	return g;
}

static int mb_seal(void *ctx, const uint8_t iv[GCM_IV], const uint8_t hdr[GCM_HDR],
		   const uint8_t *in, size_t n, uint8_t *ct, uint8_t tag[GCM_TAG])
{
	return mbedtls_gcm_crypt_and_tag(ctx, MBEDTLS_GCM_ENCRYPT, n, iv, GCM_IV, hdr, GCM_HDR, in,
					 ct, GCM_TAG, tag) == 0 ? 0 : -1;
}

static int mb_open(void *ctx, const uint8_t iv[GCM_IV], const uint8_t hdr[GCM_HDR],
		   const uint8_t *ct, size_t n, const uint8_t tag[GCM_TAG], uint8_t *out)
{
	return mbedtls_gcm_auth_decrypt(ctx, n, iv, GCM_IV, hdr, GCM_HDR, tag, GCM_TAG, ct,
					out) == 0 ? 0 : -1;
}

const struct gcm_lib gcm_mbedtls = {
	.name = "mbedTLS",
	.version = mb_version,
	.new_ctx = mb_new,
	.seal = mb_seal,
	.open = mb_open,
};
