/* SPDX-License-Identifier: Apache-2.0 */
/* Built without attestation support: only a sanity check of the ID. */
#include <stdio.h>

#include <caec/caec.h>

#include "peer_check.h"

int demo_check_peer(struct caec_ctx *ctx, const char *who, uint64_t peer)
{
	uint64_t self;
	int rc = caec_self_id(ctx, &self);
	if (rc < 0)
		return rc;
	if (peer == 0 || peer == self)
		return CAEC_E_REALM_ID;
	printf("[%-8s] peer %016llx: no attestation in this build, trusting its ID\n",
	       who, (unsigned long long)peer);
	return 0;
}
