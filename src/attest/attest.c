/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libcaec attestation API (caec/attest.h), the calls that need a context:
 * fetch tokens and the platform key through the backend, prove the
 * platform holds the pinned key, and caec_verify_peer().  Parsing and
 * verification against a policy are in verify.c.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <caec/attest.h>
#include <token/token.h>

int caec_attest_token(struct caec_ctx *ctx, const uint8_t *challenge,
		      uint8_t *buf, size_t cap)
{
	if (!ctx || !challenge || !buf)
		return CAEC_E_INVAL;
	if (caec_priv_forked(ctx))
		return CAEC_E_FORKED;
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
	if (caec_priv_forked(ctx))
		return CAEC_E_FORKED;
	if (!ctx->ops->platform_key)
		return CAEC_E_NOTSUP;
	int rc = ctx->ops->platform_key(ctx->priv, buf, cap);
	if (rc < 0)
		return rc;
	if (rc == 0 || (size_t)rc > cap)
		return CAEC_E_PROTO;
	return rc;
}

int caec_priv_prove_platform(struct caec_ctx *ctx)
{
	struct caec_verify_policy p = { .size = sizeof(p) };
	struct caec_platform_key_ref key = { ctx->pinned_key, ctx->pinned_key_len };
	uint8_t ch[CAEC_CHALLENGE_SIZE];

	if (getrandom(ch, sizeof(ch), 0) != (ssize_t)sizeof(ch))
		return CAEC_E_PLATFORM;
	uint8_t *tok = malloc(CAEC_TOKEN_MAX_SIZE);
	if (!tok)
		return CAEC_E_NOMEM;
	int n = caec_attest_token(ctx, ch, tok, CAEC_TOKEN_MAX_SIZE);
	if (n < 0) {
		free(tok);
		return n;
	}
	/* Fresh (our challenge), about us (our realm ID), and signed by a
	 * realm key the pinned platform key vouches for: only a platform
	 * holding that key's private half could have produced it. */
	p.flags = CAEC_VERIFY_F_ANY_RIM | CAEC_VERIFY_F_REALM_ID;
	p.platform_keys = &key;
	p.n_platform_keys = 1;
	p.challenge = ch;
	p.realm_id = ctx->self_id;
	int rc = caec_token_verify(tok, (size_t)n, &p, NULL);
	free(tok);
	return rc;
}

/* PSA security lifecycle "secured" (0x3000..0x30ff). */
static bool lifecycle_secured(uint32_t lc)
{
	return (lc & 0xff00u) == 0x3000u;
}

int caec_verify_peer(struct caec_ctx *ctx, uint64_t peer_id,
		     const uint8_t *challenge, const uint8_t *token, size_t len,
		     const struct caec_verify_policy *policy,
		     struct caec_token_claims *out)
{
	struct caec_verify_policy p = { .size = sizeof(p) };
	struct caec_platform_key_ref key;
	uint8_t pem[2048];
	int rc, warn = 0;

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
		if (ctx->pinned_key) {
			key.data = ctx->pinned_key;
			key.len = ctx->pinned_key_len;
		} else {
			/* Nothing pinned: the key comes from the platform we are
			 * verifying against -- say so. */
			rc = caec_platform_key(ctx, pem, sizeof(pem));
			if (rc < 0)
				return rc;
			key.data = pem;
			key.len = (size_t)rc;
			warn |= CAEC_VERIFY_W_UNPINNED;
		}
		p.platform_keys = &key;
		p.n_platform_keys = 1;
	}
	/* The claims are needed for the lifecycle even if the caller does
	 * not want them (about 10 KiB: not on the stack). */
	struct caec_token_claims *c = out;
	if (!c) {
		c = malloc(sizeof(*c));
		if (!c)
			return CAEC_E_NOMEM;
		c->size = sizeof(*c);
	}
	rc = caec_token_verify(token, len, &p, c);
	if (rc == 0 && !lifecycle_secured(c->lifecycle))
		warn |= CAEC_VERIFY_W_DEBUG_PLATFORM;
	if (c != out)
		free(c);
	return rc < 0 ? rc : warn;
}
