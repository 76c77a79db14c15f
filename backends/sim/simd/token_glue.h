/* SPDX-License-Identifier: Apache-2.0 */
/* caec-simd <-> core/token: issuing attestation tokens for realms. */
#ifndef CAEC_SIMD_TOKEN_GLUE_H
#define CAEC_SIMD_TOKEN_GLUE_H

#include <stddef.h>
#include <stdint.h>

#include "simd.h"

/* Create the signer (keys generated, or loaded from the given PEM files,
 * either may be NULL).  0 or a negative caec_err. */
int simd_token_init(struct simd *d, const char *platform_key_path,
		    const char *rak_path);
void simd_token_fini(struct simd *d);
/* The caller's token for a 64-byte challenge, written to out. */
int simd_token_for(struct simd *d, struct simd_client *c,
		   const uint8_t challenge[64], unsigned char *out, size_t cap,
		   size_t *len);
/* The platform public key verifiers should trust. */
int simd_platform_key(struct simd *d, unsigned char *out, size_t cap,
		      size_t *len);

#endif
