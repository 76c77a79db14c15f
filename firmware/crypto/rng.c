/* mbedTLS's random source in the firmware: RNDR (FEAT_RNG). */
#include <fw_crypto.h>

/* RNDR sets PSTATE.Z (and returns 0) when it has no value yet: retry. */
#define RNDR_TRIES	1000U

static int rndr(uint64_t *v)
{
	uint64_t isar0, ok = 0UL;
	unsigned int tries;

	__asm__ volatile("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
	if (((isar0 >> 60) & 0xFUL) == 0UL) {
		return -1;	/* no FEAT_RNG */
	}
	for (tries = 0U; tries < RNDR_TRIES && ok == 0UL; tries++) {
		__asm__ volatile("mrs %0, s3_3_c2_c4_0\n\tcset %1, ne"
				 : "=r"(*v), "=r"(ok) : : "cc");
	}
	return (ok != 0UL) ? 0 : -1;
}

int fw_crypto_rng(void *ctx, unsigned char *out, size_t len)
{
	size_t i, k;
	uint64_t v = 0UL;

	(void)ctx;
	for (i = 0U; i < len; i += 8U) {
		if (rndr(&v) != 0) {
			return -1;
		}
		for (k = 0U; k < 8U && i + k < len; k++) {
			out[i + k] = (unsigned char)(v >> (8U * k));
		}
	}
	v = 0UL;
	return 0;
}
