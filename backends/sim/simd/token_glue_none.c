/* SPDX-License-Identifier: Apache-2.0 */
/* Built when the token component (core/token) is absent: no attestation. */
#include "token_glue.h"

int simd_token_init(struct simd *d, const char *platform_key_path,
		    const char *rak_path)
{
	(void)d;
	(void)platform_key_path;
	(void)rak_path;
	return 0;
}

void simd_token_fini(struct simd *d)
{
	(void)d;
}

int simd_token_for(struct simd *d, struct simd_client *c,
		   const uint8_t challenge[64], unsigned char *out, size_t cap,
		   size_t *len)
{
	(void)d; (void)c; (void)challenge; (void)out; (void)cap; (void)len;
	return CAEC_E_NOTSUP;
}

int simd_platform_key(struct simd *d, unsigned char *out, size_t cap,
		      size_t *len)
{
	(void)d; (void)out; (void)cap; (void)len;
	return CAEC_E_NOTSUP;
}
