/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Attestation through a real caec-simd: two realms (two contexts) fetch
 * tokens with caec_attest_token() and verify each other with
 * caec_verify_peer(), including the CSM relations claim after a grant and
 * a seal.  Exits 77 if the daemon was built without attestation.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <caec/attest.h>
#include <caec/caec.h>

#include "caec_test.h"
#include "simd_fixture.h"

struct fix {
	struct caec_test_simd simd;
	struct caec_ctx *a, *b;
	uint64_t id_a, id_b;
};

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	if (!f || caec_test_start_simd(&f->simd, NULL) != 0)
		return -1;
	if (caec_open(&f->a, NULL) || caec_open(&f->b, NULL))
		return -1;
	if (caec_self_id(f->a, &f->id_a) || caec_self_id(f->b, &f->id_b))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	caec_close(f->a);
	caec_close(f->b);
	int rc = caec_test_stop_simd(&f->simd);
	free(f);
	return rc == 0 ? 0 : -1;
}

static void challenge_for(uint8_t ch[CAEC_CHALLENGE_SIZE], uint8_t seed)
{
	for (unsigned i = 0; i < CAEC_CHALLENGE_SIZE; i++)
		ch[i] = (uint8_t)(seed * 31 + i);
}

/* Proves: a realm's token from the daemon verifies for the verifier's
 * challenge and the realm's own ID, under the platform key the daemon
 * publishes; the wrong peer ID or challenge is refused with its error. */
static void test_attest_sim_verify_peer(void **state)
{
	struct fix *f = *state;
	uint8_t ch[CAEC_CHALLENGE_SIZE], tok[CAEC_TOKEN_MAX_SIZE];
	static struct caec_token_claims c;

	challenge_for(ch, 1);
	int n = caec_attest_token(f->a, ch, tok, sizeof(tok));
	if (n == CAEC_E_NOTSUP)
		skip();
	assert_caec_ok(n);
	c.size = sizeof(c);
	assert_caec_ok(caec_verify_peer(f->b, f->id_a, ch, tok, (size_t)n, NULL, &c));
	assert_true(c.realm_id == f->id_a);
	assert_memory_equal(c.challenge, ch, sizeof(ch));
	assert_int_equal(c.rim_len, 32);

	assert_caec_err(caec_verify_peer(f->b, f->id_b, ch, tok, (size_t)n, NULL, NULL),
			CAEC_E_REALM_ID);
	uint8_t other[CAEC_CHALLENGE_SIZE];
	challenge_for(other, 2);
	assert_caec_err(caec_verify_peer(f->b, f->id_a, other, tok, (size_t)n, NULL, NULL),
			CAEC_E_CHALLENGE);

	/* Pinning the RIM: the realm's own measurement is accepted, another
	 * is not. */
	struct caec_rim_ref rim = { .len = c.rim_len };
	memcpy(rim.value, c.rim, c.rim_len);
	struct caec_verify_policy p = { .size = sizeof(p), .rims = &rim, .n_rims = 1 };
	assert_caec_ok(caec_verify_peer(f->b, f->id_a, ch, tok, (size_t)n, &p, NULL));
	rim.value[0] ^= 1;
	assert_caec_err(caec_verify_peer(f->b, f->id_a, ch, tok, (size_t)n, &p, NULL),
			CAEC_E_RIM);

	/* Tokens are fresh: a second request signs a new realm token. */
	uint8_t tok2[CAEC_TOKEN_MAX_SIZE];
	int n2 = caec_attest_token(f->a, ch, tok2, sizeof(tok2));
	assert_caec_ok(n2);
	assert_caec_ok(caec_verify_peer(f->b, f->id_a, ch, tok2, (size_t)n2, NULL, NULL));
	/* Too small a buffer is reported, not truncated. */
	assert_caec_err(caec_attest_token(f->a, ch, tok2, 16), CAEC_E_MSGSIZE);
}

