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
 *
 * The daemon admits insecure realms (--allow-insecure-realms): the test
 * processes run as the daemon's user (root in CI), so their memory cannot
 * be isolated from their own user.  Tests of that isolation use
 * caec_test_start_simd_secure() and run their realms as other users.
 */
int caec_test_start_simd(struct caec_test_simd *s, const char *const *extra_args);

/*
 * As caec_test_start_simd(), but the daemon admits only realms it can
 * isolate (no --allow-insecure-realms) and lets every user connect: its
 * directory is made 0711 (searchable, not listable, not writable) and its
 * socket 0666.  Realms must then run as unprivileged users other than the
 * daemon's (caec_test_drop_to()).
 */
int caec_test_start_simd_secure(struct caec_test_simd *s, const char *const *extra_args);

/*
 * Become an unprivileged user: uid and gid `id`, no supplementary groups
 * (what `setpriv --reuid=id --regid=id --clear-groups` does).  For a forked
 * child of a root test.  Returns 0 or -1.
 */
int caec_test_drop_to(unsigned id);

/*
 * A throwaway uid/gid for this test process: base + k, k < 16, distinct
 * between concurrently running tests (derived from the process ID).
 */
unsigned caec_test_uid(unsigned k);
/* SIGTERM, wait, remove the directory.  Returns the daemon's exit status
 * (0 on a clean shutdown), or -1 if it had to be killed or crashed. */
int caec_test_stop_simd(struct caec_test_simd *s);
/* SIGKILL, wait, remove the directory (simulates a platform crash). */
void caec_test_kill_simd(struct caec_test_simd *s);

#endif
