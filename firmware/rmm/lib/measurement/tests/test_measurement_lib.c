/*
 * lib/measurement against the RMM v1.0 measurement descriptors built here
 * byte by byte at the specification's offsets and hashed with mbedTLS: the
 * RIM's initial value (only the measured RmiRealmParams fields count), the
 * DATA, REC and RIPAS extensions.  The library streams its parameter
 * blocks through the firmware's own SHA-256; this test builds them whole.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <mbedtls/sha256.h>
#include <measurement.h>
#include <smc-rmi.h>
#include <string.h>

#define DESC_SIZE	0x100U

static void ref_sha256(const void *p, size_t len, uint8_t out[32])
{
	assert_int_equal(0, mbedtls_sha256_ret(p, len, out, 0));
}

static void put64(uint8_t *d, size_t off, uint64_t v)
{
	memcpy(d + off, &v, sizeof(v));	/* little-endian, as the RMM's */
}

/* A descriptor's common head: type, length 0x100, the current RIM. */
static void desc_head(uint8_t d[DESC_SIZE], uint8_t type, const uint8_t rim[32])
{
	memset(d, 0, DESC_SIZE);
	d[0] = type;
	put64(d, 0x08, DESC_SIZE);
	memcpy(d + 0x10, rim, 32);
}

static void fill(void *p, size_t len, uint8_t seed)
{
	uint8_t *b = p;
	size_t i;

	for (i = 0; i < len; i++) {
		b[i] = (uint8_t)(seed + i * 7U);
	}
}

static void test_realm_init(void **state)
{
	static struct rmi_realm_params p, kept;
	uint8_t rim[32], want[32], other[32];

	(void)state;
	fill(&p, sizeof(p), 0x5A);	/* every byte set, padding included */
	/* Only flags .. hash_algo (0x000..0x030) are measured. */
	memset(&kept, 0, sizeof(kept));
	memcpy(&kept, &p, 0x31);
	ref_sha256(&kept, sizeof(kept), want);
	measurement_realm_init(&p, rim);
	assert_memory_equal(want, rim, 32);

	/* What is not measured does not change it... */
	p.vmid ^= 1;
	p.rtt_base ^= 0x1000;
	p.rpv[5] ^= 0xFF;
	p.rtt_num_start ^= 2;
	measurement_realm_init(&p, other);
	assert_memory_equal(rim, other, 32);
	/* ...and each measured field does. */
	p.s2sz ^= 1;
	measurement_realm_init(&p, other);
	assert_memory_not_equal(rim, other, 32);
	p.s2sz ^= 1;
	p.hash_algo ^= 1;
	measurement_realm_init(&p, other);
	assert_memory_not_equal(rim, other, 32);
}

static void test_data_extend(void **state)
{
	static uint8_t content[GRANULE_SIZE];
	uint8_t rim[32], want[32], d[DESC_SIZE], start[32];
	const uint64_t ipa = 0x40123000UL;

	(void)state;
	fill(start, sizeof(start), 0x11);
	fill(content, sizeof(content), 0x77);

	/* Measured content: its SHA-256 at 0x60. */
	desc_head(d, MEASURE_DESC_TYPE_DATA, start);
	put64(d, 0x50, ipa);
	put64(d, 0x58, RMI_MEASURE_CONTENT);
	ref_sha256(content, sizeof(content), d + 0x60);
	ref_sha256(d, sizeof(d), want);
	memcpy(rim, start, 32);
	measurement_data_extend(rim, ipa, RMI_MEASURE_CONTENT, content);
	assert_memory_equal(want, rim, 32);

	/* Unmeasured content: zeros there, whatever the content. */
	desc_head(d, MEASURE_DESC_TYPE_DATA, start);
	put64(d, 0x50, ipa);
	ref_sha256(d, sizeof(d), want);
	memcpy(rim, start, 32);
	measurement_data_extend(rim, ipa, 0, content);
	assert_memory_equal(want, rim, 32);
	content[9] ^= 1;
	memcpy(rim, start, 32);
	measurement_data_extend(rim, ipa, 0, content);
	assert_memory_equal(want, rim, 32);
}

static void test_rec_extend(void **state)
{
	static struct rmi_rec_params p, kept;
	uint8_t rim[32], want[32], start[32], d[DESC_SIZE];

	(void)state;
	fill(start, sizeof(start), 0x22);
	fill(&p, sizeof(p), 0x33);
	/* Not runnable: no extension at all. */
	p.flags = 0;
	memcpy(rim, start, 32);
	measurement_rec_extend(rim, &p);
	assert_memory_equal(start, rim, 32);

	/* Runnable: the hash of the params with only flags, pc, gprs kept
	 * (not mpidr, num_aux, the auxiliary granules or padding). */
	p.flags = REC_PARAMS_FLAG_RUNNABLE;
	memset(&kept, 0, sizeof(kept));
	kept.flags = p.flags;
	kept.pc = p.pc;
	memcpy(kept.gprs, p.gprs, sizeof(kept.gprs));
	desc_head(d, MEASURE_DESC_TYPE_REC, start);
	ref_sha256(&kept, sizeof(kept), d + 0x50);
	ref_sha256(d, sizeof(d), want);
	memcpy(rim, start, 32);
	measurement_rec_extend(rim, &p);
	assert_memory_equal(want, rim, 32);

	p.mpidr ^= 1;
	p.aux[3] ^= 0x1000;
	memcpy(rim, start, 32);
	measurement_rec_extend(rim, &p);
	assert_memory_equal(want, rim, 32);
	p.gprs[7] ^= 1;
	memcpy(rim, start, 32);
	measurement_rec_extend(rim, &p);
	assert_memory_not_equal(want, rim, 32);
}

/* One RIPAS descriptor per entry of [base, top), the last one cut at top. */
static void test_ripas_extend(void **state)
{
	const uint64_t base = 0x40000000UL, mb2 = 0x200000UL;
	const uint64_t top = base + 2 * mb2 + 0x3000;
	const uint64_t bounds[][2] = {
		{ base, base + mb2 }, { base + mb2, base + 2 * mb2 }, { base + 2 * mb2, top },
	};
	uint8_t rim[32], want[32], d[DESC_SIZE];
	size_t i;

	(void)state;
	fill(want, sizeof(want), 0x44);
	memcpy(rim, want, 32);
	for (i = 0; i < 3; i++) {
		desc_head(d, MEASURE_DESC_TYPE_RIPAS, want);
		put64(d, 0x50, bounds[i][0]);
		put64(d, 0x58, bounds[i][1]);
		ref_sha256(d, sizeof(d), want);
	}
	measurement_ripas_extend_level(rim, base, top, mb2);
	assert_memory_equal(want, rim, 32);

	/* Level-3 entries: one descriptor per 4 KB. */
	fill(want, sizeof(want), 0x55);
	memcpy(rim, want, 32);
	for (i = 0; i < 3; i++) {
		desc_head(d, MEASURE_DESC_TYPE_RIPAS, want);
		put64(d, 0x50, base + i * GRANULE_SIZE);
		put64(d, 0x58, base + (i + 1) * GRANULE_SIZE);
		ref_sha256(d, sizeof(d), want);
	}
	measurement_ripas_extend(rim, base, base + 3 * GRANULE_SIZE);
	assert_memory_equal(want, rim, 32);
	/* An empty range measures nothing. */
	measurement_ripas_extend(rim, base, base);
	assert_memory_equal(want, rim, 32);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_realm_init),
		cmocka_unit_test(test_data_extend),
		cmocka_unit_test(test_rec_extend),
		cmocka_unit_test(test_ripas_extend),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
