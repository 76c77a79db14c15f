/* SPDX-License-Identifier: Apache-2.0 */
/* caec-simd's listening socket: a safe place, one daemon per path. */
#ifndef CAEC_SIMD_LISTEN_H
#define CAEC_SIMD_LISTEN_H

#include <stdbool.h>

struct simd;

/*
 * Refuse a path in a directory others can write (sim_dir_trusted(); for
 * the default path the per-user directory is created 0700 and must be
 * ours alone), take "<path>.lock" (flock: a second daemon on the same path
 * exits without touching anything), remove only a stale socket of our own
 * (never a live daemon's, never another kind of file or another user's),
 * bind with mode o.socket_mode and listen.  0, or -1 with a message.
 */
int simd_listen_open(struct simd *d, const char *path, bool default_path);
/* Close; remove the socket if it is still the one we bound, and the lock. */
void simd_listen_close(struct simd *d);

#endif
