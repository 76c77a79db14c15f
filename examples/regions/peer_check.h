/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CAEC_DEMO_PEER_CHECK_H
#define CAEC_DEMO_PEER_CHECK_H

#include <stdint.h>

struct caec_ctx;

/*
 * Decide whether `peer` is a realm this one should share with, before
 * granting to it or attaching its share.  Returns 0 to go ahead or a
 * negative caec_err.
 */
int demo_check_peer(struct caec_ctx *ctx, const char *who, uint64_t peer);

#endif
