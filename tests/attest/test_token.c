/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Attestation tokens, in process (no daemon): issue with core/token's
 * signer, then parse and verify through the public libcaec API.
 * Round trip of every claim, each policy failure with its own error, the
 * binding, key handling, and exhaustive single-byte tampering.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <mbedtls/sha256.h>

#include <caec/attest.h>
#include <cbor.h>

#include "caec_test.h"
#include "token_fixture.h"

struct fix {
	struct token_signer *ts;
	struct token_realm_claims claims;
	struct token_relation rel[3];
	uint8_t challenge[CAEC_CHALLENGE_SIZE];
	uint8_t *tok;
	size_t len;
	char pem[TOKEN_PEM_MAX];
	int pem_len;
	struct caec_platform_key_ref key;
	struct caec_rim_ref rim;
	struct caec_verify_policy pol;
	struct caec_token_claims out;
};

static int setup(void **state)
{
	static const uint8_t seed[] = "caec attest unit test seed";
	struct fix *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	if (token_signer_create_seeded(&f->ts, seed, sizeof(seed)) != 0)
		return -1;
	fix_claims(&f->claims, f->rel);
	fix_challenge(f->challenge, 0x11);
	if (token_issue(f->ts, &f->claims, f->challenge, &f->tok, &f->len) != 0)
		return -1;
	f->pem_len = token_signer_platform_pubkey(f->ts, f->pem, sizeof(f->pem));
	if (f->pem_len <= 0)
		return -1;
	/* Not NUL-terminated on purpose: the library must cope. */
	f->key = (struct caec_platform_key_ref){ (const uint8_t *)f->pem,
						 (size_t)f->pem_len };
	f->rim.len = 32;
	memcpy(f->rim.value, f->claims.rim, 32);
	f->pol = (struct caec_verify_policy){
		.size = sizeof(f->pol),
		.flags = CAEC_VERIFY_F_REALM_ID,
		.platform_keys = &f->key,
		.n_platform_keys = 1,
		.rims = &f->rim,
		.n_rims = 1,
		.challenge = f->challenge,
		.rpv = f->claims.rpv,
		.realm_id = FIX_REALM_ID,
	};
	f->out.size = sizeof(f->out);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	free(f->tok);
	token_signer_destroy(f->ts);
	free(f);
	return 0;
}

/* Proves: every claim the issuer was given (and every platform claim the
 * simulator adds) comes back out of caec_token_parse() unchanged, and the
 * binding claim is the SHA-256 of the RAK claim. */
