/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Readiness for a service manager: the sd_notify(3) datagram, without
 * libsystemd.  caec-simd.service is Type=notify, so units ordered after it
 * start only once the socket is bound and realms can connect.
 */
#ifndef CAEC_SIMD_NOTIFY_H
#define CAEC_SIMD_NOTIFY_H

/* Send `state` ("READY=1", "STOPPING=1", ...) to $NOTIFY_SOCKET.  Returns
 * 1 if sent, 0 if no service manager asked for it (NOTIFY_SOCKET unset),
 * -1 if it could not be sent (logged to stderr: the manager will time the
 * start out, and the log says why). */
int simd_notify(const char *state);

#endif
