/*
 * The firmware's hand-written SHA-256 against mbedTLS (x86), for lengths
 * around every padding boundary and for streaming updates.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <mbedtls/sha256.h>
#include <sha256.h>
#include <string.h>

static uint8_t input[9000];

static void reference(const uint8_t *p, size_t len, uint8_t out[32])
{
	mbedtls_sha256_context c;

	mbedtls_sha256_init(&c);
	assert_int_equal(0, mbedtls_sha256_starts_ret(&c, 0));
	assert_int_equal(0, mbedtls_sha256_update_ret(&c, p, len));
	assert_int_equal(0, mbedtls_sha256_finish_ret(&c, out));
	mbedtls_sha256_free(&c);
}

/* FIPS 180-4 example "abc". */
static void test_sha256_abc(void **state)
{
	static const uint8_t expect[32] = {
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde,
		0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
		0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
	};
	uint8_t out[32];

	(void)state;
	sha256("abc", 3, out);
	assert_memory_equal(expect, out, 32);
}

/* One-shot hashes of every length 0..300 and some large ones. */
static void test_sha256_lengths(void **state)
{
	uint8_t a[32], b[32];
	size_t len;

	(void)state;
	for (len = 0; len <= 300; len++) {
		sha256(input, len, a);
		reference(input, len, b);
		assert_memory_equal(a, b, 32);
	}
	for (len = 4095; len <= 4097; len++) {
		sha256(input, len, a);
		reference(input, len, b);
		assert_memory_equal(a, b, 32);
	}
	sha256(input, sizeof(input), a);
	reference(input, sizeof(input), b);
	assert_memory_equal(a, b, 32);
}

/* Streaming in uneven chunks equals one shot. */
static void test_sha256_streaming(void **state)
{
	struct sha256_ctx c;
	uint8_t a[32], b[32];
	size_t off = 0, chunk = 1;

	(void)state;
	sha256_init(&c);
	while (off < sizeof(input)) {
		size_t n = (chunk < sizeof(input) - off) ? chunk : sizeof(input) - off;

		sha256_update(&c, input + off, n);
		off += n;
		chunk = chunk * 3 % 257 + 1;
	}
	sha256_final(&c, a);
	reference(input, sizeof(input), b);
	assert_memory_equal(a, b, 32);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_abc),
		cmocka_unit_test(test_sha256_lengths),
		cmocka_unit_test(test_sha256_streaming),
	};
	size_t i;

	for (i = 0; i < sizeof(input); i++) {
		input[i] = (uint8_t)(i * 131u + 7u);
	}
	return cmocka_run_group_tests_name("rmm-sha256", tests, NULL, NULL);
}
