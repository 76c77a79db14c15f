/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared cmocka helpers: assertions on caec return values that print the
 * error's name and text (core/error) on failure, not just a number.
 * Every cmocka test that checks a caec return value uses these, from
 * tests/ and from each component's tests/ folder (caec_test_dep).
 *
 *   assert_caec_ok(rc)          rc >= 0: CAEC_OK or a count
 *   assert_caec_err(rc, want)   rc == want, an error code or CAEC_OK
 *   assert_caec_count(rc, n)    rc == n, a count (a length, 0/1 of a
 *                               predicate) from a call that may also fail
 */
#ifndef CAEC_TEST_H
#define CAEC_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include <caec/caec.h>

/* "CAEC_E_PEER: broken by a misbehaving peer earlier" for an error, the
 * plain number for CAEC_OK or a count. */
static inline const char *caec_test_describe(int rc, char *buf, size_t cap)
{
	if (rc < 0)
		snprintf(buf, cap, "%s: %s", caec_errname(rc), caec_strerror(rc));
	else
		snprintf(buf, cap, "%d", rc);
	return buf;
}

/* Fail unless rc == CAEC_OK or a non-negative count, naming the error. */
#define assert_caec_ok(rc)                                                     \
	do {                                                                   \
		int caec_rc_ = (rc);                                           \
		if (caec_rc_ < 0)                                              \
			fail_msg("%s = %d (%s: %s)", #rc, caec_rc_,            \
				 caec_errname(caec_rc_), caec_strerror(caec_rc_)); \
	} while (0)

/* Fail unless rc == want, naming both. */
#define assert_caec_err(rc, want)                                              \
	do {                                                                   \
		int caec_rc_ = (rc), caec_want_ = (want);                      \
		char caec_buf_[160];                                           \
		if (caec_rc_ != caec_want_)                                    \
			fail_msg("%s = %s, expected %s", #rc,                  \
				 caec_test_describe(caec_rc_, caec_buf_,       \
						    sizeof(caec_buf_)),        \
				 caec_errname(caec_want_));                    \
	} while (0)

/* Fail unless rc == n (a count), naming the error if rc is one. */
#define assert_caec_count(rc, n)                                               \
	do {                                                                   \
		int caec_rc_ = (rc), caec_n_ = (int)(n);                       \
		char caec_buf_[160];                                           \
		if (caec_rc_ != caec_n_)                                       \
			fail_msg("%s = %s, expected %d", #rc,                  \
				 caec_test_describe(caec_rc_, caec_buf_,       \
						    sizeof(caec_buf_)),        \
				 caec_n_);                                     \
	} while (0)

/* Scale factor for long tests: $CAEC_TEST_SCALE (default 1.0), used to
 * shorten loops under sanitizers. */
static inline double caec_test_scale(void)
{
	const char *s = getenv("CAEC_TEST_SCALE");
	double v = s ? atof(s) : 1.0;
	return v > 0 ? v : 1.0;
}

/* Run only the tests whose name matches $CAEC_TEST_FILTER (a cmocka
 * pattern, '*' wildcards), when set: one attack at a time. */
static inline void caec_test_filter(void)
{
	const char *f = getenv("CAEC_TEST_FILTER");
	if (f && *f)
		cmocka_set_test_filter(f);
}

#endif
