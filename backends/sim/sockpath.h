/* SPDX-License-Identifier: Apache-2.0 */
/* Where caec-simd listens, resolved the same way by daemon and library. */
#ifndef CAEC_SIM_SOCKPATH_H
#define CAEC_SIM_SOCKPATH_H

#include <stddef.h>

/*
 * Resolve the socket path: explicit (non-NULL, non-empty) first, then the
 * CAEC_SIM_SOCKET environment variable, then
 * "$XDG_RUNTIME_DIR/caec-simd.sock", then "/tmp/caec-simd-<uid>.sock".
 * Returns 0, or -ENAMETOOLONG if it does not fit buf (or a sockaddr_un).
 */
int sim_socket_path(const char *explicit_path, char *buf, size_t cap);

#endif
