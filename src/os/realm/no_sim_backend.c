/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The sim backend in a realm: it needs caec-simd over a Unix socket and
 * memfds, neither of which a realm has.  caec_open() with backend "sim"
 * fails with CAEC_E_NOTSUP here; every other entry is unreachable.
 */
#include <caec/error.h>

#include <backend/backend.h>

static int sim_open(struct caec_ctx *ctx, const struct caec_config *cfg, void **priv,
		    uint64_t *self_id, uint32_t *flags)
{
	(void)ctx;
	(void)cfg;
	(void)priv;
	(void)self_id;
	(void)flags;
	return CAEC_E_NOTSUP;
}

static void sim_close(void *priv, bool forked)
{
	(void)priv;
	(void)forked;
}

const struct caec_backend_ops caec_backend_sim = {
	.name = "sim",
	.open = sim_open,
	.close = sim_close,
};
