/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A capturing relay between realms and caec-simd: the test's stand-in for
 * "everything the hypervisor sees of the platform traffic".  It listens on
 * its own socket, connects every client through to the daemon, forwards
 * every packet both ways and records every byte.  Descriptors passed in
 * packets are forwarded too; a passed *socket* (the event channel) is
 * replaced by a relayed socketpair, so its traffic is captured as well.
 * Memory descriptors (the CSM region's memfd) pass through untouched: on
 * the real platform the hypervisor can never map that memory (GPC).
 */
#ifndef CAEC_TEST_COMM_RELAY_H
#define CAEC_TEST_COMM_RELAY_H

#include <stdbool.h>
#include <stddef.h>

struct relay;

/* Start relaying to the daemon at upstream; 0 or -errno. */
int relay_start(struct relay **out, const char *upstream);
/* The path clients should use (CAEC_SIM_SOCKET). */
const char *relay_path(const struct relay *r);
/* Stop the relay process; the capture stays readable until relay_free(). */
void relay_stop(struct relay *r);
/* Everything captured (both directions, all connections), in order. */
const unsigned char *relay_bytes(const struct relay *r, size_t *len);
size_t relay_packets(const struct relay *r);
size_t relay_sockets_proxied(const struct relay *r);
/* True if traffic was dropped from the capture (it is bounded). */
bool relay_overflowed(const struct relay *r);
void relay_free(struct relay *r);

#endif
