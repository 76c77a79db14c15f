/*
 * Realm attestation in the RMM (runtime/rsi/attest.c, lib/attest) on the
 * fake host, with a fake EL3 that signs platform tokens: tokens a realm
 * fetches with RSI_ATTESTATION_TOKEN_INIT/CONTINUE pass libcaec's
 * verifier (caec_token_verify, the code applications and realm payloads
 * run) with the realm's RIM, REMs, RPV, realm ID and CSM relations;
 * claims are taken at INIT; an interrupt pending before the signature
 * and an unmapped buffer are exits the realm survives; two RECs keep
 * their own tokens; EL3 is asked once per boot; more than 64 relations
 * end in a summary entry; any single flipped byte is refused.
 */
#include "csm_world.h"

#include <caec/attest.h>
#include <lockdep.h>
#include <rmm_csm.h>
#include <sha256.h>
#include <string.h>

#define BUF_IPA		(TEST_IPA_BASE + 3UL * G)	/* a private page of each realm */
#define TOKEN_CAP	16384U

static struct w_realm P, C;
static uint8_t der[256];
static size_t der_len;

static int setup(void **state)
{
	rmm_test_setup(state);
	w_world_reset();
	w_realm_make(&P, 1);
	w_realm_make(&C, 2);
	der_len = fake_el3_platform_key(der, sizeof(der));
	assert_int_equal(120, der_len);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(0, lockdep_held());
	assert_false(fake_in_crypto());
	return 0;
}

static void challenge_of(unsigned int salt, uint8_t c[CAEC_CHALLENGE_SIZE])
{
	unsigned int i;

	for (i = 0; i < CAEC_CHALLENGE_SIZE; i++) {
		c[i] = (uint8_t)(salt * 31U + i);
	}
}

static unsigned long init(struct w_realm *r, const uint8_t challenge[CAEC_CHALLENGE_SIZE])
{
	unsigned long a[10] = { 0 };
	struct w_call c;

	memcpy(a, challenge, CAEC_CHALLENGE_SIZE);	/* x1..x8, little endian */
	w_rsi10(r, SMC_RSI_ATTEST_TOKEN_INIT, a, &c);
	assert_true(c.returned);
	assert_int_equal(RSI_SUCCESS, c.x[0]);
	return c.x[1];
}

/* One CONTINUE into BUF_IPA + offset; the bytes are appended to out. */
static unsigned long cont(struct w_realm *r, unsigned long offset, unsigned long size,
			  uint8_t *out, size_t *len, struct w_call *c)
{
	w_rsi(r, SMC_RSI_ATTEST_TOKEN_CONTINUE, BUF_IPA, offset, size, 0, c);
	if (c->returned && (c->x[0] == RSI_SUCCESS || c->x[0] == RSI_INCOMPLETE)) {
		const uint8_t *page = fake_pa_ptr(s2tte_pa(w_entry(r, BUF_IPA)));

		assert_true(*len + c->x[1] <= TOKEN_CAP);
		memcpy(out + *len, page + offset, c->x[1]);
		*len += c->x[1];
	}
	return c->returned ? c->x[0] : ~0UL;
}

/* The whole token, a granule per call. */
static size_t get_token(struct w_realm *r, unsigned int salt, uint8_t *out)
{
	uint8_t challenge[CAEC_CHALLENGE_SIZE];
	unsigned long size, st;
	struct w_call c;
	size_t len = 0;

	challenge_of(salt, challenge);
	size = init(r, challenge);
	do {
		st = cont(r, 0, G, out, &len, &c);
	} while (st == RSI_INCOMPLETE);
	assert_int_equal(RSI_SUCCESS, st);
	assert_int_equal(size, len);
	return len;
}

/* libcaec's verifier with this realm's RIM, ID and the salt's challenge. */
static int verify(const struct w_realm *r, unsigned int salt, const uint8_t *tok, size_t len,
		  uint64_t grant, uint64_t peer, struct caec_token_claims *claims)
{
	const struct rd *rd = fake_pa_ptr(r->t.rd);
	struct caec_platform_key_ref key = { der, der_len };
	struct caec_rim_ref rim = { .len = 32 };
	struct caec_verify_policy pol;
	uint8_t challenge[CAEC_CHALLENGE_SIZE];

	challenge_of(salt, challenge);
	memcpy(rim.value, rd->rim, 32);
	memset(&pol, 0, sizeof(pol));
	pol.size = sizeof(pol);
	pol.flags = CAEC_VERIFY_F_REALM_ID;
	pol.platform_keys = &key;
	pol.n_platform_keys = 1;
	pol.rims = &rim;
	pol.n_rims = 1;
	pol.challenge = challenge;
	pol.rpv = rd->rpv;
	pol.realm_id = r->id;
	pol.grant_id = grant;
	pol.grant_peer_id = peer;
	claims->size = sizeof(*claims);
	return caec_token_verify(tok, len, &pol, claims);
}

