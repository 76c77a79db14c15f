/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Mutual attestation between two demo realms over an untrusted pipe: each
 * sends the other a fresh challenge, gets back an attestation token for it,
 * and verifies it with caec_verify_peer(): signed by the platform, fresh,
 * carrying the realm ID it was told, and measuring the same image as the
 * verifier (the demo's trust policy: "peers run my code").
 */
#ifndef CAEC_DEMO_PEER_CHECK_H
#define CAEC_DEMO_PEER_CHECK_H

#include <stdbool.h>
#include <stdint.h>

struct caec_ctx;

/*
 * Run both halves with the peer on (in, out).  The side with
 * challenge_first = true verifies first, then proves; the other proves,
 * then verifies.  Returns 0 or a negative caec_err (verification failed:
 * do not share).
 */
int demo_mutual_attest(struct caec_ctx *ctx, const char *who, int in, int out,
		       uint64_t peer, bool challenge_first);

#endif
