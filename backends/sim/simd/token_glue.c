/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec-simd's attestation service: realm tokens signed with the simulated
 * platform's keys (core/token), carrying what the CSM state machine knows
 * about the realm's relations.
 */
#include <stdlib.h>
#include <string.h>

#include <token/token.h>

#include "token_glue.h"

int simd_token_init(struct simd *d, const char *platform_key_path,
		    const char *rak_path)
{
	return token_signer_create(&d->signer, platform_key_path, rak_path);
}

void simd_token_fini(struct simd *d)
{
	token_signer_destroy(d->signer);
	d->signer = NULL;
}

/*
 * The realm's CSM relations, as the state machine reports them.  A token
 * with a silently truncated list would let a verifier believe a realm
 * grants less than it does, so more than cap relations is an error.
 */
static int collect_relations(struct simd *d, struct simd_client *c,
			     struct token_relation *rel, size_t cap)
{
	size_t n = 0;
	struct csm_relation r;

	for (uint64_t i = 0; csm_relations(d->csm, c->realm_id, i, &r) == 0; i++) {
		if (n == cap)
			return CAEC_E_RANGE;
		struct token_relation *t = &rel[n++];
		memset(t, 0, sizeof(*t));
		t->region_id = r.region_id;
		t->grant_id = r.grant_id;
		t->peer_realm_id = r.peer_id;
		t->perm = r.perm;
		t->role = r.provider ? CAEC_TOKEN_ROLE_PROVIDER : CAEC_TOKEN_ROLE_CONSUMER;
		t->sealed = r.sealed;
		if (r.sealed && r.hash_len <= sizeof(t->hash)) {
			t->hash_len = r.hash_len;
			memcpy(t->hash, r.hash, r.hash_len);
		}
	}
	return (int)n;
}

int simd_token_for(struct simd *d, struct simd_client *c,
		   const uint8_t challenge[64], unsigned char *out, size_t cap,
		   size_t *len)
{
	static struct token_relation rel[CAEC_TOKEN_MAX_RELATIONS];
	struct token_realm_claims cl;
	uint8_t *tok = NULL;
	size_t tok_len = 0;

	if (!d->signer)
		return CAEC_E_NOTSUP;
	memset(&cl, 0, sizeof(cl));
	cl.realm_id = c->realm_id;
	cl.rim_len = sizeof(c->rim);
	memcpy(cl.rim, c->rim, sizeof(c->rim));
	/* REMs start at zero: the simulated realm never extends them. */
	cl.rem_len = cl.rim_len;
	if (c->has_rpv)
		memcpy(cl.rpv, c->rpv, sizeof(cl.rpv));
	cl.hash_algo = "sha-256";
	int nrel = collect_relations(d, c, rel, CAEC_TOKEN_MAX_RELATIONS);
	if (nrel < 0)
		return nrel;
	cl.n_relations = (size_t)nrel;
	cl.relations = rel;
	int rc = token_issue(d->signer, &cl, challenge, &tok, &tok_len);
	if (rc < 0)
		return rc;
	if (tok_len > cap) {
		free(tok);
		return CAEC_E_MSGSIZE;
	}
	memcpy(out, tok, tok_len);
	*len = tok_len;
	free(tok);
	return 0;
}

int simd_platform_key(struct simd *d, unsigned char *out, size_t cap,
		      size_t *len)
{
	if (!d->signer)
		return CAEC_E_NOTSUP;
	int n = token_signer_platform_pubkey(d->signer, (char *)out, cap);
	if (n < 0)
		return n;
	*len = (size_t)n;
	return 0;
}