/*
 * Proves a realm's token verifies (signatures, binding, challenge, RIM,
 * RPV, realm ID), and a wrong challenge or realm ID is refused.
 */
static void test_token_verifies(void **state)
{
	static uint8_t tok[TOKEN_CAP];
	static struct caec_token_claims cl;
	size_t len;

	(void)state;
	len = get_token(&P, 1, tok);
	assert_caec_err(verify(&P, 1, tok, len, 0, 0, &cl), CAEC_OK);
	assert_int_equal(0, cl.n_relations);
	assert_caec_err(verify(&P, 2, tok, len, 0, 0, &cl), CAEC_E_CHALLENGE);
	/* The same image (same RIM), another realm: its ID does not match. */
	assert_caec_err(verify(&C, 1, tok, len, 0, 0, &cl), CAEC_E_REALM_ID);
	len = get_token(&C, 2, tok);
	assert_caec_err(verify(&C, 2, tok, len, 0, 0, &cl), CAEC_OK);
}

/* Proves EL3 serves the key and the platform token once per boot. */
static void test_el3_once(void **state)
{
	static uint8_t tok[TOKEN_CAP];
	unsigned long before = fake_el3_calls();

	(void)state;
	(void)get_token(&P, 1, tok);
	(void)get_token(&C, 2, tok);
	(void)get_token(&P, 3, tok);
	assert_int_equal(before + 2, fake_el3_calls());
}

/*
 * Proves the CSM relations claim: after a share, a grant and an attach,
 * the provider's token lists the grant with the consumer as peer, the
 * consumer's lists it with the provider; a policy naming another peer is
 * DENIED.
 */
static void test_token_relations(void **state)
{
	static uint8_t tok[TOKEN_CAP];
	static struct caec_token_claims cl;
	uint64_t region, grant;
	struct w_call c;
	size_t len;

	(void)state;
	assert_int_equal(RSI_SUCCESS, w_rsi_helped(&P, SMC_RSI_CSM_SHARE, W_CSM_BASE, 4 * G, 0, 0,
						   &c));
	region = c.x[1];
	assert_int_equal(RSI_SUCCESS, w_rsi_helped(&P, SMC_RSI_CSM_GRANT, region, C.id,
						   CAEC_PERM_RO, 0, &c));
	grant = c.x[1];
	assert_int_equal(RSI_SUCCESS, w_rsi_helped(&C, SMC_RSI_CSM_RESERVE, grant, W_RSV_BASE,
						   4 * G, 0, &c));
	assert_int_equal(RSI_SUCCESS, w_rsi_helped(&C, SMC_RSI_CSM_ATTACH, grant, 0, 0, 0, &c));

	len = get_token(&P, 5, tok);
	assert_caec_err(verify(&P, 5, tok, len, grant, C.id, &cl), CAEC_OK);
	assert_int_equal(1, cl.n_relations);
	assert_int_equal(region, cl.relations[0].region_id);
	assert_int_equal(CAEC_TOKEN_ROLE_PROVIDER, cl.relations[0].role);
	assert_int_equal(CAEC_PERM_RO, cl.relations[0].perm);
	assert_caec_err(verify(&P, 5, tok, len, grant, P.id, &cl), CAEC_E_DENIED);

	len = get_token(&C, 6, tok);
	assert_caec_err(verify(&C, 6, tok, len, grant, P.id, &cl), CAEC_OK);
	assert_int_equal(CAEC_TOKEN_ROLE_CONSUMER, cl.relations[0].role);
}

/*
 * Proves a realm with more relations than a token holds still gets one,
 * as on caec-simd: 66 shared regions give the first 63 in creation order
 * and a summary entry (region 0, grant = 3 left out, role consumer).
 */
