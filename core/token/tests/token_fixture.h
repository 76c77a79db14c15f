/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by core/token's and the attestation tests: claims and a
 * challenge for a deterministic signer. */
#ifndef CAEC_CORE_TOKEN_TESTS_TOKEN_FIXTURE_H
#define CAEC_CORE_TOKEN_TESTS_TOKEN_FIXTURE_H

#include <stdint.h>
#include <string.h>

#include <token/token.h>

#define FIX_REALM_ID UINT64_C(0x8c3f5e7a12d49b06)
#define FIX_PEER_A UINT64_C(0x1111222233334444)
#define FIX_PEER_B UINT64_C(0xfedcba9876543210)

/* Fill claims with recognisable values: RIM = 0xA0.., REM i = 0xB0+i..,
 * RPV = 0x50.., and three relations (RW grant, sealed RO grant, consumer). */
static inline void fix_claims(struct token_realm_claims *c,
			      struct token_relation rel[3])
{
	memset(c, 0, sizeof(*c));
	memset(rel, 0, 3 * sizeof(*rel));
	c->realm_id = FIX_REALM_ID;
	c->rim_len = c->rem_len = 32;
	for (unsigned i = 0; i < 32; i++) {
		c->rim[i] = (uint8_t)(0xA0 + i);
		for (unsigned j = 0; j < CAEC_TOKEN_REM_COUNT; j++)
			c->rems[j][i] = (uint8_t)(0xB0 + j * 4 + i);
	}
	for (unsigned i = 0; i < CAEC_RPV_SIZE; i++)
		c->rpv[i] = (uint8_t)(0x50 + i);
	c->hash_algo = "sha-256";
	rel[0] = (struct token_relation){ .region_id = 7, .grant_id = 70,
		.peer_realm_id = FIX_PEER_A, .perm = CAEC_PERM_RW,
		.role = CAEC_TOKEN_ROLE_PROVIDER };
	rel[1] = (struct token_relation){ .region_id = 8, .grant_id = 80,
		.peer_realm_id = FIX_PEER_B, .perm = CAEC_PERM_RO,
		.role = CAEC_TOKEN_ROLE_PROVIDER, .sealed = 1, .hash_len = 32 };
	for (unsigned i = 0; i < 32; i++)
		rel[1].hash[i] = (uint8_t)(0xC0 ^ i);
	rel[2] = (struct token_relation){ .region_id = UINT64_MAX,
		.grant_id = UINT64_C(1) << 40, .peer_realm_id = FIX_PEER_A,
		.perm = CAEC_PERM_RO, .role = CAEC_TOKEN_ROLE_CONSUMER };
	c->n_relations = 3;
	c->relations = rel;
}

static inline void fix_challenge(uint8_t ch[CAEC_CHALLENGE_SIZE], uint8_t base)
{
	for (unsigned i = 0; i < CAEC_CHALLENGE_SIZE; i++)
		ch[i] = (uint8_t)(base + 3 * i);
}

#endif
