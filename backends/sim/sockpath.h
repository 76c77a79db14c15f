/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Where caec-simd listens, resolved the same way by daemon and library, and
 * whether a socket path can be trusted: nobody but the expected users can
 * have put (or replace) what sits there.
 */
#ifndef CAEC_SIM_SOCKPATH_H
#define CAEC_SIM_SOCKPATH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The default socket's name in its directory. */
#define SIM_SOCKET_NAME "caec-simd.sock"

/*
 * Resolve the socket path: explicit (non-NULL, non-empty) first, then the
 * CAEC_SIM_SOCKET environment variable, then
 * "$XDG_RUNTIME_DIR/caec-simd.sock", then
 * "/tmp/caec-simd-<euid>/caec-simd.sock" (a per-user directory, never a
 * name directly in the shared /tmp).  *is_default (may be NULL) tells
 * whether one of the last two was chosen: its directory must then belong
 * to this user alone (sim_dir_trusted(..., private_dir = true)).
 * Returns 0, or -ENAMETOOLONG if it does not fit buf (or a sockaddr_un).
 */
int sim_socket_path(const char *explicit_path, char *buf, size_t cap,
		    bool *is_default);

/* The per-user default directory, "/tmp/caec-simd-<euid>". */
int sim_default_dir(char *buf, size_t cap);

/*
 * Is the directory holding `path` safe for a socket: can nobody outside
 * `owners` (n of them; root is always trusted) create, remove or rename
 * entries in it, or swap any directory or symbolic link on the way to it?
 *
 * Every directory from / down to the socket's directory (both as written
 * and with symbolic links resolved) must be owned by a trusted user; every
 * directory on the way may be writable by group or others only if it is
 * sticky (then only an entry's owner can rename it, and the next entry is
 * checked to be trusted); the socket's own directory must not be writable
 * by group or others at all; each symbolic link on the way must be owned
 * by a trusted user.  With private_dir, the socket's directory must also be
 * owned by this process's effective user and have no group or other
 * permission bits (mode 0700 or less).
 *
 * Returns 0 (trusted); -ENOENT (a directory on the way does not exist);
 * -EACCES (not trusted: `why` says which directory and what is wrong);
 * -EPERM (a directory on the way cannot be searched by this user);
 * another negative errno if it cannot be examined.
 */
int sim_dir_trusted(const char *path, const uid_t *owners, size_t n,
		    bool private_dir, char *why, size_t whylen);

#endif
