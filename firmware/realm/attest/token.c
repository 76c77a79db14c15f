/*
 * Tokens in a realm: this realm's own from its RMM (RSI_ATTESTATION_TOKEN_
 * INIT, then CONTINUE a granule at a time), and a peer's, checked with
 * libcaec's verifier (src/attest/verify.c on core/token, the code
 * applications on x86 run) against a platform key this realm trusts.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <mbedtls/sha256.h>
#include <rt/rsi.h>
#include <token/token.h>

#include "demo.h"

static uint8_t granule[4096] __attribute__((aligned(4096)));
static uint8_t platform_key[256];
static size_t platform_key_len;

int token_get(const uint8_t challenge[CAEC_CHALLENGE_SIZE], uint8_t *tok, size_t *len,
	      uint64_t *sign_ms)
{
	uint64_t r[RT_SMC_REGS] = { SMC_RSI_ATTEST_TOKEN_INIT };
	uint64_t out[8], st, t0;
	size_t got = 0U;
	bool first = true;

	memcpy(&r[1], challenge, CAEC_CHALLENGE_SIZE);	/* x1..x8, little endian */
	rt_smc(r);
	if (r[0] != RSI_SUCCESS || r[1] > TOKEN_CAP) {
		printf("RSI_ATTESTATION_TOKEN_INIT: status %lu, size %lu\n", (unsigned long)r[0],
		       (unsigned long)r[1]);
		return -1;
	}
	do {
		t0 = now();
		st = rt_smc4(SMC_RSI_ATTEST_TOKEN_CONTINUE, (uint64_t)(uintptr_t)granule, 0U,
			     sizeof(granule), 0U, out);
		if (first) {
			/* The first piece includes the RMM's ECDSA P-384 signature. */
			*sign_ms = ms_since(t0);
			first = false;
		}
		if ((st != RSI_SUCCESS && st != RSI_INCOMPLETE) || out[0] > sizeof(granule) ||
		    got + out[0] > TOKEN_CAP) {
			printf("RSI_ATTESTATION_TOKEN_CONTINUE: status %lu\n", (unsigned long)st);
			return -1;
		}
		memcpy(tok + got, granule, out[0]);
		got += out[0];
	} while (st == RSI_INCOMPLETE);
	*len = got;
	return 0;
}

void token_print(const uint8_t *tok, size_t len)
{
	size_t i;

	printf("CAEC-TOKEN-BEGIN\n");
	for (i = 0U; i < len; i += 64U) {
		size_t k;

		for (k = i; k < len && k < i + 64U; k++) {
			printf("%02x", tok[k]);
		}
		printf("\n");
	}
	printf("CAEC-TOKEN-END\n");
}

int trust_anchor(const uint8_t *own, size_t own_len, const uint8_t *der, size_t der_len)
{
	static struct caec_token_claims claims;
	struct token_view v;
	uint8_t kid[32];

	claims.size = sizeof(claims);
	if (token_decode(own, own_len, &v, &claims) != 0 || v.plat.kid == NULL ||
	    v.plat.kid_len != sizeof(kid)) {
		printf("this realm's own token names no platform key\n");
		return -1;
	}
	if (der_len > sizeof(platform_key) || mbedtls_sha256_ret(der, der_len, kid, 0) != 0 ||
	    memcmp(kid, v.plat.kid, sizeof(kid)) != 0) {
		printf("the platform key from the host is not the one that signed this realm's "
		       "platform token: refused\n");
		return -1;
	}
	memcpy(platform_key, der, der_len);
	platform_key_len = der_len;
	return 0;
}

int verify_peer(const uint8_t *tok, size_t len, const uint8_t challenge[CAEC_CHALLENGE_SIZE],
		uint64_t peer_id, const uint8_t *rim, uint64_t grant, uint64_t grant_peer,
		struct caec_token_claims *claims)
{
	struct caec_platform_key_ref key = { platform_key, platform_key_len };
	struct caec_rim_ref want = { .len = 32 };
	struct caec_verify_policy pol;

	memset(&pol, 0, sizeof(pol));
	pol.size = sizeof(pol);
	pol.flags = CAEC_VERIFY_F_REALM_ID | (rim == NULL ? CAEC_VERIFY_F_ANY_RIM : 0U);
	pol.platform_keys = &key;
	pol.n_platform_keys = 1U;
	if (rim != NULL) {
		memcpy(want.value, rim, 32U);
		pol.rims = &want;
		pol.n_rims = 1U;
	}
	pol.challenge = challenge;
	pol.realm_id = peer_id;
	pol.grant_id = grant;
	pol.grant_peer_id = grant_peer;
	claims->size = sizeof(*claims);
	if (platform_key_len == 0U) {
		return CAEC_E_PLATFORM_KEY;
	}
	return caec_token_verify(tok, len, &pol, claims);
}
