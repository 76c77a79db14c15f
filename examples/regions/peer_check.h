/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Mutual attestation between two demo realms over the platform's untrusted
 * channel (demo_platform's send/recv: pipes on Linux, the host's harness
 * in realms): each sends the other a fresh challenge, gets back an
 * attestation token for it, and verifies it with caec_verify_peer():
 * signed by the platform, fresh, carrying the realm ID it was told, and
 * measuring the same image as the verifier (the demo's trust policy:
 * "peers run my code").  The same code on both platforms.
 */
#ifndef CAEC_DEMO_PEER_CHECK_H
#define CAEC_DEMO_PEER_CHECK_H

#include <stdbool.h>
#include <stdint.h>

struct caec_ctx;
struct demo_platform;

/*
 * Run both halves with the peer (role peer_role, realm ID peer).  The side
 * with challenge_first = true verifies first, then proves; the other
 * proves, then verifies.  Returns 0 or a negative caec_err (verification
 * failed: do not share).
 */
int demo_mutual_attest(struct caec_ctx *ctx, const struct demo_platform *p, const char *who,
		       int peer_role, uint64_t peer, bool challenge_first);

#endif