static void test_token_roundtrip_every_claim(void **state)
{
	struct fix *f = *state;
	struct caec_token_claims *c = &f->out;
	struct token_view v;

	assert_true(f->len > 0 && f->len <= CAEC_TOKEN_MAX_SIZE);
	assert_caec_ok(caec_token_parse(f->tok, f->len, c));
	assert_int_equal(c->size, sizeof(*c));
	/* realm token */
	assert_true(c->realm_id == FIX_REALM_ID);
	assert_memory_equal(c->challenge, f->challenge, CAEC_CHALLENGE_SIZE);
	assert_memory_equal(c->rpv, f->claims.rpv, CAEC_RPV_SIZE);
	assert_int_equal(c->rim_len, 32);
	assert_memory_equal(c->rim, f->claims.rim, 32);
	for (unsigned i = 0; i < CAEC_TOKEN_REM_COUNT; i++)
		assert_memory_equal(c->rem[i], f->claims.rems[i], 32);
	assert_string_equal(c->hash_algo, "sha-256");
	assert_string_equal(c->rak_hash_algo, "sha-256");
	assert_string_equal(c->profile, "tag:arm.com,2023:realm#1.0.0");
	assert_int_equal(c->rak_len, CAEC_TOKEN_RAK_SIZE);
	assert_int_equal(c->rak[0], 0x04);
	assert_int_equal(c->n_relations, 3);
	for (unsigned i = 0; i < 3; i++) {
		const struct caec_token_relation *r = &c->relations[i];
		const struct token_relation *w = &f->rel[i];
		assert_true(r->region_id == w->region_id);
		assert_true(r->grant_id == w->grant_id);
		assert_true(r->peer_id == w->peer_realm_id);
		assert_int_equal(r->perm, w->perm);
		assert_int_equal(r->role, w->role);
		assert_int_equal(r->flags, w->sealed ? CAEC_GRANT_F_SEALED : 0);
		assert_int_equal(r->hash_len, w->hash_len);
		if (w->hash_len)
			assert_memory_equal(r->hash, w->hash, w->hash_len);
	}
	/* platform token */
	assert_string_equal(c->platform_profile, "tag:arm.com,2023:cca_platform#1.0.0");
	assert_string_equal(c->platform_hash_algo, "sha-256");
	assert_string_equal(c->verification_service, "urn:caec:simulated-platform");
	assert_int_equal(c->lifecycle, 0x3000);
	assert_int_equal(c->config_len, 8);
	assert_memory_equal(c->config, "caec-sim", 8);
	uint8_t h[32];
	static const char impl[] = "caec simulated CCA platform";
	assert_int_equal(mbedtls_sha256_ret((const uint8_t *)impl, strlen(impl), h, 0), 0);
	assert_memory_equal(c->implementation_id, h, 32);
	uint8_t kid[TOKEN_KID_SIZE];
	assert_caec_ok(token_platform_kid(f->key.data, f->key.len, kid));
	assert_int_equal(c->instance_id[0], 0x01);
	assert_memory_equal(c->instance_id + 1, kid, 32);
	assert_int_equal(c->n_sw_components, 1);
	assert_string_equal(c->sw_components[0].type, "caec-simd");
	assert_string_equal(c->sw_components[0].version, CAEC_VERSION_STRING);
	assert_string_equal(c->sw_components[0].hash_algo, "sha-256");
	assert_int_equal(c->sw_components[0].measurement_len, 32);
	assert_int_equal(c->sw_components[0].signer_id_len, 32);
	assert_memory_equal(c->sw_components[0].signer_id, kid, 32);
	/* binding: platform challenge == SHA-256(RAK COSE_Key bytes) */
	struct caec_token_claims c2 = { .size = sizeof(c2) };
	assert_caec_ok(token_decode(f->tok, f->len, &v, &c2));
	assert_non_null(v.rak_cose);
	assert_int_equal(mbedtls_sha256_ret(v.rak_cose, v.rak_cose_len, h, 0), 0);
	assert_int_equal(c->platform_challenge_len, 32);
	assert_memory_equal(c->platform_challenge, h, 32);
	/* the platform token names its key */
	assert_int_equal(v.plat.kid_len, TOKEN_KID_SIZE);
	assert_memory_equal(v.plat.kid, kid, TOKEN_KID_SIZE);
	assert_null(v.realm.kid);
}

/* Proves: a genuine token passes a policy that checks everything, and the
 * claims handed back are the token's. */
static void test_token_verify_full_policy_ok(void **state)
{
	struct fix *f = *state;

	f->pol.grant_id = 80;
	f->pol.grant_peer_id = FIX_PEER_B;
	f->pol.grant_hash_len = 32;
	memcpy(f->pol.grant_hash, f->rel[1].hash, 32);
	assert_caec_ok(caec_token_verify(f->tok, f->len, &f->pol, &f->out));
	assert_true(f->out.realm_id == FIX_REALM_ID);
	/* DER works as well as PEM: PEM key with its NUL also accepted. */
	struct caec_platform_key_ref k = { (const uint8_t *)f->pem,
					   (size_t)f->pem_len + 1 };
	f->pol.platform_keys = &k;
	assert_caec_ok(caec_token_verify(f->tok, f->len, &f->pol, NULL));
}

