/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/token in a realm: its decoder and verifier use libcbor and mbedTLS,
 * which have no build for the realm's C library (picolibc) here, so token
 * parsing and verification report CAEC_E_NOTSUP; src/attest/attest.c is
 * the same code as on Linux around them.  (The RSI backend's own token
 * fetch, caec_attest_token(), reaches the driver: CAEC_E_NOTSUP until the
 * RMM issues tokens.)
 */
#include <caec/error.h>

#include <token/token.h>

int token_decode(const uint8_t *buf, size_t len, struct token_view *v,
		 struct caec_token_claims *out)
{
	(void)buf;
	(void)len;
	(void)v;
	(void)out;
	return CAEC_E_NOTSUP;
}

int token_verify_signatures(const struct token_view *v, const struct caec_token_claims *c,
			    const struct caec_platform_key_ref *keys, size_t n_keys)
{
	(void)v;
	(void)c;
	(void)keys;
	(void)n_keys;
	return CAEC_E_NOTSUP;
}
