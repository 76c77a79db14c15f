/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libcaec attestation API (caec/attest.h), the calls that need a context:
 * fetch tokens and the platform key through the backend, and
 * caec_verify_peer().  Parsing and verification against a policy are in
 * verify.c.
 */
#include "internal.h"

#include <string.h>

#include <caec/attest.h>
#include <token/token.h>

int caec_attest_token(struct caec_ctx *ctx, const uint8_t *challenge,
		      uint8_t *buf, size_t cap)
{
	if (!ctx || !challenge || !buf)
		return CAEC_E_INVAL;
	if (!ctx->ops->attest_token)
		return CAEC_E_NOTSUP;
	int rc = ctx->ops->attest_token(ctx->priv, challenge, buf, cap);
	if (rc < 0)
		return rc;
	if (rc == 0 || (size_t)rc > cap)
		return CAEC_E_PROTO;
	return rc;
}

int caec_platform_key(struct caec_ctx *ctx, uint8_t *buf, size_t cap)
{
	if (!ctx || !buf)
		return CAEC_E_INVAL;
	if (!ctx->ops->platform_key)
		return CAEC_E_NOTSUP;
	int rc = ctx->ops->platform_key(ctx->priv, buf, cap);
	if (rc < 0)
		return rc;
	if (rc == 0 || (size_t)rc > cap)
		return CAEC_E_PROTO;
	return rc;
}

int caec_verify_peer(struct caec_ctx *ctx, uint64_t peer_id,
		     const uint8_t *challenge, const uint8_t *token, size_t len,
		     const struct caec_verify_policy *policy,
		     struct caec_token_claims *out)
{
	struct caec_verify_policy p = { .size = sizeof(p) };
	struct caec_platform_key_ref key;
	uint8_t pem[2048];
	int rc;

	if (!ctx || !challenge || !token)
		return CAEC_E_INVAL;
	if (policy) {
		if (policy->size < sizeof(*policy))
			return CAEC_E_INVAL;
		p = *policy;
	}
	p.challenge = challenge;
	p.flags &= ~CAEC_VERIFY_F_ANY_CHALLENGE;
	p.flags |= CAEC_VERIFY_F_REALM_ID;
	p.realm_id = peer_id;
	if (p.n_rims == 0)
		p.flags |= CAEC_VERIFY_F_ANY_RIM;
	if (p.grant_id && p.grant_peer_id == 0)
		p.grant_peer_id = ctx->self_id;
	if (p.n_platform_keys == 0) {
		rc = caec_platform_key(ctx, pem, sizeof(pem));
		if (rc < 0)
			return rc;
		key.data = pem;
		key.len = (size_t)rc;
		p.platform_keys = &key;
		p.n_platform_keys = 1;
	}
	return caec_token_verify(token, len, &p, out);
}
