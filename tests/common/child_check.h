/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Checks for forked children of a test: a failed check prints where and
 * why, then _exit(1)s, so that cmocka's failure path runs only in the test
 * process, which reads the child's exit status.
 */
#ifndef CAEC_TEST_CHILD_CHECK_H
#define CAEC_TEST_CHILD_CHECK_H

#include <stdio.h>
#include <unistd.h>

#include <caec/error.h>

#define CHILD_CHECK(cond)                                                       \
	do {                                                                    \
		if (!(cond)) {                                                  \
			fprintf(stderr, "child %d: %s:%d: check failed: %s\n",  \
				(int)getpid(), __FILE__, __LINE__, #cond);      \
			_exit(1);                                               \
		}                                                               \
	} while (0)

#define CHILD_RC(rc, want)                                                      \
	do {                                                                    \
		int r_ = (rc), w_ = (want);                                     \
		if (r_ != w_) {                                                 \
			fprintf(stderr, "child %d: %s:%d: %s = %s, want %s\n",  \
				(int)getpid(), __FILE__, __LINE__, #rc,         \
				caec_errname(r_), caec_errname(w_));            \
			_exit(1);                                               \
		}                                                               \
	} while (0)

#define CHILD_OK(rc)                                                            \
	do {                                                                    \
		int r_ = (rc);                                                  \
		if (r_ < 0) {                                                   \
			fprintf(stderr, "child %d: %s:%d: %s = %s\n",           \
				(int)getpid(), __FILE__, __LINE__, #rc,         \
				caec_errname(r_));                              \
			_exit(1);                                               \
		}                                                               \
	} while (0)

#endif
