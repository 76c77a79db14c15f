/*
 * lib/attest on its own, with the fake host's EL3 (plat/native): nothing
 * is encoded or signed before EL3 handed over its key and token; EL3 is
 * asked once, and a refusal is remembered until a reset; the realm token
 * it encodes and signs decodes to the claims given, its signatures verify
 * against EL3's platform key and its binding holds; a flipped signature
 * byte is refused and a small buffer is an error, not an overflow.  The
 * RSI calls that use it are tested in runtime/tests (rmm-attest).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "caec_test.h"

#include <attest.h>
#include <caec/attest.h>
#include <fake_host.h>
#include <string.h>

#define CAP	ATTEST_TOKEN_MAX

static uint8_t buf[CAP + 64];
static uint8_t der[256];
static size_t der_len;

static int setup(void **state)
{
	(void)state;
	fake_host_reset();
	return 0;
}

static void claims_of(struct token_realm_claims *c, uint8_t challenge[CAEC_CHALLENGE_SIZE])
{
	unsigned int i;

	memset(c, 0, sizeof(*c));
	c->realm_id = 0x1234567890ULL;
	c->rim_len = 32;
	c->rem_len = 32;
	for (i = 0; i < 32; i++) {
		c->rim[i] = (uint8_t)(0xA0 + i);
		c->rems[2][i] = (uint8_t)i;
	}
	c->rpv[0] = 0xC0;
	c->rpv[63] = 0xDE;
	c->hash_algo = "sha-256";
	for (i = 0; i < CAEC_CHALLENGE_SIZE; i++) {
		challenge[i] = (uint8_t)(3 * i + 1);
	}
}

static void test_nothing_before_ready(void **state)
{
	struct token_realm_claims c;
	struct token_sign1_layout l;
	uint8_t challenge[CAEC_CHALLENGE_SIZE];
	size_t len = 0;
	unsigned long calls = fake_el3_calls();

	(void)state;
	claims_of(&c, challenge);
	memset(&l, 0, sizeof(l));
	assert_caec_err(attest_token_encode(&c, challenge, buf, CAP, &len, &l), CAEC_E_PLATFORM);
	assert_caec_err(attest_token_sign(buf, &l), CAEC_E_PLATFORM);
	assert_int_equal(calls, fake_el3_calls());
}

static void test_el3_asked_once(void **state)
{
	unsigned long calls;

	(void)state;
	calls = fake_el3_calls();
	assert_true(attest_ready());
	assert_true(fake_el3_calls() > calls);
	calls = fake_el3_calls();
	assert_true(attest_ready());
	assert_true(attest_ready());
	assert_int_equal(calls, fake_el3_calls());
	assert_false(fake_in_crypto());
}

static void test_refusal_remembered(void **state)
{
	unsigned long calls;

	(void)state;
	fake_el3_fail(true);
	assert_false(attest_ready());
	calls = fake_el3_calls();
	fake_el3_fail(false);
	/* Not asked again: the RMM keeps answering with an error. */
	assert_false(attest_ready());
	assert_int_equal(calls, fake_el3_calls());
	assert_false(fake_in_crypto());
	attest_reset();
	assert_true(attest_ready());
}

/* Encode and sign: 0 and the whole collection's length in *len. */
static size_t make_token(const struct token_realm_claims *c,
			 const uint8_t challenge[CAEC_CHALLENGE_SIZE])
{
	struct token_sign1_layout l;
	size_t len = 0;

	assert_true(attest_ready());
	memset(buf, 0xEE, sizeof(buf));
	assert_caec_ok(attest_token_encode(c, challenge, buf, CAP, &len, &l));
	assert_true(len > 0 && len <= CAP);
	assert_true(l.sig_off + TOKEN_ES384_SIG_SIZE <= len);
	assert_caec_ok(attest_token_sign(buf, &l));
	assert_false(fake_in_crypto());
	return len;
}

static void test_token_verifies(void **state)
{
	struct token_realm_claims c;
	struct token_view v;
	static struct caec_token_claims out;
	struct caec_platform_key_ref key;
	uint8_t challenge[CAEC_CHALLENGE_SIZE];
	size_t len;

	(void)state;
	claims_of(&c, challenge);
	len = make_token(&c, challenge);
	der_len = fake_el3_platform_key(der, sizeof(der));
	assert_true(der_len > 0);
	key.data = der;
	key.len = der_len;

	memset(&out, 0, sizeof(out));
	out.size = sizeof(out);
	assert_caec_ok(token_decode(buf, len, &v, &out));
	assert_int_equal(c.realm_id, out.realm_id);
	assert_memory_equal(challenge, out.challenge, CAEC_CHALLENGE_SIZE);
	assert_int_equal(32, out.rim_len);
	assert_memory_equal(c.rim, out.rim, 32);
	assert_memory_equal(c.rems[2], out.rem[2], 32);
	assert_memory_equal(c.rpv, out.rpv, CAEC_RPV_SIZE);
	assert_string_equal("sha-256", out.hash_algo);
	assert_caec_ok(token_verify_signatures(&v, &out, &key, 1));

	/* The realm signature covers it: one flipped byte is refused. */
	buf[len - 10] ^= 0x01;
	assert_caec_ok(token_decode(buf, len, &v, &out));
	assert_caec_err(token_verify_signatures(&v, &out, &key, 1), CAEC_E_SIGNATURE);
}

static void test_small_buffer(void **state)
{
	struct token_realm_claims c;
	struct token_sign1_layout l;
	uint8_t challenge[CAEC_CHALLENGE_SIZE];
	size_t len = 0, need, i;

	(void)state;
	claims_of(&c, challenge);
	need = make_token(&c, challenge);
	memset(buf, 0xEE, sizeof(buf));
	assert_true(attest_token_encode(&c, challenge, buf, need - 1, &len, &l) < 0);
	for (i = need - 1; i < sizeof(buf); i++) {
		assert_int_equal(0xEE, buf[i]);
	}
	assert_true(attest_token_encode(&c, challenge, buf, 16, &len, &l) < 0);
	assert_caec_ok(attest_token_encode(&c, challenge, buf, need, &len, &l));
	assert_int_equal(need, len);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_nothing_before_ready, setup),
		cmocka_unit_test_setup(test_el3_asked_once, setup),
		cmocka_unit_test_setup(test_refusal_remembered, setup),
		cmocka_unit_test_setup(test_token_verifies, setup),
		cmocka_unit_test_setup(test_small_buffer, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
