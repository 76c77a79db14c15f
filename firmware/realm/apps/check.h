/*
 * Check lines of the realm kernel's test applications: every call's raw
 * result next to the expected one, "ok" or "FAIL", so that the QEMU test
 * can assert on each line and a wrong result is visible.
 */
#ifndef APPS_CHECK_H
#define APPS_CHECK_H

#include <stdio.h>

#include <user/sys.h>

static int check_failures;

/* `got` must equal `want` (a value >= 0, or -RERR_*). */
static inline void expect(const char *what, long got, long want)
{
	int ok = got == want;

	printf("check: %s -> %s (expected %s) %s\n", what, sys_errname(got), sys_errname(want),
	       ok ? "ok" : "FAIL");
	if (!ok) {
		printf("FAIL: %s returned %ld\n", what, got);
		check_failures++;
	}
}

static inline void expect_true(const char *what, int cond)
{
	printf("check: %s %s\n", what, cond ? "ok" : "FAIL");
	check_failures += !cond;
}

#endif /* APPS_CHECK_H */
