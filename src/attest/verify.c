/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libcaec's token verifier (caec/attest.h): caec_token_parse() and
 * caec_token_verify(), the policy checks in the documented order on top of
 * core/token's strict decoder and signature checks.  Pure: no context, no
 * backend, no OS call, so realm payloads on the firmware link this same
 * file (firmware/realm/attest) and verify each other's tokens with it.
 * mbedTLS errors are translated once, in core/token/src/err.c.
 */
#include <string.h>

#include <caec/attest.h>
#include <token/token.h>

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
