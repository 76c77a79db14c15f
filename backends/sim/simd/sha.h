/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SHA-256 for caec-simd's measurements and seals: OpenSSL's libcrypto when
 * the build has it (SHA extensions: several times mbedTLS's speed, which
 * bounds how long a seal of a large region takes), else mbedTLS.  Both
 * compute the same digest.
 */
#ifndef CAEC_SIMD_SHA_H
#define CAEC_SIMD_SHA_H

#include <stddef.h>
#include <stdint.h>

struct simd_sha;

/* NULL when out of memory. */
struct simd_sha *simd_sha_new(void);
/* 0 or -1. */
int simd_sha_update(struct simd_sha *s, const void *p, size_t n);
/* 0 or -1; s can be freed afterwards, not updated. */
int simd_sha_final(struct simd_sha *s, uint8_t out[32]);
void simd_sha_free(struct simd_sha *s);

#endif
