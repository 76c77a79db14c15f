/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writes the seed corpus of fuzz_token: genuine tokens from the same
 * deterministic signer the target trusts, with 0, 3 and 64 relations and
 * sha-256 / sha-512 measurements.  Usage: fuzz_token_seed DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <token/token.h>

#define FUZZ_SEED "caec fuzz token"

int main(int argc, char **argv)
{
	static struct token_relation rel[CAEC_TOKEN_MAX_RELATIONS];
	struct token_signer *s;
	struct token_realm_claims c;
	uint8_t ch[CAEC_CHALLENGE_SIZE];
	static const struct { size_t n; const char *algo; size_t dl; } v[] = {
		{ 0, "sha-256", 32 }, { 3, "sha-256", 32 }, { 3, "sha-512", 64 },
		{ CAEC_TOKEN_MAX_RELATIONS, "sha-256", 32 },
	};

	if (argc != 2 || token_signer_create_seeded(&s, (const uint8_t *)FUZZ_SEED,
						    sizeof(FUZZ_SEED) - 1) != 0)
		return 2;
	for (size_t i = 0; i < CAEC_TOKEN_MAX_RELATIONS; i++)
		rel[i] = (struct token_relation){ .region_id = i + 1,
			.grant_id = 100 + i, .peer_realm_id = 0x1000 + i,
			.perm = i % 2 ? CAEC_PERM_RO : CAEC_PERM_RW,
			.role = i % 3 ? CAEC_TOKEN_ROLE_PROVIDER : CAEC_TOKEN_ROLE_CONSUMER,
			.sealed = i % 2, .hash_len = i % 2 ? 32 : 0 };
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		memset(&c, 0, sizeof(c));
		c.realm_id = 0x1234567890abcdefULL + i;
		c.rim_len = c.rem_len = (uint32_t)v[i].dl;
		memset(c.rim, 0xa5, sizeof(c.rim));
		memset(c.rpv, 0x5a, sizeof(c.rpv));
		c.hash_algo = v[i].algo;
		c.n_relations = v[i].n;
		c.relations = rel;
		memset(ch, (int)i, sizeof(ch));
		uint8_t *tok;
		size_t len;
		if (token_issue(s, &c, ch, &tok, &len) != 0)
			return 1;
		char path[4096];
		snprintf(path, sizeof(path), "%s/seed-%zu.cbor", argv[1], i);
		FILE *f = fopen(path, "wb");
		if (!f || fwrite(tok, 1, len, f) != len || fclose(f) != 0)
			return 1;
		free(tok);
	}
	token_signer_destroy(s);
	return 0;
}