/* Proves: each policy mismatch fails with its own error. */
static void test_token_verify_each_mismatch_has_its_error(void **state)
{
	struct fix *f = *state;
	struct caec_verify_policy p;
	uint8_t bad[CAEC_CHALLENGE_SIZE];

	p = f->pol;
	memcpy(bad, f->challenge, sizeof(bad));
	bad[63] ^= 1;
	p.challenge = bad;
	assert_caec_err(caec_token_verify(f->tok, f->len, &p, NULL), CAEC_E_CHALLENGE);

	p = f->pol;
	struct caec_rim_ref rims[2] = { f->rim, f->rim };
	rims[0].value[0] ^= 1;
	rims[1].value[31] ^= 0x80;
	p.rims = rims;
	p.n_rims = 2;
	assert_caec_err(caec_token_verify(f->tok, f->len, &p, NULL), CAEC_E_RIM);
	rims[1] = f->rim; /* any accepted RIM will do */
	assert_caec_ok(caec_token_verify(f->tok, f->len, &p, NULL));
	rims[1].len = 31; /* a prefix is not a match */
	assert_caec_err(caec_token_verify(f->tok, f->len, &p, NULL), CAEC_E_RIM);

	p = f->pol;
	uint8_t rpv[CAEC_RPV_SIZE];
	memcpy(rpv, f->claims.rpv, sizeof(rpv));
	rpv[10] ^= 0x40;
	p.rpv = rpv;
	assert_caec_err(caec_token_verify(f->tok, f->len, &p, NULL), CAEC_E_RPV);

	p = f->pol;
	p.realm_id = FIX_REALM_ID ^ 1;
	assert_caec_err(caec_token_verify(f->tok, f->len, &p, NULL), CAEC_E_REALM_ID);
	p.flags &= ~CAEC_VERIFY_F_REALM_ID; /* not asked: not checked */
	assert_caec_ok(caec_token_verify(f->tok, f->len, &p, NULL));

	p = f->pol;
	p.grant_id = 81; /* not granted */
	p.grant_peer_id = FIX_PEER_B;
	assert_caec_err(caec_token_verify(f->tok, f->len, &p, NULL), CAEC_E_DENIED);
	p.grant_id = 80;
	p.grant_peer_id = FIX_PEER_A; /* granted to someone else */
	assert_caec_err(caec_token_verify(f->tok, f->len, &p, NULL), CAEC_E_DENIED);
	p.grant_peer_id = FIX_PEER_B;
	p.grant_hash_len = 32;
	memcpy(p.grant_hash, f->rel[1].hash, 32);
	p.grant_hash[5] ^= 1;
	assert_caec_err(caec_token_verify(f->tok, f->len, &p, NULL), CAEC_E_HASH);
	p.grant_id = 70; /* grant 70 is not sealed at all */
	p.grant_peer_id = FIX_PEER_A;
	assert_caec_err(caec_token_verify(f->tok, f->len, &p, NULL), CAEC_E_HASH);
	p.grant_hash_len = 0;
	assert_caec_ok(caec_token_verify(f->tok, f->len, &p, NULL));
}

/* Proves: a token from another platform (or a key we do not accept) fails
 * with CAEC_E_PLATFORM_KEY; adding the right key to the list fixes it. */
static void test_token_verify_wrong_platform_key(void **state)
{
	static const uint8_t seed[] = "some other platform";
	struct fix *f = *state;
	struct token_signer *other;
	char pem[TOKEN_PEM_MAX];

	assert_caec_ok(token_signer_create_seeded(&other, seed, sizeof(seed)));
	int n = token_signer_platform_pubkey(other, pem, sizeof(pem));
	assert_true(n > 0);
	assert_true(strcmp(pem, f->pem) != 0);
	struct caec_platform_key_ref keys[2] = {
		{ (const uint8_t *)pem, (size_t)n }, f->key };
	struct caec_verify_policy p = f->pol;
	p.platform_keys = keys;
	p.n_platform_keys = 1;
	assert_caec_err(caec_token_verify(f->tok, f->len, &p, NULL), CAEC_E_PLATFORM_KEY);
	p.n_platform_keys = 2;
	assert_caec_ok(caec_token_verify(f->tok, f->len, &p, NULL));
	/* A garbage key is the caller's error, not the token's. */
	keys[0] = (struct caec_platform_key_ref){ (const uint8_t *)"junk", 4 };
	assert_caec_err(caec_token_verify(f->tok, f->len, &p, NULL), CAEC_E_INVAL);
	token_signer_destroy(other);
}

