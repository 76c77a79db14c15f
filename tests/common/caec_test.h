/* SPDX-License-Identifier: Apache-2.0 */
/* Shared cmocka helpers: assertions that print libcaec's own error text. */
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

/* Fail unless rc == CAEC_OK (or a non-negative count), naming the error. */
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
		if (caec_rc_ != caec_want_)                                    \
			fail_msg("%s = %d (%s), expected %s", #rc, caec_rc_,   \
				 caec_errname(caec_rc_), caec_errname(caec_want_)); \
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
