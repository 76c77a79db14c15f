/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The AES-256-GCM framing of the benchmark's encrypted baselines (paper
 * §7.3): 16-byte header (session, sequence) as AAD, IV from (session,
 * sequence), 16-byte tag.  These tests prove the receiver really checks
 * what the benchmark claims it checks -- so the baseline's cost is the cost
 * of a correct protocol, not of a shortcut -- and that both libraries
 * implement the same wire format.
 */
#include <errno.h>
#include <string.h>

#include "caec_test.h"
#include "comm.h"

enum { LEN = 1000 };

struct lib {
	const char *name;
	void *(*new_)(void);
	int (*seal)(void *, uint64_t, const void *, size_t, void *);
	int (*open)(void *, uint64_t, const void *, size_t, void *);
	void (*free_)(void *);
};

static const struct lib libs[] = {
	{ "mbedtls", comm_gcm_mbedtls_new, comm_gcm_mbedtls_seal,
	  comm_gcm_mbedtls_open, comm_gcm_mbedtls_free },
	{ "openssl", comm_gcm_openssl_new, comm_gcm_openssl_seal,
	  comm_gcm_openssl_open, comm_gcm_openssl_free },
};

static uint8_t msg[LEN], wire[LEN + COMM_GCM_HDR + COMM_GCM_TAG], out[LEN];

static void *lib_new(const struct lib *l)
{
	void *g = l->new_();
	if (!g && strcmp(l->name, "openssl") == 0)
		skip(); /* built without OpenSSL */
	assert_non_null(g);
	return g;
}

static void fill(void)
{
	for (size_t i = 0; i < LEN; i++)
		msg[i] = (uint8_t)(i * 7 + 3);
}

/* A sealed message opens with the expected sequence and is not plaintext. */
static void run_roundtrip(const struct lib *l)
{
	void *g = lib_new(l);
	fill();
	assert_int_equal(l->seal(g, 42, msg, LEN, wire), 0);
	assert_memory_not_equal(wire + COMM_GCM_HDR, msg, LEN);
	assert_true(comm_gcm_header_ok(wire, COMM_SESSION, 42));
	memset(out, 0, sizeof(out));
	assert_int_equal(l->open(g, 42, wire, LEN, out), 0);
	assert_memory_equal(out, msg, LEN);
	l->free_(g);
}

/* Any flipped ciphertext or tag bit is rejected by the tag check. */
static void run_tamper(const struct lib *l)
{
	void *g = lib_new(l);
	fill();
	assert_int_equal(l->seal(g, 7, msg, LEN, wire), 0);
	size_t spots[] = { COMM_GCM_HDR, COMM_GCM_HDR + LEN / 2,
			   COMM_GCM_HDR + LEN - 1, COMM_GCM_HDR + LEN,
			   COMM_GCM_HDR + LEN + COMM_GCM_TAG - 1 };
	for (size_t i = 0; i < sizeof(spots) / sizeof(spots[0]); i++) {
		wire[spots[i]] ^= 0x01;
		assert_int_equal(l->open(g, 7, wire, LEN, out), -EBADMSG);
		wire[spots[i]] ^= 0x01;
	}
	assert_int_equal(l->open(g, 7, wire, LEN, out), 0);
	l->free_(g);
}

/*
 * A replayed or reordered message (header says another sequence than the
 * receiver expects) and a foreign session are refused before decryption;
 * a header rewritten to the expected sequence fails the tag (the header is
 * authenticated and the IV comes from the expected sequence).
 */
static void run_replay(const struct lib *l)
{
	void *g = lib_new(l);
	uint8_t hdr[COMM_GCM_HDR];
	fill();
	assert_int_equal(l->seal(g, 5, msg, LEN, wire), 0);
	assert_int_equal(l->open(g, 6, wire, LEN, out), -EPROTO);
	assert_int_equal(l->open(g, 4, wire, LEN, out), -EPROTO);
	comm_gcm_header(hdr, COMM_SESSION, 6); /* forge: claim sequence 6 */
	memcpy(wire, hdr, sizeof(hdr));
	assert_int_equal(l->open(g, 6, wire, LEN, out), -EBADMSG);
	comm_gcm_header(hdr, COMM_SESSION + 1, 5); /* another session */
	memcpy(wire, hdr, sizeof(hdr));
	assert_int_equal(l->open(g, 5, wire, LEN, out), -EPROTO);
	l->free_(g);
}

static void test_comm_gcm_mbedtls_roundtrip(void **s) { (void)s; run_roundtrip(&libs[0]); }
static void test_comm_gcm_openssl_roundtrip(void **s) { (void)s; run_roundtrip(&libs[1]); }
static void test_comm_gcm_mbedtls_rejects_tamper(void **s) { (void)s; run_tamper(&libs[0]); }
static void test_comm_gcm_openssl_rejects_tamper(void **s) { (void)s; run_tamper(&libs[1]); }
static void test_comm_gcm_mbedtls_rejects_replay(void **s) { (void)s; run_replay(&libs[0]); }
static void test_comm_gcm_openssl_rejects_replay(void **s) { (void)s; run_replay(&libs[1]); }

/* Both libraries speak the same wire format (same key, IV, AAD, tag). */
static void test_comm_gcm_libraries_interoperate(void **s)
{
	(void)s;
	void *m = lib_new(&libs[0]);
	void *o = lib_new(&libs[1]);
	fill();
	assert_int_equal(comm_gcm_mbedtls_seal(m, 9, msg, LEN, wire), 0);
	assert_int_equal(comm_gcm_openssl_open(o, 9, wire, LEN, out), 0);
	assert_memory_equal(out, msg, LEN);
	assert_int_equal(comm_gcm_openssl_seal(o, 10, msg, LEN, wire), 0);
	memset(out, 0, sizeof(out));
	assert_int_equal(comm_gcm_mbedtls_open(m, 10, wire, LEN, out), 0);
	assert_memory_equal(out, msg, LEN);
	comm_gcm_mbedtls_free(m);
	comm_gcm_openssl_free(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_comm_gcm_mbedtls_roundtrip),
		cmocka_unit_test(test_comm_gcm_openssl_roundtrip),
		cmocka_unit_test(test_comm_gcm_mbedtls_rejects_tamper),
		cmocka_unit_test(test_comm_gcm_openssl_rejects_tamper),
		cmocka_unit_test(test_comm_gcm_mbedtls_rejects_replay),
		cmocka_unit_test(test_comm_gcm_openssl_rejects_replay),
		cmocka_unit_test(test_comm_gcm_libraries_interoperate),
	};
	return cmocka_run_group_tests_name("comm-gcm", tests, NULL, NULL);
}