/* Build tag399{44234: plat, 44241: realm} from two COSE_Sign1 blobs. */
static size_t collection(uint8_t *out, size_t cap, const uint8_t *plat,
			 size_t plat_len, const uint8_t *realm, size_t realm_len)
{
	size_t n = 0;

	n += cbor_encode_tag(399, out + n, cap - n);
	n += cbor_encode_map_start(2, out + n, cap - n);
	n += cbor_encode_uint(44234, out + n, cap - n);
	n += cbor_encode_bytestring_start(plat_len, out + n, cap - n);
	memcpy(out + n, plat, plat_len);
	n += plat_len;
	n += cbor_encode_uint(44241, out + n, cap - n);
	n += cbor_encode_bytestring_start(realm_len, out + n, cap - n);
	memcpy(out + n, realm, realm_len);
	return n + realm_len;
}

/* Proves: a platform token that is genuinely signed but bound to another
 * RAK (spliced from another platform's token) fails with CAEC_E_BINDING,
 * and that splicing itself is sound (the same token re-assembled passes). */
static void test_token_verify_binding_mismatch(void **state)
{
	static const uint8_t seed[] = "platform with another RAK";
	struct fix *f = *state;
	struct token_signer *other;
	uint8_t *tok2, buf[CAEC_TOKEN_MAX_SIZE];
	size_t len2;
	struct token_view v1, v2;
	struct caec_token_claims c = { .size = sizeof(c) };

	assert_caec_ok(token_signer_create_seeded(&other, seed, sizeof(seed)));
	assert_caec_ok(token_issue(other, &f->claims, f->challenge, &tok2, &len2));
	assert_caec_ok(token_decode(f->tok, f->len, &v1, &c));
	assert_caec_ok(token_decode(tok2, len2, &v2, &c));

	size_t n = collection(buf, sizeof(buf), v1.plat.whole, v1.plat.whole_len,
			      v1.realm.whole, v1.realm.whole_len);
	assert_int_equal(n, f->len);
	assert_memory_equal(buf, f->tok, n);
	assert_caec_ok(caec_token_verify(buf, n, &f->pol, NULL));

	/* Our realm token, the other platform's (validly signed) token. */
	char pem2[TOKEN_PEM_MAX];
	int pl = token_signer_platform_pubkey(other, pem2, sizeof(pem2));
	struct caec_platform_key_ref keys[2] = {
		f->key, { (const uint8_t *)pem2, (size_t)pl } };
	struct caec_verify_policy p = f->pol;
	p.platform_keys = keys;
	p.n_platform_keys = 2;
	n = collection(buf, sizeof(buf), v2.plat.whole, v2.plat.whole_len,
		       v1.realm.whole, v1.realm.whole_len);
	assert_caec_err(caec_token_verify(buf, n, &p, NULL), CAEC_E_BINDING);
	/* And the other way round. */
	n = collection(buf, sizeof(buf), v1.plat.whole, v1.plat.whole_len,
		       v2.realm.whole, v2.realm.whole_len);
	assert_caec_err(caec_token_verify(buf, n, &p, NULL), CAEC_E_BINDING);
	free(tok2);
	token_signer_destroy(other);
}

/* Proves: a corrupted realm signature is CAEC_E_SIGNATURE; a corrupted
 * platform signature is CAEC_E_SIGNATURE when the token names an accepted
 * key and CAEC_E_PLATFORM_KEY when it does not. */
