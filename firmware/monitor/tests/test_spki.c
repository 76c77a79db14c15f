/*
 * The monitor's SubjectPublicKeyInfo writer (spki.c: fixed DER prefix,
 * hand-written PEM) against mbedTLS's own writers, for P-384 keys made by
 * mbedTLS: the DER must be byte-identical and the PEM the same text, and
 * the PEM writer must refuse every buffer too small for it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <mbedtls/ecp.h>
#include <mbedtls/pk.h>
#include <spki.h>
#include <string.h>

#define KEYS 16

/* Deterministic "randomness" for key generation (a test, not a key). */
static int test_rng(void *arg, unsigned char *out, size_t len)
{
	uint64_t *s = arg;
	size_t i;

	for (i = 0; i < len; i++) {
		*s ^= *s << 13;
		*s ^= *s >> 7;
		*s ^= *s << 17;
		out[i] = (unsigned char)*s;
	}
	return 0;
}

/* A fresh P-384 key in pk and its uncompressed point in point. */
static void make_key(mbedtls_pk_context *pk, uint64_t *seed, uint8_t point[SPKI_P384_POINT_SIZE])
{
	size_t n = 0;

	mbedtls_pk_init(pk);
	assert_int_equal(0, mbedtls_pk_setup(pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)));
	assert_int_equal(0, mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP384R1, mbedtls_pk_ec(*pk),
						test_rng, seed));
	assert_int_equal(0, mbedtls_ecp_point_write_binary(&mbedtls_pk_ec(*pk)->grp,
							   &mbedtls_pk_ec(*pk)->Q,
							   MBEDTLS_ECP_PF_UNCOMPRESSED, &n, point,
							   SPKI_P384_POINT_SIZE));
	assert_int_equal(SPKI_P384_POINT_SIZE, n);
}

static void test_spki_der_matches_mbedtls(void **state)
{
	uint64_t seed = 0x5EED0001ULL;
	unsigned int k;

	(void)state;
	for (k = 0; k < KEYS; k++) {
		mbedtls_pk_context pk;
		uint8_t point[SPKI_P384_POINT_SIZE], der[SPKI_P384_DER_SIZE], ref[256];
		int n;

		make_key(&pk, &seed, point);
		/* mbedTLS writes at the end of the buffer. */
		n = mbedtls_pk_write_pubkey_der(&pk, ref, sizeof(ref));
		assert_int_equal(SPKI_P384_DER_SIZE, n);
		memset(der, 0xA5, sizeof(der));
		spki_p384_der(point, der);
		assert_memory_equal(ref + sizeof(ref) - (size_t)n, der, SPKI_P384_DER_SIZE);
		mbedtls_pk_free(&pk);
	}
}

static void test_spki_pem_matches_mbedtls(void **state)
{
	uint64_t seed = 0x5EED0002ULL;
	unsigned int k;

	(void)state;
	for (k = 0; k < KEYS; k++) {
		mbedtls_pk_context pk;
		uint8_t point[SPKI_P384_POINT_SIZE];
		unsigned char ref[SPKI_P384_PEM_MAX];
		char pem[SPKI_P384_PEM_MAX];
		size_t len;

		make_key(&pk, &seed, point);
		assert_int_equal(0, mbedtls_pk_write_pubkey_pem(&pk, ref, sizeof(ref)));
		len = spki_p384_pem(point, pem, sizeof(pem));
		assert_int_equal(strlen((const char *)ref), len);
		assert_string_equal((const char *)ref, pem);
		mbedtls_pk_free(&pk);
	}
}

/* Every capacity below length + 1 (the NUL) is refused with 0. */
static void test_spki_pem_small_buffer(void **state)
{
	uint64_t seed = 0x5EED0003ULL;
	mbedtls_pk_context pk;
	uint8_t point[SPKI_P384_POINT_SIZE];
	char pem[SPKI_P384_PEM_MAX];
	size_t len, cap;

	(void)state;
	make_key(&pk, &seed, point);
	len = spki_p384_pem(point, pem, sizeof(pem));
	assert_true(len > 0);
	for (cap = 0; cap <= len; cap++) {
		assert_int_equal(0, spki_p384_pem(point, pem, cap));
	}
	assert_int_equal(len, spki_p384_pem(point, pem, len + 1));
	assert_int_equal('\0', pem[len]);
	mbedtls_pk_free(&pk);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spki_der_matches_mbedtls),
		cmocka_unit_test(test_spki_pem_matches_mbedtls),
		cmocka_unit_test(test_spki_pem_small_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