/* Proves: the relations claim follows the CSM state: after A grants a
 * region to B, A's token lists the grant with B as peer, B (the consumer)
 * can require it with grant_id, and after sealing, with the content hash. */
static void test_attest_sim_relations_follow_grants(void **state)
{
	struct fix *f = *state;
	uint8_t ch[CAEC_CHALLENGE_SIZE], tok[CAEC_TOKEN_MAX_SIZE];
	static struct caec_token_claims c;
	struct caec_region *r;
	uint64_t grant;

	challenge_for(ch, 3);
	int n = caec_attest_token(f->a, ch, tok, sizeof(tok));
	if (n == CAEC_E_NOTSUP)
		skip();
	assert_caec_ok(n);
	c.size = sizeof(c);
	assert_caec_ok(caec_token_parse(tok, (size_t)n, &c));
	uint32_t before = c.n_relations;

	assert_caec_ok(caec_share(f->a, 2 * CAEC_GRANULE_SIZE, 0, &r));
	memset(caec_region_addr(r), 0x5a, 2 * CAEC_GRANULE_SIZE);
	assert_caec_ok(caec_grant(r, f->id_b, CAEC_PERM_RO, NULL, &grant));

	n = caec_attest_token(f->a, ch, tok, sizeof(tok));
	assert_caec_ok(n);
	struct caec_verify_policy p = { .size = sizeof(p), .grant_id = grant };
	assert_caec_ok(caec_verify_peer(f->b, f->id_a, ch, tok, (size_t)n, &p, &c));
	assert_true(c.n_relations > before);
	bool found = false;
	for (uint32_t i = 0; i < c.n_relations; i++) {
		const struct caec_token_relation *rel = &c.relations[i];
		if (rel->grant_id != grant)
			continue;
		found = true;
		assert_true(rel->peer_id == f->id_b);
		assert_true(rel->region_id == caec_region_region_id(r));
		assert_int_equal(rel->perm, CAEC_PERM_RO);
		assert_int_equal(rel->role, CAEC_TOKEN_ROLE_PROVIDER);
		assert_int_equal(rel->flags & CAEC_GRANT_F_SEALED, 0);
	}
	assert_true(found);
	/* A grant that does not exist, or is granted to someone else. */
	p.grant_id = grant + 1000;
	assert_caec_err(caec_verify_peer(f->b, f->id_a, ch, tok, (size_t)n, &p, NULL),
			CAEC_E_DENIED);
	p.grant_id = grant;
	p.grant_peer_id = f->id_a;
	assert_caec_err(caec_verify_peer(f->b, f->id_a, ch, tok, (size_t)n, &p, NULL),
			CAEC_E_DENIED);

	/* Seal, then require the hash. */
	uint8_t hash[CAEC_HASH_MAX];
	int hl = caec_seal(r, hash, sizeof(hash));
	if (hl == CAEC_E_NOTSUP) {
		assert_caec_ok(caec_unshare(r));
		skip();
	}
	assert_true(hl > 0);
	n = caec_attest_token(f->a, ch, tok, sizeof(tok));
	assert_caec_ok(n);
	p = (struct caec_verify_policy){ .size = sizeof(p), .grant_id = grant,
					 .grant_hash_len = (uint32_t)hl };
	memcpy(p.grant_hash, hash, (size_t)hl);
	assert_caec_ok(caec_verify_peer(f->b, f->id_a, ch, tok, (size_t)n, &p, NULL));
	p.grant_hash[0] ^= 1;
	assert_caec_err(caec_verify_peer(f->b, f->id_a, ch, tok, (size_t)n, &p, NULL),
			CAEC_E_HASH);
	assert_caec_ok(caec_unshare(r));
}

/* Proves: the platform key handed out by the daemon is a PEM public key
 * that verifies the daemon's tokens when given explicitly. */
