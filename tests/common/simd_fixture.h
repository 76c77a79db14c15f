/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test fixture: a private caec-simd per test.
 *
 * caec_test_start_simd() starts the daemon named by $CAEC_SIMD (set by the
 * test harness to the build's caec-simd) on a socket in a fresh temporary
 * directory, waits until it accepts connections, and exports
 * CAEC_SIM_SOCKET so that caec_open() in this process and its children
 * finds it.  Tests therefore never share a daemon and can run in parallel.
 */
#ifndef CAEC_TEST_SIMD_FIXTURE_H
#define CAEC_TEST_SIMD_FIXTURE_H

#include <sys/types.h>

struct caec_test_simd {
	pid_t pid;
	char dir[64];
	char sock[108];
};

/*
 * Start a daemon; extra_args is a NULL-terminated list of extra command
 * line arguments (or NULL).  Returns 0, or -1 with a message on stderr.
 */
int caec_test_start_simd(struct caec_test_simd *s, const char *const *extra_args);
/* SIGTERM, wait, remove the directory.  Returns the daemon's exit status
 * (0 on a clean shutdown), or -1 if it had to be killed or crashed. */
int caec_test_stop_simd(struct caec_test_simd *s);
/* SIGKILL, wait, remove the directory (simulates a platform crash). */
void caec_test_kill_simd(struct caec_test_simd *s);

#endif
