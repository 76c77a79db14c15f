/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Attestation through the RSI backend (backends/rsi), on Linux, against a
 * fake CSM driver: this file replaces the backend's transport (the
 * rsi_tr_* functions of rsi_transport.h), so libcaec's own backend, core
 * and verifier run unchanged while the "driver" answers from core/token's
 * signer.  What the firmware run (fw_libcaec_demo) cannot show:
 *  - caec_platform_key() accepts the driver's key only if it is the key
 *    that signed this realm's own platform token (kid), so a host that
 *    hands over another key -- and forges peer tokens with it -- is
 *    refused with CAEC_E_PLATFORM_KEY, as is a key that is not P-384;
 *  - a driver or machine without the key: CAEC_E_NOTSUP;
 *  - caec_verify_peer() on this backend: CAEC_VERIFY_W_UNPINNED always
 *    (the key is the platform's own word), CAEC_VERIFY_W_DEBUG_PLATFORM
 *    for the firmware's lifecycle "unknown", neither hiding a failure;
 *  - caec_attest_token() into a buffer too small: CAEC_E_MSGSIZE;
 *  - the checked key is fetched once per context.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <mbedtls/pk.h>

#include <caec/abi/driver.h>
#include <caec/attest.h>
#include <caec/caec.h>

#include "caec_test.h"
#include "rsi_transport.h"
#include "token_fixture.h"

#define FAKE_FD 7

/* What the fake driver's PLATFORM_KEY answers. */
enum key_mode { KEY_RIGHT, KEY_OTHER, KEY_GARBAGE, KEY_ENOTTY, KEY_EOPNOTSUPP };

static struct {
	struct token_signer *platform; /* this machine's RMM and monitor */
	struct token_signer *forger;   /* a host's own keys */
	struct token_realm_claims claims;
	struct token_relation rel[3];
	enum key_mode key_mode;
	unsigned attests, key_calls;
} drv;

/* ---- the fake driver: the rsi_tr_* transport --------------------------- */

const char rsi_tr_name[] = "test fake driver";

int rsi_tr_open(const char *path)
{
	(void)path;
	return FAKE_FD;
}

void rsi_tr_close(int fd)
{
	assert_int_equal(fd, FAKE_FD);
}

/* A signer's platform key as DER SubjectPublicKeyInfo. */
static size_t signer_der(struct token_signer *s, uint8_t *out, size_t cap)
{
	char pem[TOKEN_PEM_MAX];
	uint8_t der[512];
	mbedtls_pk_context pk;
	int n = token_signer_platform_pubkey(s, pem, sizeof(pem));
	assert_true(n > 0);
	mbedtls_pk_init(&pk);
	assert_int_equal(mbedtls_pk_parse_public_key(&pk, (const uint8_t *)pem, (size_t)n + 1), 0);
	n = mbedtls_pk_write_pubkey_der(&pk, der, sizeof(der));
	mbedtls_pk_free(&pk);
	assert_true(n > 0 && (size_t)n <= cap);
	memcpy(out, der + sizeof(der) - (size_t)n, (size_t)n); /* written at the end */
	return (size_t)n;
}

static int fake_attest(struct caec_drv_attest *a)
{
	uint8_t *tok;
	size_t len;
	drv.attests++;
	assert_int_equal(token_issue(drv.platform, &drv.claims, a->challenge, &tok, &len), 0);
	a->token_len = (uint32_t)len;
	if (len > a->token_cap) {
		free(tok);
		return -CAEC_DRV_ENOSPC;
	}
	memcpy((void *)(uintptr_t)a->token, tok, len);
	free(tok);
	return 0;
}

static int fake_platform_key(struct caec_drv_platform_key *k)
{
	uint8_t der[512];
	size_t n;
	drv.key_calls++;
	switch (drv.key_mode) {
	case KEY_ENOTTY:
		return -CAEC_DRV_ENOTTY; /* a driver before ABI 1.2 */
	case KEY_EOPNOTSUPP:
		return -CAEC_DRV_EOPNOTSUPP; /* the machine has no key */
	case KEY_GARBAGE:
		memset(der, 0x5a, 120);
		n = 120;
		break;
	case KEY_OTHER:
		n = signer_der(drv.forger, der, sizeof(der));
		break;
	default:
		n = signer_der(drv.platform, der, sizeof(der));
		break;
	}
	k->key_len = (uint32_t)n;
	if (n > k->key_cap)
		return -CAEC_DRV_ENOSPC;
	memcpy((void *)(uintptr_t)k->key, der, n);
	return 0;
}

int rsi_tr_ioctl(int fd, uint32_t cmd, void *arg)
{
	assert_int_equal(fd, FAKE_FD);
	switch (cmd) {
	case CAEC_IOC_VERSION: {
		struct caec_drv_version *v = arg;
		v->abi_major = CAEC_DRV_ABI_MAJOR;
		v->abi_minor = CAEC_DRV_ABI_MINOR;
		v->csm_lowest = v->csm_highest = 0x10000;
		return 0;
	}
	case CAEC_IOC_REALM_ID:
		((struct caec_drv_realm_id *)arg)->realm_id = FIX_REALM_ID;
		return 0;
	case CAEC_IOC_ATTEST:
		return fake_attest(arg);
	case CAEC_IOC_PLATFORM_KEY:
		return fake_platform_key(arg);
	case CAEC_IOC_EVENT:
		return -CAEC_DRV_ETIMEDOUT; /* no event, ever */
	default:
		fail_msg("unexpected ioctl 0x%x", cmd);
		return -CAEC_DRV_ENOTTY;
	}
}

int rsi_tr_mmap(int fd, size_t len, bool rw, uint64_t off, void **addr)
{
	(void)fd, (void)len, (void)rw, (void)off, (void)addr;
	return -CAEC_DRV_EINVAL;
}

int rsi_tr_munmap(void *addr, size_t len)
{
	(void)addr, (void)len;
	return -CAEC_DRV_EINVAL;
}

int rsi_tr_thread_start(void *(*fn)(void *), void *arg, void **handle)
{
	(void)fn, (void)arg, (void)handle;
	return -CAEC_DRV_EOPNOTSUPP; /* the backend polls instead */
}

void rsi_tr_thread_join(void *handle)
{
	(void)handle;
}

/* ---- the tests ------------------------------------------------------------ */

static int setup(void **state)
{
	static const uint8_t seed1[] = "rsi attest: the platform", seed2[] = "rsi attest: a host";
	(void)state;
	memset(&drv, 0, sizeof(drv));
	if (token_signer_create_seeded(&drv.platform, seed1, sizeof(seed1)) != 0 ||
	    token_signer_create_seeded(&drv.forger, seed2, sizeof(seed2)) != 0)
		return -1;
	fix_claims(&drv.claims, drv.rel);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	token_signer_destroy(drv.platform);
	token_signer_destroy(drv.forger);
	return 0;
}

static struct caec_ctx *open_rsi(void)
{
	struct caec_config cfg = { .size = sizeof(cfg), .backend = "rsi" };
	struct caec_ctx *ctx = NULL;
	assert_caec_ok(caec_open(&ctx, &cfg));
	return ctx;
}

/* A peer's token for challenge ch, as the peer's RMM (signer s) makes it. */
static uint8_t *peer_token(struct token_signer *s, uint64_t peer, const uint8_t *ch, size_t *len)
{
	struct token_realm_claims c = drv.claims;
	uint8_t *tok;
	c.realm_id = peer;
	assert_int_equal(token_issue(s, &c, ch, &tok, len), 0);
	return tok;
}

/* Proves: the right key comes back as PEM naming the same key, and a
 * peer's token signed by this platform verifies with exactly
 * CAEC_VERIFY_W_UNPINNED (lifecycle "secured" here). */
static void test_platform_key_checked_and_used(void **state)
{
	(void)state;
	struct caec_ctx *ctx = open_rsi();
	char pem[2048];
	uint8_t kid[TOKEN_KID_SIZE], want[TOKEN_KID_SIZE], ch[CAEC_CHALLENGE_SIZE];
	int n = caec_platform_key(ctx, (uint8_t *)pem, sizeof(pem));
	assert_true(n > 0);
	assert_memory_equal(pem, "-----BEGIN PUBLIC KEY-----", 26);
	assert_caec_ok(token_platform_kid((const uint8_t *)pem, (size_t)n, kid));
	char spem[TOKEN_PEM_MAX];
	int sn = token_signer_platform_pubkey(drv.platform, spem, sizeof(spem));
	assert_caec_ok(token_platform_kid((const uint8_t *)spem, (size_t)sn, want));
	assert_memory_equal(kid, want, sizeof(kid));

	fix_challenge(ch, 0x21);
	size_t len;
	uint8_t *tok = peer_token(drv.platform, FIX_PEER_A, ch, &len);
	assert_int_equal(caec_verify_peer(ctx, FIX_PEER_A, ch, tok, len, NULL, NULL),
			 CAEC_VERIFY_W_UNPINNED);
	/* The same token for another realm ID or challenge: refused. */
	assert_caec_err(caec_verify_peer(ctx, FIX_PEER_B, ch, tok, len, NULL, NULL),
			CAEC_E_REALM_ID);
	ch[0] ^= 1;
	assert_caec_err(caec_verify_peer(ctx, FIX_PEER_A, ch, tok, len, NULL, NULL),
			CAEC_E_CHALLENGE);
	free(tok);
	/* Checked once per context: one own token, one key fetch. */
	assert_int_equal(drv.attests, 1);
	assert_int_equal(drv.key_calls, 1);
	assert_true(caec_platform_key(ctx, (uint8_t *)pem, sizeof(pem)) == n);
	assert_caec_err(caec_platform_key(ctx, (uint8_t *)pem, 16), CAEC_E_MSGSIZE);
	assert_int_equal(drv.attests, 1);
	assert_int_equal(drv.key_calls, 1);
	caec_close(ctx);
}

/* Proves: a host that hands over its own key cannot make the realm accept
 * tokens it forged with that key: the key is refused, and so is the
 * forged token, whose signature is sound under the host's key. */
static void test_substituted_key_refused(void **state)
{
	(void)state;
	drv.key_mode = KEY_OTHER;
	struct caec_ctx *ctx = open_rsi();
	uint8_t pem[2048], ch[CAEC_CHALLENGE_SIZE];
	size_t len;
	assert_caec_err(caec_platform_key(ctx, pem, sizeof(pem)), CAEC_E_PLATFORM_KEY);
	fix_challenge(ch, 0x31);
	uint8_t *forged = peer_token(drv.forger, FIX_PEER_A, ch, &len);
	assert_caec_err(caec_verify_peer(ctx, FIX_PEER_A, ch, forged, len, NULL, NULL),
			CAEC_E_PLATFORM_KEY);
	free(forged);
	/* Not cached: a refusal is asked again (the host may be fixed). */
	drv.key_mode = KEY_RIGHT;
	assert_true(caec_platform_key(ctx, pem, sizeof(pem)) > 0);
	caec_close(ctx);
}

/* Proves: bytes that are no P-384 key are CAEC_E_PLATFORM_KEY, and a driver
 * or machine without the call is CAEC_E_NOTSUP, for caec_verify_peer()
 * too. */
static void test_no_usable_key(void **state)
{
	(void)state;
	static const enum key_mode modes[] = { KEY_GARBAGE, KEY_ENOTTY, KEY_EOPNOTSUPP };
	static const int want[] = { CAEC_E_PLATFORM_KEY, CAEC_E_NOTSUP, CAEC_E_NOTSUP };
	uint8_t pem[2048], ch[CAEC_CHALLENGE_SIZE];
	fix_challenge(ch, 0x41);
	for (unsigned i = 0; i < 3; i++) {
		drv.key_mode = modes[i];
		struct caec_ctx *ctx = open_rsi();
		size_t len;
		uint8_t *tok = peer_token(drv.platform, FIX_PEER_A, ch, &len);
		assert_caec_err(caec_platform_key(ctx, pem, sizeof(pem)), want[i]);
		assert_caec_err(caec_verify_peer(ctx, FIX_PEER_A, ch, tok, len, NULL, NULL),
				want[i]);
		free(tok);
		caec_close(ctx);
	}
}

/* Proves: the firmware's lifecycle "unknown" earns
 * CAEC_VERIFY_W_DEBUG_PLATFORM on top of CAEC_VERIFY_W_UNPINNED; a key the
 * caller passes in the policy lifts W_UNPINNED, not W_DEBUG_PLATFORM. */
static void test_lifecycle_unknown(void **state)
{
	(void)state;
	assert_int_equal(token_signer_set_lifecycle(drv.platform, 0x0000), 0);
	struct caec_ctx *ctx = open_rsi();
	uint8_t ch[CAEC_CHALLENGE_SIZE];
	size_t len;
	fix_challenge(ch, 0x51);
	uint8_t *tok = peer_token(drv.platform, FIX_PEER_B, ch, &len);
	static struct caec_token_claims cl;
	cl.size = sizeof(cl);
	assert_int_equal(caec_verify_peer(ctx, FIX_PEER_B, ch, tok, len, NULL, &cl),
			 CAEC_VERIFY_W_UNPINNED | CAEC_VERIFY_W_DEBUG_PLATFORM);
	assert_int_equal(cl.lifecycle, 0);
	char spem[TOKEN_PEM_MAX];
	int sn = token_signer_platform_pubkey(drv.platform, spem, sizeof(spem));
	struct caec_platform_key_ref key = { (const uint8_t *)spem, (size_t)sn };
	struct caec_verify_policy pol = { .size = sizeof(pol), .platform_keys = &key,
					  .n_platform_keys = 1 };
	assert_int_equal(caec_verify_peer(ctx, FIX_PEER_B, ch, tok, len, &pol, NULL),
			 CAEC_VERIFY_W_DEBUG_PLATFORM);
	free(tok);
	caec_close(ctx);
}

/* Proves: caec_attest_token() on this backend returns the driver's token,
 * and CAEC_E_MSGSIZE (as documented) when the buffer is too small. */
static void test_attest_token(void **state)
{
	(void)state;
	struct caec_ctx *ctx = open_rsi();
	static uint8_t tok[CAEC_TOKEN_MAX_SIZE];
	static struct caec_token_claims cl;
	uint8_t ch[CAEC_CHALLENGE_SIZE];
	fix_challenge(ch, 0x61);
	int n = caec_attest_token(ctx, ch, tok, sizeof(tok));
	assert_true(n > 0);
	cl.size = sizeof(cl);
	assert_caec_ok(caec_token_parse(tok, (size_t)n, &cl));
	assert_memory_equal(cl.challenge, ch, sizeof(ch));
	assert_true(cl.realm_id == FIX_REALM_ID);
	assert_caec_err(caec_attest_token(ctx, ch, tok, 100), CAEC_E_MSGSIZE);
	caec_close(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_platform_key_checked_and_used, setup, teardown),
		cmocka_unit_test_setup_teardown(test_substituted_key_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_usable_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lifecycle_unknown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attest_token, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
