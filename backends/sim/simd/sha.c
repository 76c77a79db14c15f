/* SPDX-License-Identifier: Apache-2.0 */
#include "sha.h"

#include <stdlib.h>

#ifdef CAEC_SIMD_OPENSSL
#include <openssl/evp.h>

struct simd_sha {
	EVP_MD_CTX *ctx;
};

struct simd_sha *simd_sha_new(void)
{
	struct simd_sha *s = malloc(sizeof(*s));
	if (!s)
		return NULL;
	s->ctx = EVP_MD_CTX_new();
	if (!s->ctx || EVP_DigestInit_ex(s->ctx, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(s->ctx);
		free(s);
		return NULL;
	}
	return s;
}

int simd_sha_update(struct simd_sha *s, const void *p, size_t n)
{
	return EVP_DigestUpdate(s->ctx, p, n) == 1 ? 0 : -1;
}

int simd_sha_final(struct simd_sha *s, uint8_t out[32])
{
	unsigned int len = 0;
	return EVP_DigestFinal_ex(s->ctx, out, &len) == 1 && len == 32 ? 0 : -1;
}

void simd_sha_free(struct simd_sha *s)
{
	if (!s)
		return;
	EVP_MD_CTX_free(s->ctx);
	free(s);
}
#else
#include <mbedtls/sha256.h>

struct simd_sha {
	mbedtls_sha256_context ctx;
};

struct simd_sha *simd_sha_new(void)
{
	struct simd_sha *s = malloc(sizeof(*s));
	if (!s)
		return NULL;
	mbedtls_sha256_init(&s->ctx);
	if (mbedtls_sha256_starts_ret(&s->ctx, 0) != 0) {
		mbedtls_sha256_free(&s->ctx);
		free(s);
		return NULL;
	}
	return s;
}

int simd_sha_update(struct simd_sha *s, const void *p, size_t n)
{
	return mbedtls_sha256_update_ret(&s->ctx, p, n) == 0 ? 0 : -1;
}

int simd_sha_final(struct simd_sha *s, uint8_t out[32])
{
	return mbedtls_sha256_finish_ret(&s->ctx, out) == 0 ? 0 : -1;
}

void simd_sha_free(struct simd_sha *s)
{
	if (!s)
		return;
	mbedtls_sha256_free(&s->ctx);
	free(s);
}
#endif
