/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A private caec-simd for a program that needs the simulated platform and
 * was given none (no --sim-socket, no $CAEC_SIM_SOCKET): the benchmarks
 * and caec-gpt2-split start one on a socket in a fresh directory of their
 * own, and stop it when they are done.  Its realms run as the daemon's
 * user, so it runs as a development platform (--allow-insecure-realms;
 * docs/sim-platform.md).
 */
#ifndef CAEC_TOOLS_SIMD_SPAWN_H
#define CAEC_TOOLS_SIMD_SPAWN_H

#include <stddef.h>
#include <sys/types.h>

struct simd_spawn {
	pid_t pid;      /* -1: not running */
	char dir[64];
	char sock[100]; /* the socket to pass as CAEC_SIM_SOCKET */
};

/*
 * Which caec-simd to start: given (an option), else $CAEC_SIMD, else
 * built (the build tree's, when the program knows it and it is there),
 * else "caec-simd" from PATH.
 */
const char *simd_spawn_exe(const char *given, const char *built);

/*
 * Start exe with its socket in a new /tmp/caec-<tag>-XXXXXX and wait until
 * it accepts connections (up to 5 s).  Returns 0, or -1 with the reason in
 * why.  Its stdout goes to /dev/null; its stderr is ours.
 */
int simd_spawn_start(struct simd_spawn *d, const char *exe, const char *tag,
		     char *why, size_t whylen);

/* SIGTERM (SIGKILL after 3 s), then remove its directory.  Idempotent. */
void simd_spawn_stop(struct simd_spawn *d);

#endif /* CAEC_TOOLS_SIMD_SPAWN_H */
