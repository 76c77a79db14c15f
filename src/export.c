/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Region memory handed to third-party code as a read-only descriptor
 * (caec_region_export_fd()), and the other half of that promise: when this
 * realm's access ends, every mapping of the memory in this process goes,
 * not only the library's own (caec_priv_unmap_exports()).
 *
 * The library cannot know where a third-party engine mapped the memory, so
 * it asks the kernel: /proc/self/maps names the file (device and inode) of
 * every mapping.  Each mapping of a file a descriptor was exported from is
 * replaced by inaccessible memory, the range kept reserved, exactly as the
 * backends treat the library's own mapping on revocation.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* The whole of /proc/self/maps, NUL-terminated (malloc'd), or NULL. */
static char *read_maps(void)
{
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	size_t cap = 16384, n = 0;
	char *buf = NULL;

	if (fd < 0)
		return NULL;
	for (;;) {
		if (!buf || n + 4096 > cap) {
			char *nb = realloc(buf, buf ? cap *= 2 : cap);
			if (!nb) {
				free(buf);
				close(fd);
				return NULL;
			}
			buf = nb;
		}
		ssize_t r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			close(fd);
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = 0;
	return buf;
}

/* One line: "start-end perms offset major:minor inode [path]". */
static bool parse_line(const char *l, uintptr_t *lo, uintptr_t *hi, dev_t *dev,
		       uint64_t *ino)
{
	unsigned long long a, b, off, inode;
	unsigned maj, mn;
	char perms[8];

	if (sscanf(l, "%llx-%llx %7s %llx %x:%x %llu", &a, &b, perms, &off, &maj,
		   &mn, &inode) != 7 || b <= a)
		return false;
	*lo = (uintptr_t)a;
	*hi = (uintptr_t)b;
	*dev = makedev(maj, mn);
	*ino = inode;
	return true;
}

/* Which file the mapping containing addr maps: 0, or -1 if none/unknown. */
static int mapping_file(const void *addr, dev_t *dev, uint64_t *ino)
{
	char *maps = read_maps();
	int rc = -1;

	if (!maps)
		return -1;
	for (char *l = maps; l && *l;) {
		char *nl = strchr(l, '\n');
		uintptr_t lo, hi;
		if (nl)
			*nl = 0;
		if (parse_line(l, &lo, &hi, dev, ino) && (uintptr_t)addr >= lo &&
		    (uintptr_t)addr < hi) {
			rc = *ino ? 0 : -1;
			break;
		}
		l = nl ? nl + 1 : NULL;
	}
	free(maps);
	return rc;
}

/* Caller holds ctx->lock. */
void caec_priv_unmap_exports(struct caec_region *r)
{
	if (r->n_exported == 0)
		return;
	char *maps = read_maps();
	if (!maps)
		return; /* cannot happen: export checked that maps is readable */
	for (char *l = maps; *l;) {
		char *nl = strchr(l, '\n');
		uintptr_t lo, hi;
		dev_t dev;
		uint64_t ino;
		if (nl)
			*nl = 0;
		if (parse_line(l, &lo, &hi, &dev, &ino))
			for (unsigned i = 0; i < r->n_exported; i++)
				if (r->exported[i].dev == (uint64_t)dev &&
				    r->exported[i].ino == ino) {
					/* keep the range reserved: stale pointers
					 * fault instead of reading what lands
					 * there next */
					(void)mmap((void *)lo, hi - lo, PROT_NONE,
						   MAP_PRIVATE | MAP_ANONYMOUS |
							   MAP_FIXED | MAP_NORESERVE,
						   -1, 0);
					break;
				}
		if (!nl)
			break;
		l = nl + 1;
	}
	free(maps);
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
	/*
	 * Under ctx->lock: a revocation (which holds it throughout) either
	 * finished before -- the region is revoked and nothing is exported --
	 * or starts after the descriptor's file is recorded, and then unmaps
	 * what the caller maps from it.
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
	/* Distrust the platform: read-only, and the very file this realm
	 * maps (a seal by copy replaces a consumer's memory, see above). */
	struct stat st;
	dev_t mdev;
	uint64_t mino;
	int acc = fcntl(nfd, F_GETFL);
	if (acc < 0 || (acc & O_ACCMODE) != O_RDONLY || fstat(nfd, &st) < 0 ||
	    !S_ISREG(st.st_mode) || (uint64_t)st.st_size != r->map.size) {
		rc = CAEC_E_PROTO;
	} else if (mapping_file(r->map.addr, &mdev, &mino) < 0) {
		rc = CAEC_E_PLATFORM; /* /proc/self/maps unreadable: could not
				       * keep the revocation promise */
	} else if (mdev != st.st_dev || mino != (uint64_t)st.st_ino) {
		rc = CAEC_E_STATE;
	} else {
		unsigned i;
		for (i = 0; i < r->n_exported; i++)
			if (r->exported[i].dev == (uint64_t)st.st_dev &&
			    r->exported[i].ino == (uint64_t)st.st_ino)
				break;
		if (i == r->n_exported) {
			if (i == CAEC_REGION_EXPORTS_MAX)
				rc = CAEC_E_RANGE; /* cannot happen: one file
						    * per mapping */
			else
				r->exported[r->n_exported++] =
					(struct caec_export_file){
						(uint64_t)st.st_dev,
						(uint64_t)st.st_ino };
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