static void test_token_relations_summary(void **state)
{
	static uint8_t tok[TOKEN_CAP];
	static struct caec_token_claims cl;
	uint64_t region[66];
	struct w_call c;
	unsigned int i;
	size_t len;

	(void)state;
	for (i = 0; i < 66U; i++) {
		assert_int_equal(RSI_SUCCESS, w_rsi_helped(&P, SMC_RSI_CSM_SHARE,
							   W_CSM_BASE + i * G, G, 0, 0, &c));
		region[i] = c.x[1];
	}
	len = get_token(&P, 13, tok);
	assert_caec_err(verify(&P, 13, tok, len, 0, 0, &cl), CAEC_OK);
	assert_int_equal(CAEC_TOKEN_MAX_RELATIONS, cl.n_relations);
	for (i = 0; i < CAEC_TOKEN_MAX_RELATIONS - 1U; i++) {
		assert_int_equal(region[i], cl.relations[i].region_id);
		assert_int_equal(CAEC_TOKEN_ROLE_PROVIDER, cl.relations[i].role);
		assert_int_equal(0, cl.relations[i].grant_id);
	}
	assert_int_equal(CAEC_TOKEN_REL_SUMMARY, cl.relations[i].region_id);
	assert_int_equal(3, cl.relations[i].grant_id);
	assert_int_equal(0, cl.relations[i].peer_id);
	assert_int_equal(CAEC_TOKEN_ROLE_CONSUMER, cl.relations[i].role);
}

/*
 * Proves the claims are taken at INIT: a REM extended between INIT and
 * CONTINUE is not in that token, but in the next one; the REMs in the
 * token are MEASUREMENT_EXTEND's.
 */
static void test_claims_at_init(void **state)
{
	static uint8_t tok[TOKEN_CAP];
	static struct caec_token_claims cl;
	uint8_t challenge[CAEC_CHALLENGE_SIZE], rem[32];
	unsigned long a[10] = { 3, 8, 0x1122334455667788UL };
	struct sha256_ctx h;
	struct w_call c;
	size_t len = 0;

	(void)state;
	challenge_of(7, challenge);
	(void)init(&P, challenge);
	w_rsi10(&P, SMC_RSI_MEASUREMENT_EXTEND, a, &c);
	assert_int_equal(RSI_SUCCESS, c.x[0]);
	while (cont(&P, 0, G, tok, &len, &c) == RSI_INCOMPLETE) {
	}
	assert_caec_err(verify(&P, 7, tok, len, 0, 0, &cl), CAEC_OK);
	memset(rem, 0, sizeof(rem));
	assert_memory_equal(rem, cl.rem[2], 32);	/* REM 3 before the extension */

	len = get_token(&P, 8, tok);
	assert_caec_err(verify(&P, 8, tok, len, 0, 0, &cl), CAEC_OK);
	sha256_init(&h);
	sha256_update(&h, rem, 32);
	sha256_update(&h, &a[2], 8);
	sha256_final(&h, rem);
	assert_memory_equal(rem, cl.rem[2], 32);
	memset(rem, 0, sizeof(rem));
	assert_memory_equal(rem, cl.rem[0], 32);
}

/*
 * Proves the restartable protocol: an interrupt pending before the
 * signature is an IRQ exit with RSI_INCOMPLETE and no byte; a buffer the
 * host has not mapped is a stage-2 abort exit and the call runs again
 * when the REC re-enters; RIPAS EMPTY and CSM pages are ERROR_INPUT;
 * pieces at any offset and size put together give the token.
 */