static void test_token_verify_bad_signatures(void **state)
{
	struct fix *f = *state;
	struct token_view v;
	struct caec_token_claims c = { .size = sizeof(c) };
	uint8_t *t = malloc(f->len);

	assert_non_null(t);
	assert_caec_ok(token_decode(f->tok, f->len, &v, &c));
	size_t realm_sig = (size_t)(v.realm.sig - f->tok);
	size_t plat_sig = (size_t)(v.plat.sig - f->tok);

	memcpy(t, f->tok, f->len);
	t[realm_sig + 50] ^= 0x01;
	assert_caec_err(caec_token_verify(t, f->len, &f->pol, NULL), CAEC_E_SIGNATURE);

	memcpy(t, f->tok, f->len);
	t[plat_sig + 3] ^= 0x20;
	assert_caec_err(caec_token_verify(t, f->len, &f->pol, NULL), CAEC_E_SIGNATURE);

	static const uint8_t seed[] = "unrelated";
	struct token_signer *other;
	char pem[TOKEN_PEM_MAX];
	assert_caec_ok(token_signer_create_seeded(&other, seed, sizeof(seed)));
	int n = token_signer_platform_pubkey(other, pem, sizeof(pem));
	struct caec_platform_key_ref k = { (const uint8_t *)pem, (size_t)n };
	struct caec_verify_policy p = f->pol;
	p.platform_keys = &k;
	assert_caec_err(caec_token_verify(t, f->len, &p, NULL), CAEC_E_PLATFORM_KEY);
	token_signer_destroy(other);
	free(t);
}

/* Proves: flipping any single byte of a real token (every position, xor
 * 0x01 and xor 0xff) makes verification fail, and only with an error that
 * a forger could cause (malformed, signature, binding, platform key). */
static void test_token_every_single_byte_flip_fails(void **state)
{
	static const uint8_t masks[] = { 0x01, 0xff };
	struct fix *f = *state;
	uint8_t *t = malloc(f->len);
	unsigned counts[CAEC_ERR_COUNT] = { 0 };

	assert_non_null(t);
	for (size_t i = 0; i < f->len; i++) {
		for (unsigned m = 0; m < sizeof(masks); m++) {
			memcpy(t, f->tok, f->len);
			t[i] ^= masks[m];
			int rc = caec_token_verify(t, f->len, &f->pol, NULL);
			if (rc != CAEC_E_TOKEN && rc != CAEC_E_SIGNATURE &&
			    rc != CAEC_E_BINDING && rc != CAEC_E_PLATFORM_KEY)
				fail_msg("flip of byte %zu with 0x%02x: %s", i,
					 masks[m], caec_errname(rc));
			counts[-rc]++;
		}
	}
	print_message("%zu bytes x 2 flips: TOKEN %u, SIGNATURE %u, BINDING %u, "
		      "PLATFORM_KEY %u\n", f->len, counts[-CAEC_E_TOKEN],
		      counts[-CAEC_E_SIGNATURE], counts[-CAEC_E_BINDING],
		      counts[-CAEC_E_PLATFORM_KEY]);
	/* The flips reach every stage, not just the parser. */
	assert_true(counts[-CAEC_E_TOKEN] > 0);
	assert_true(counts[-CAEC_E_SIGNATURE] > 0);
	free(t);
}

/* Proves: keys saved to PEM files load back into a signer that issues
 * tokens verifiable under the same platform key (the --key files path of
 * caec-simd), and that a non-P-384 or missing key file is refused. */
