/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Region memory handed to third-party code as a read-only descriptor
 * (caec_region_export_fd()), and the other half of that promise: when this
 * realm's access ends, every mapping of the memory in this process goes,
 * not only the library's own (caec_priv_unmap_exports()).  Finding and
 * replacing those mappings is the OS's part (src/os/os.h).
 */
#include "internal.h"

#include <unistd.h>

/* Caller holds ctx->lock. */
void caec_priv_unmap_exports(struct caec_region *r)
{
	caec_os_unmap_files(r->exported, r->n_exported);
}

int caec_region_export_fd(struct caec_region *r, unsigned flags, int *fd)
{
	if (!r || !fd || flags != 0)
		return CAEC_E_INVAL;
	struct caec_ctx *ctx = r->ctx;
	if (caec_priv_forked(ctx))
		return CAEC_E_FORKED;
	if (!ctx->ops->export_fd)
		return CAEC_E_NOTSUP;
	caec_priv_poll(ctx);
	/*
	 * Under ctx->lock: a revocation (which holds it throughout) either
	 * finished before -- the region is unpublished and nothing is
	 * exported -- or starts after the descriptor's file is recorded, and
	 * then unmaps what the caller maps from it.
	 */
	pthread_mutex_lock(&ctx->lock);
	if (atomic_load(&r->revoked)) {
		pthread_mutex_unlock(&ctx->lock);
		return CAEC_E_REVOKED;
	}
	int nfd = -1;
	int rc = ctx->ops->export_fd(ctx->priv, &r->map, r->provider, &nfd);
	if (rc < 0) {
		pthread_mutex_unlock(&ctx->lock);
		return rc;
	}
	/* Distrust the platform: read-only, of the region's size, and the
	 * very file this realm maps (not, say, a sealed copy this realm has
	 * not attached yet). */
	struct caec_os_file f;
	rc = caec_os_export_check(nfd, r->map.size, r->map.addr, &f);
	if (rc == 0) {
		unsigned i;
		for (i = 0; i < r->n_exported; i++)
			if (r->exported[i].dev == f.dev && r->exported[i].ino == f.ino)
				break;
		if (i == r->n_exported) {
			if (i == CAEC_REGION_EXPORTS_MAX)
				rc = CAEC_E_RANGE; /* cannot happen: one file per
						    * mapping (a seal clears the
						    * list) */
			else
				r->exported[r->n_exported++] = f;
		}
	}
	pthread_mutex_unlock(&ctx->lock);
	if (rc < 0) {
		close(nfd);
		return rc;
	}
	*fd = nfd;
	return CAEC_OK;
}
