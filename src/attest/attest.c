/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libcaec attestation API (caec/attest.h): fetch tokens through the
 * backend, parse them, and verify them against a policy.  The CBOR/COSE and
 * crypto work is core/token's; mbedTLS and libcbor errors are translated
 * there, once (core/token/src/err.c).
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

int caec_token_parse(const uint8_t *token, size_t len,
		     struct caec_token_claims *out)
{
	if (!token || !out || out->size < sizeof(*out))
		return CAEC_E_INVAL;
	return token_decode(token, len, NULL, out);
}

#define KNOWN_FLAGS (CAEC_VERIFY_F_ANY_CHALLENGE | CAEC_VERIFY_F_ANY_RIM | \
		     CAEC_VERIFY_F_REALM_ID)

static int check_policy(const struct caec_verify_policy *p)
{
	if (p->size < sizeof(*p) || (p->flags & ~KNOWN_FLAGS))
		return CAEC_E_INVAL;
	if (!p->platform_keys || p->n_platform_keys == 0 ||
	    p->n_platform_keys > CAEC_VERIFY_MAX_PLATFORM_KEYS)
		return CAEC_E_INVAL;
	if (p->flags & CAEC_VERIFY_F_ANY_RIM) {
		if (p->n_rims != 0)
			return CAEC_E_INVAL;
	} else {
		if (!p->rims || p->n_rims == 0)
			return CAEC_E_INVAL;
		for (size_t i = 0; i < p->n_rims; i++)
			if (p->rims[i].len == 0 || p->rims[i].len > CAEC_HASH_MAX)
				return CAEC_E_INVAL;
	}
	if (!(p->flags & CAEC_VERIFY_F_ANY_CHALLENGE) && !p->challenge)
		return CAEC_E_INVAL;
	if (p->grant_hash_len > CAEC_HASH_MAX ||
	    (p->grant_hash_len && !p->grant_id))
		return CAEC_E_INVAL;
	return 0;
}

static bool rim_accepted(const struct caec_verify_policy *p,
			 const struct caec_token_claims *c)
{
	if (p->flags & CAEC_VERIFY_F_ANY_RIM)
		return true;
	for (size_t i = 0; i < p->n_rims; i++)
		if (p->rims[i].len == c->rim_len &&
		    memcmp(p->rims[i].value, c->rim, c->rim_len) == 0)
			return true;
	return false;
}

/* The policy's grant must be listed, naming the expected peer. */
static int check_grant(const struct caec_verify_policy *p,
		       const struct caec_token_claims *c)
{
	for (uint32_t i = 0; i < c->n_relations; i++) {
		const struct caec_token_relation *r = &c->relations[i];
		if (r->region_id == CAEC_TOKEN_REL_SUMMARY)
			continue; /* a count, not a grant */
		if (r->grant_id != p->grant_id || r->peer_id != p->grant_peer_id)
			continue;
		if (p->grant_hash_len == 0)
			return 0;
		if (!(r->flags & CAEC_GRANT_F_SEALED) ||
		    r->hash_len != p->grant_hash_len ||
		    memcmp(r->hash, p->grant_hash, r->hash_len) != 0)
			return CAEC_E_HASH;
		return 0;
	}
	return CAEC_E_DENIED;
}

/* Policy checks on authenticated claims, in the documented order. */
static int check_claims(const struct caec_verify_policy *p,
			const struct caec_token_claims *c)
{
	if (!(p->flags & CAEC_VERIFY_F_ANY_CHALLENGE) &&
	    memcmp(c->challenge, p->challenge, CAEC_CHALLENGE_SIZE) != 0)
		return CAEC_E_CHALLENGE;
	if (!rim_accepted(p, c))
		return CAEC_E_RIM;
	if (p->rpv && memcmp(c->rpv, p->rpv, CAEC_RPV_SIZE) != 0)
		return CAEC_E_RPV;
	if ((p->flags & CAEC_VERIFY_F_REALM_ID) && c->realm_id != p->realm_id)
		return CAEC_E_REALM_ID;
	if (p->grant_id)
		return check_grant(p, c);
	return 0;
}

int caec_token_verify(const uint8_t *token, size_t len,
		      const struct caec_verify_policy *policy,
		      struct caec_token_claims *out)
{
	struct caec_token_claims local;
	struct token_view v;
	int rc;

	if (!token || !policy)
		return CAEC_E_INVAL;
	if (out && out->size < sizeof(*out))
		return CAEC_E_INVAL;
	rc = check_policy(policy);
	if (rc)
		return rc;
	struct caec_token_claims *c = out ? out : &local;
	c->size = sizeof(*c);
	rc = token_decode(token, len, &v, c);
	if (!rc)
		rc = token_verify_signatures(&v, c, policy->platform_keys,
					     policy->n_platform_keys);
	if (!rc)
		rc = check_claims(policy, c);
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
