/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec-simd's attestation service: realm tokens signed with the simulated
 * platform's keys (core/token), carrying what the CSM state machine knows
 * about the realm's relations.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <token/token.h>

#include "token_glue.h"

/* A key file given on the command line: readable, or say which and why. */
static int key_readable(const char *opt, const char *path)
{
	if (!path)
		return 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "caec-simd: %s %s: cannot read it: %s\n", opt, path,
			strerror(errno));
		return CAEC_E_INVAL;
	}
	close(fd);
	return 0;
}

/* Which of two readable key files core/token refused: try each alone. */
static void name_bad_key(const char *pkey, const char *rak)
{
	const char *opt[2] = { "--platform-key", "--rak" };
	const char *path[2] = { pkey, rak };
	for (int i = 0; i < 2; i++) {
		struct token_signer *t = NULL;
		if (!path[i])
			continue;
		int rc = i == 0 ? token_signer_create(&t, path[i], NULL) :
				  token_signer_create(&t, NULL, path[i]);
		token_signer_destroy(t);
		if (rc == CAEC_E_INVAL)
			fprintf(stderr, "caec-simd: %s %s: not an EC P-384 private key "
				"(PEM or DER)\n", opt[i], path[i]);
	}
}

int simd_token_init(struct simd *d, const char *platform_key_path,
		    const char *rak_path)
{
	int rc = key_readable("--platform-key", platform_key_path);
	if (rc == 0)
		rc = key_readable("--rak", rak_path);
	if (rc < 0)
		return rc;
	rc = token_signer_create(&d->signer, platform_key_path, rak_path);
	if (rc == CAEC_E_INVAL)
		name_bad_key(platform_key_path, rak_path);
	if (rc < 0)
		return rc;
	/* A platform that admits realms it cannot isolate says so in every
	 * token: PSA lifecycle "non-PSA-RoT debug" instead of "secured". */
	if (d->o.allow_insecure)
		rc = token_signer_set_lifecycle(d->signer, TOKEN_LIFECYCLE_DEBUG);
	return rc;
}

void simd_token_fini(struct simd *d)
{
	token_signer_destroy(d->signer);
	d->signer = NULL;
}

static void to_token(const struct csm_relation *r, struct token_relation *t)
{
	memset(t, 0, sizeof(*t));
	t->region_id = r->region_id;
	t->grant_id = r->grant_id;
	t->peer_realm_id = r->peer_id;
	t->perm = r->perm;
	t->role = r->provider ? CAEC_TOKEN_ROLE_PROVIDER : CAEC_TOKEN_ROLE_CONSUMER;
	t->sealed = r->sealed;
	if (r->sealed && r->hash_len <= sizeof(t->hash)) {
		t->hash_len = r->hash_len;
		memcpy(t->hash, r->hash, r->hash_len);
	}
}

/*
 * The realm's CSM relations in the token's order (csm_token_relations(),
 * the RMM's too): regions it provides (with their grants), grants it has
 * attached, then grants made to it that it has not attached (which any
 * realm can make, unasked).  A token always fits: when there are more than
 * cap, the first cap - 1 are listed and the last entry is a summary --
 * region ID 0 (never a real region), grant ID = the number of relations
 * left out -- so a verifier knows the list is incomplete
 * (docs/attestation.md).
 */
static size_t collect_relations(struct simd *d, struct simd_client *c,
				struct token_relation *rel, size_t cap)
{
	static struct csm_relation r[CAEC_TOKEN_MAX_RELATIONS];
	uint64_t omitted = 0;
	int n = cap <= CAEC_TOKEN_MAX_RELATIONS ?
		csm_token_relations(d->csm, c->realm_id, r, cap, &omitted) : -1;

	if (n < 0)
		return 0;
	for (int i = 0; i < n; i++)
		to_token(&r[i], &rel[i]);
	if (omitted) {
		struct token_relation *t = &rel[n++];
		memset(t, 0, sizeof(*t));
		t->region_id = CAEC_TOKEN_REL_SUMMARY;
		t->grant_id = omitted;
		t->role = CAEC_TOKEN_ROLE_CONSUMER;
	}
	return (size_t)n;
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
	/* Chosen by the host (--rpv), never by the realm. */
	memcpy(cl.rpv, c->rpv, sizeof(cl.rpv));
	cl.hash_algo = "sha-256";
	cl.n_relations = collect_relations(d, c, rel, CAEC_TOKEN_MAX_RELATIONS);
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