static void test_restartable(void **state)
{
	static uint8_t tok[TOKEN_CAP];
	static struct caec_token_claims cl;
	uint8_t challenge[CAEC_CHALLENGE_SIZE];
	unsigned long size;
	struct w_call c;
	size_t len = 0;

	(void)state;
	challenge_of(9, challenge);
	size = init(&P, challenge);
	fake_irq_pending(1);
	w_rsi(&P, SMC_RSI_ATTEST_TOKEN_CONTINUE, BUF_IPA, 0, G, 0, &c);
	assert_false(c.returned);
	assert_int_equal(RMI_EXIT_IRQ, c.exit.exit_reason);
	assert_int_equal(RSI_INCOMPLETE, c.x[0]);
	assert_int_equal(0, c.x[1]);
	assert_int_equal(0, ((struct rec *)fake_pa_ptr(P.rec))->attest.is_signed);
	/* RIPAS EMPTY (a reserved range) and a page of RAM the host never populated */
	w_rsi(&P, SMC_RSI_ATTEST_TOKEN_CONTINUE, W_RSV_BASE, 0, G, 0, &c);
	assert_int_equal(RSI_ERROR_INPUT, c.x[0]);
	w_rsi(&P, SMC_RSI_ATTEST_TOKEN_CONTINUE, W_CSM_BASE, 0, G, 0, &c);
	assert_false(c.returned);
	assert_int_equal(RMI_EXIT_SYNC, c.exit.exit_reason);
	assert_int_equal((W_CSM_BASE >> 12) << 4, c.exit.hpfar);
	assert_int_equal(SMC_RSI_ATTEST_TOKEN_CONTINUE, c.x[0]);	/* to be re-issued */
	/* Pieces of 333 bytes at offset 1000, then the rest a granule at a time. */
	assert_int_equal(RSI_INCOMPLETE, cont(&P, 1000, 333, tok, &len, &c));
	assert_int_equal(333, len);
	while (cont(&P, 0, G, tok, &len, &c) == RSI_INCOMPLETE) {
	}
	assert_int_equal(RSI_SUCCESS, c.x[0]);
	assert_int_equal(size, len);
	assert_caec_err(verify(&P, 9, tok, len, 0, 0, &cl), CAEC_OK);
}

/* A second REC: two realms' tokens interleaved stay apart (aux granules). */
static void test_interleaved(void **state)
{
	static uint8_t tp[TOKEN_CAP], tc[TOKEN_CAP];
	static struct caec_token_claims cl;
	uint8_t chp[CAEC_CHALLENGE_SIZE], chc[CAEC_CHALLENGE_SIZE];
	size_t lp = 0, lc = 0;
	struct w_call c;
	unsigned long sp, sc;

	(void)state;
	challenge_of(10, chp);
	challenge_of(11, chc);
	(void)init(&P, chp);
	(void)init(&C, chc);
	sp = sc = RSI_INCOMPLETE;
	while (sp == RSI_INCOMPLETE || sc == RSI_INCOMPLETE) {
		if (sp == RSI_INCOMPLETE) {
			sp = cont(&P, 0, 500, tp, &lp, &c);
		}
		if (sc == RSI_INCOMPLETE) {
			sc = cont(&C, 0, 700, tc, &lc, &c);
		}
	}
	assert_int_equal(RSI_SUCCESS, sp);
	assert_int_equal(RSI_SUCCESS, sc);
	assert_caec_err(verify(&P, 10, tp, lp, 0, 0, &cl), CAEC_OK);
	assert_caec_err(verify(&C, 11, tc, lc, 0, 0, &cl), CAEC_OK);
}

/* Every tenth byte flipped (xor 0x01): the token is refused, never accepted. */
static void test_tampering(void **state)
{
	static uint8_t tok[TOKEN_CAP];
	static struct caec_token_claims cl;
	size_t len, i, n = 0;

	(void)state;
	len = get_token(&P, 12, tok);
	for (i = 0; i < len; i += 10) {
		tok[i] ^= 0x01;
		assert_int_not_equal(CAEC_OK, verify(&P, 12, tok, len, 0, 0, &cl));
		tok[i] ^= 0x01;
		n++;
	}
	assert_true(n > 100);
	assert_caec_err(verify(&P, 12, tok, len, 0, 0, &cl), CAEC_OK);
}

/* Without RNDR the RMM cannot sign: CONTINUE says RSI_ERROR_UNKNOWN. */
static void test_no_entropy(void **state)
{
	uint8_t challenge[CAEC_CHALLENGE_SIZE];
	struct w_call c;

	(void)state;
	fake_entropy_seed(1, true);
	challenge_of(13, challenge);
	(void)init(&P, challenge);
	w_rsi(&P, SMC_RSI_ATTEST_TOKEN_CONTINUE, BUF_IPA, 0, G, 0, &c);
	assert_int_equal(RSI_ERROR_UNKNOWN, c.x[0]);
	w_rsi(&P, SMC_RSI_ATTEST_TOKEN_CONTINUE, BUF_IPA, 0, G, 0, &c);
	assert_int_equal(RSI_ERROR_STATE, c.x[0]);	/* the operation ended */
	fake_entropy_seed(2, false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_token_verifies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_el3_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_token_relations, setup, teardown),
		cmocka_unit_test_setup_teardown(test_token_relations_summary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_claims_at_init, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restartable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interleaved, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tampering, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_entropy, setup, teardown),
	};

	return cmocka_run_group_tests_name("rmm-attest", tests, NULL, NULL);
}
