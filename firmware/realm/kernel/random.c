/*
 * getrandom(2) for applications: bytes from RNDR (FEAT_RNG).  The
 * architecture requires RNDR's output to come from a DRBG seeded by a
 * true entropy source, so the source is ready from the first call and
 * never blocks, and the flags select nothing.  Applications need it for
 * fresh attestation challenges (libcaec's proof of a pinned platform key,
 * a verifier's challenge to its peer).
 */
#include <string.h>

#include "kernel.h"

/* Bytes per call: Linux never returns fewer than asked up to 256; more may come short. */
#define RANDOM_MAX	4096U
/* RNDR sets PSTATE.Z (and returns 0) when it has no value yet: retry. */
#define RNDR_TRIES	1000U

static bool have_rndr(void)
{
	uint64_t isar0;

	__asm__ volatile("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
	return ((isar0 >> 60) & 0xFUL) != 0UL;
}

static bool rndr(uint64_t *v)
{
	uint64_t ok = 0UL;
	unsigned int tries;

	for (tries = 0U; tries < RNDR_TRIES && ok == 0UL; tries++) {
		__asm__ volatile("mrs %0, s3_3_c2_c4_0\n\tcset %1, ne" : "=r"(*v), "=r"(ok) : : "cc");
	}
	return ok != 0UL;
}

int64_t sys_getrandom(uint64_t ubuf, uint64_t len, uint64_t flags)
{
	static uint8_t buf[RANDOM_MAX];
	uint64_t v = 0UL;
	size_t i, k, n = (len > RANDOM_MAX) ? RANDOM_MAX : (size_t)len;
	int64_t ret;

	if ((flags & ~(uint64_t)(RGRND_NONBLOCK | RGRND_RANDOM | RGRND_INSECURE)) != 0U ||
	    (flags & (RGRND_RANDOM | RGRND_INSECURE)) == (RGRND_RANDOM | RGRND_INSECURE)) {
		return -RERR_EINVAL;
	}
	if (!user_range_ok(ubuf, n)) {
		return -RERR_EFAULT;
	}
	if (!have_rndr()) {
		return -RERR_ENOSYS;
	}
	for (i = 0U; i < n; i += 8U) {
		if (!rndr(&v)) {
			memset(buf, 0, sizeof(buf));
			return -RERR_EIO;
		}
		for (k = 0U; k < 8U && i + k < n; k++) {
			buf[i + k] = (uint8_t)(v >> (8U * k));
		}
	}
	ret = copy_to_user(ubuf, buf, n);
	memset(buf, 0, n);	/* nothing of it stays in the kernel */
	return (ret == 0) ? (int64_t)n : ret;
}