static void test_token_signer_keys_from_files(void **state)
{
	struct fix *f = *state;
	char dir[] = "/tmp/caec-attest-keysXXXXXX";
	char cpak[64], rak[64], junk[64];
	struct token_signer *s2;

	assert_non_null(mkdtemp(dir));
	snprintf(cpak, sizeof(cpak), "%s/cpak.pem", dir);
	snprintf(rak, sizeof(rak), "%s/rak.pem", dir);
	snprintf(junk, sizeof(junk), "%s/junk.pem", dir);
	assert_caec_ok(token_signer_save_keys(f->ts, cpak, rak));
	assert_caec_ok(token_signer_create(&s2, cpak, rak));

	char pem2[TOKEN_PEM_MAX];
	assert_true(token_signer_platform_pubkey(s2, pem2, sizeof(pem2)) > 0);
	assert_string_equal(pem2, f->pem);
	uint8_t *t;
	size_t n;
	assert_caec_ok(token_issue(s2, &f->claims, f->challenge, &t, &n));
	assert_caec_ok(caec_token_verify(t, n, &f->pol, NULL));
	free(t);
	token_signer_destroy(s2);

	/* Only the CPAK from file, RAK generated: still verifies. */
	assert_caec_ok(token_signer_create(&s2, cpak, NULL));
	assert_caec_ok(token_issue(s2, &f->claims, f->challenge, &t, &n));
	assert_caec_ok(caec_token_verify(t, n, &f->pol, NULL));
	free(t);
	token_signer_destroy(s2);

	FILE *fp = fopen(junk, "w");
	assert_non_null(fp);
	fputs("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n", fp);
	fclose(fp);
	assert_caec_err(token_signer_create(&s2, junk, NULL), CAEC_E_INVAL);
	assert_caec_err(token_signer_create(&s2, "/nonexistent/key.pem", NULL), CAEC_E_INVAL);
	unlink(cpak);
	unlink(rak);
	unlink(junk);
	rmdir(dir);
}

/* Proves: the issuer refuses claims it cannot encode faithfully. */
static void test_token_issue_rejects_bad_claims(void **state)
{
	struct fix *f = *state;
	struct token_realm_claims c = f->claims;
	struct token_relation rel[3];
	uint8_t *t = NULL;
	size_t n;

	c.rim_len = 48; /* does not match sha-256 */
	assert_caec_err(token_issue(f->ts, &c, f->challenge, &t, &n), CAEC_E_INVAL);
	c = f->claims;
	c.hash_algo = "md5";
	assert_caec_err(token_issue(f->ts, &c, f->challenge, &t, &n), CAEC_E_INVAL);
	c = f->claims;
	memcpy(rel, f->rel, sizeof(rel));
	c.relations = rel;
	rel[0].role = 3;
	assert_caec_err(token_issue(f->ts, &c, f->challenge, &t, &n), CAEC_E_INVAL);
	memcpy(rel, f->rel, sizeof(rel));
	rel[2].perm = 2; /* neither RO nor RW: the decoder would refuse it */
	assert_caec_err(token_issue(f->ts, &c, f->challenge, &t, &n), CAEC_E_INVAL);
	memcpy(rel, f->rel, sizeof(rel));
	rel[1].hash_len = 0; /* sealed without a hash */
	assert_caec_err(token_issue(f->ts, &c, f->challenge, &t, &n), CAEC_E_INVAL);
	c.n_relations = CAEC_TOKEN_MAX_RELATIONS + 1;
	assert_caec_err(token_issue(f->ts, &c, f->challenge, &t, &n), CAEC_E_INVAL);
	assert_null(t);
	/* sha-512 measurements work end to end. */
	c = f->claims;
	c.hash_algo = "sha-512";
	c.rim_len = c.rem_len = 64;
	assert_caec_ok(token_issue(f->ts, &c, f->challenge, &t, &n));
	struct caec_token_claims out = { .size = sizeof(out) };
	assert_caec_ok(caec_token_parse(t, n, &out));
	assert_int_equal(out.rim_len, 64);
	assert_string_equal(out.hash_algo, "sha-512");
	free(t);
}

/* Proves: the largest token (64 relations, all sealed with 64-byte hashes)
 * fits CAEC_TOKEN_MAX_SIZE and round-trips. */