static void test_attest_sim_platform_key(void **state)
{
	struct fix *f = *state;
	uint8_t pem[2048], ch[CAEC_CHALLENGE_SIZE], tok[CAEC_TOKEN_MAX_SIZE];

	int kl = caec_platform_key(f->b, pem, sizeof(pem));
	if (kl == CAEC_E_NOTSUP)
		skip();
	assert_caec_ok(kl);
	assert_memory_equal(pem, "-----BEGIN PUBLIC KEY-----", 26);
	assert_caec_err(caec_platform_key(f->b, pem, 10), CAEC_E_MSGSIZE);
	challenge_for(ch, 9);
	int n = caec_attest_token(f->a, ch, tok, sizeof(tok));
	assert_caec_ok(n);
	struct caec_platform_key_ref key = { pem, (size_t)kl };
	struct caec_verify_policy p = {
		.size = sizeof(p), .flags = CAEC_VERIFY_F_ANY_RIM | CAEC_VERIFY_F_REALM_ID,
		.platform_keys = &key, .n_platform_keys = 1, .challenge = ch,
		.realm_id = f->id_a,
	};
	assert_caec_ok(caec_token_verify(tok, (size_t)n, &p, NULL));
}

/* The RPV claim of a fresh token of ctx. */
static void token_rpv(struct caec_ctx *ctx, uint8_t rpv[CAEC_RPV_SIZE])
{
	static uint8_t tok[CAEC_TOKEN_MAX_SIZE];
	static struct caec_token_claims c;
	uint8_t ch[CAEC_CHALLENGE_SIZE] = { 7 };
	int n = caec_attest_token(ctx, ch, tok, sizeof(tok));
	assert_caec_ok(n);
	c.size = sizeof(c);
	assert_caec_ok(caec_token_parse(tok, (size_t)n, &c));
	memcpy(rpv, c.rpv, CAEC_RPV_SIZE);
}

/*
 * Proves: the RPV is the host's choice, not the realm's.  A realm's
 * environment (CAEC_SIM_RPV, which once let the realm choose) has no
 * effect: without a matching --rpv rule the RPV is zero; with
 * "--rpv uid:<our uid>=HEX" every realm of this user reports HEX.
 */
static void test_attest_sim_rpv_is_the_hosts(void **state)
{
	(void)state;
	struct caec_test_simd s;
	struct caec_ctx *ctx;
	uint8_t rpv[CAEC_RPV_SIZE], zero[CAEC_RPV_SIZE] = { 0 }, want[CAEC_RPV_SIZE] = { 0 };
	char rule[64];

	setenv("CAEC_SIM_RPV", "0123456789abcdef", 1);
	assert_int_equal(caec_test_start_simd(&s, NULL), 0);
	assert_caec_ok(caec_open(&ctx, NULL));
	token_rpv(ctx, rpv);
	assert_memory_equal(rpv, zero, sizeof(rpv));
	caec_close(ctx);
	assert_int_equal(caec_test_stop_simd(&s), 0);

	snprintf(rule, sizeof(rule), "uid:%u=c0ffee", (unsigned)getuid());
	const char *args[] = { "--rpv", "uid:4294000000=0bad", "--rpv", rule, NULL };
	assert_int_equal(caec_test_start_simd(&s, args), 0);
	assert_caec_ok(caec_open(&ctx, NULL));
	token_rpv(ctx, rpv);
	want[0] = 0xc0;
	want[1] = 0xff;
	want[2] = 0xee;
	assert_memory_equal(rpv, want, sizeof(rpv));
	caec_close(ctx);
	assert_int_equal(caec_test_stop_simd(&s), 0);
	unsetenv("CAEC_SIM_RPV");
}

int main(void)
{
	caec_test_filter();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_attest_sim_verify_peer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attest_sim_relations_follow_grants, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attest_sim_platform_key, setup, teardown),
		cmocka_unit_test(test_attest_sim_rpv_is_the_hosts),
	};
	return cmocka_run_group_tests_name("attest_sim", tests, NULL, NULL);
}