static void test_token_max_relations_roundtrip(void **state)
{
	struct fix *f = *state;
	struct token_realm_claims c = f->claims;
	static struct token_relation rel[CAEC_TOKEN_MAX_RELATIONS];
	uint8_t *t;
	size_t n;

	for (unsigned i = 0; i < CAEC_TOKEN_MAX_RELATIONS; i++) {
		rel[i] = (struct token_relation){ .region_id = UINT64_MAX - i,
			.grant_id = UINT64_MAX - 2 * i, .peer_realm_id = UINT64_MAX,
			.perm = CAEC_PERM_RO, .role = CAEC_TOKEN_ROLE_PROVIDER,
			.sealed = 1, .hash_len = CAEC_HASH_MAX };
		memset(rel[i].hash, (int)i, CAEC_HASH_MAX);
	}
	c.relations = rel;
	c.n_relations = CAEC_TOKEN_MAX_RELATIONS;
	assert_caec_ok(token_issue(f->ts, &c, f->challenge, &t, &n));
	print_message("largest token: %zu bytes\n", n);
	assert_true(n <= CAEC_TOKEN_MAX_SIZE);
	assert_caec_ok(caec_token_verify(t, n, &f->pol, &f->out));
	assert_int_equal(f->out.n_relations, CAEC_TOKEN_MAX_RELATIONS);
	assert_true(f->out.relations[63].region_id == UINT64_MAX - 63);
	assert_int_equal(f->out.relations[63].hash[0], 63);
	free(t);
}

/* Proves: bad arguments and incomplete policies are CAEC_E_INVAL, never
 * an accidental pass. */
static void test_token_verify_policy_validation(void **state)
{
	struct fix *f = *state;
	struct caec_verify_policy p = f->pol;

	assert_caec_err(caec_token_verify(NULL, f->len, &p, NULL), CAEC_E_INVAL);
	assert_caec_err(caec_token_verify(f->tok, f->len, NULL, NULL), CAEC_E_INVAL);
	p.size = 8;
	assert_caec_err(caec_token_verify(f->tok, f->len, &p, NULL), CAEC_E_INVAL);
	p = f->pol;
	p.n_platform_keys = 0;
	assert_caec_err(caec_token_verify(f->tok, f->len, &p, NULL), CAEC_E_INVAL);
	p = f->pol;
	p.n_rims = 0;
	assert_caec_err(caec_token_verify(f->tok, f->len, &p, NULL), CAEC_E_INVAL);
	p.flags |= CAEC_VERIFY_F_ANY_RIM;
	assert_caec_ok(caec_token_verify(f->tok, f->len, &p, NULL));
	p = f->pol;
	p.challenge = NULL;
	assert_caec_err(caec_token_verify(f->tok, f->len, &p, NULL), CAEC_E_INVAL);
	p.flags |= CAEC_VERIFY_F_ANY_CHALLENGE;
	assert_caec_ok(caec_token_verify(f->tok, f->len, &p, NULL));
	p = f->pol;
	p.flags |= 0x80;
	assert_caec_err(caec_token_verify(f->tok, f->len, &p, NULL), CAEC_E_INVAL);
	struct caec_token_claims small = { .size = 4 };
	assert_caec_err(caec_token_parse(f->tok, f->len, &small), CAEC_E_INVAL);
	assert_caec_err(caec_token_parse(NULL, 10, &f->out), CAEC_E_INVAL);
	assert_caec_err(caec_token_verify(f->tok, f->len, &f->pol, &small), CAEC_E_INVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_token_roundtrip_every_claim, setup, teardown),
		cmocka_unit_test_setup_teardown(test_token_verify_full_policy_ok, setup, teardown),
		cmocka_unit_test_setup_teardown(test_token_verify_each_mismatch_has_its_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_token_verify_wrong_platform_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_token_verify_binding_mismatch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_token_verify_bad_signatures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_token_every_single_byte_flip_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_token_signer_keys_from_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_token_issue_rejects_bad_claims, setup, teardown),
		cmocka_unit_test_setup_teardown(test_token_max_relations_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_token_verify_policy_validation, setup, teardown),
	};
	return cmocka_run_group_tests_name("attest_token", tests, NULL, NULL);
}
