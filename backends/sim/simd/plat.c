/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec-simd's implementation of the CSM platform interface: what the RMM
 * does with stage-2 tables and granules, the simulator does with memfds,
 * descriptors and events.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "simd.h"

/* The daemon's metadata is its own heap; nothing is charged per realm. */
static void *plat_alloc(void *plat, enum csm_alloc_kind kind, uint64_t owner,
			size_t size)
{
	(void)plat;
	(void)kind;
	(void)owner;
	return calloc(1, size);
}

static void plat_free(void *plat, enum csm_alloc_kind kind, uint64_t owner,
		      void *ptr, size_t size)
{
	(void)plat;
	(void)kind;
	(void)owner;
	(void)size;
	free(ptr);
}

static int plat_entropy(void *plat, void *buf, size_t len)
{
	(void)plat;
	unsigned char *p = buf;
	while (len) {
		ssize_t n = getrandom(p, len, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return CAEC_E_PLATFORM;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int plat_region_create(void *plat, uint64_t prov_cookie,
			      uint64_t region_id, uint64_t base, uint64_t size,
			      uint64_t *mem_cookie)
{
	(void)plat;
	(void)prov_cookie;
	(void)region_id;
	(void)base;
	struct simd_mem *m = calloc(1, sizeof(*m));
	if (!m)
		return CAEC_E_NOMEM;
	m->fd = memfd_create("caec-region", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (m->fd < 0)
		goto fail;
	if (ftruncate(m->fd, (off_t)size) < 0)
		goto fail;
	/* Fix the size for good: nobody holding a descriptor can shrink it
	 * (SIGBUS in every other mapping) or grow it. */
	if (fcntl(m->fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW) < 0)
		goto fail;
	/* Owner read-only: a read-only consumer that kept its descriptor
	 * cannot reopen it read-write through /proc/self/fd (a process with
	 * CAP_DAC_OVERRIDE still can: see docs/sim-platform.md). */
	if (fchmod(m->fd, 0400) < 0)
		goto fail;
	m->size = size;
	*mem_cookie = (uint64_t)(uintptr_t)m;
	return 0;
fail:;
	int e = errno;
	if (m->fd >= 0)
		close(m->fd);
	free(m);
	return (e == ENOMEM || e == ENOSPC || e == EMFILE || e == ENFILE ||
		e == EFBIG) ? CAEC_E_NOMEM : CAEC_E_PLATFORM;
}

static void plat_region_release(void *plat, uint64_t prov_cookie,
				uint64_t region_id, uint64_t mem_cookie,
				uint64_t size, bool provider_dead)
{
	(void)plat;
	(void)prov_cookie;
	(void)region_id;
	(void)provider_dead;
	struct simd_mem *m = (struct simd_mem *)(uintptr_t)mem_cookie;
	/* Scrub: free the pages now, so any mapping a misbehaving process
	 * kept reads zeros from here on.  A sealed memfd refuses hole
	 * punching; its content is public to its consumers by design. */
	(void)fallocate(m->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0,
			(off_t)size);
	close(m->fd);
	free(m);
}

static int plat_map(void *plat, const struct csm_mapping *mp)
{
	/* The ATTACH handler sends the descriptor once the state machine
	 * has committed the attach; nothing to prepare here. */
	(void)plat;
	(void)mp;
	return 0;
}

static void plat_unmap(void *plat, const struct csm_mapping *mp,
		       enum csm_unmap_reason why)
{
	struct simd *d = plat;

	if (why == CSM_UNMAP_DETACH)
		return; /* the consumer unmapped before asking */
	struct simd_client *c = simd_client_by_serial(d, mp->realm_cookie);
	if (!c || c->dead)
		return;
	simd_send_event(d, c, SIMD_EV_REVOKED, mp->grant_id, 0);
	if (!c->dead)
		(void)simd_expect_ack(d, c, mp->grant_id);
}

static int plat_seal(void *plat, uint64_t prov_cookie, uint64_t region_id,
		     uint64_t mem_cookie, uint64_t size, uint8_t *hash,
		     size_t cap, size_t *len)
{
	(void)plat;
	(void)prov_cookie;
	(void)region_id;
	struct simd_mem *m = (struct simd_mem *)(uintptr_t)mem_cookie;
	if (cap < 32)
		return CAEC_E_RANGE;
	/* F_SEAL_WRITE is refused (EBUSY) while any writable shared mapping
	 * exists: the provider dropped its own before asking, and the state
	 * machine refuses to seal while a read-write grant exists.  Once it
	 * is set, no process can write or map writable, ever. */
	if (fcntl(m->fd, F_ADD_SEALS, F_SEAL_WRITE) < 0)
		return errno == EBUSY ? CAEC_E_STATE : CAEC_E_PLATFORM;
	if (simd_hash_fd(m->fd, size, hash) < 0)
		return CAEC_E_PLATFORM; /* sealed but unhashed: cannot happen for a memfd */
	*len = 32;
	return 0;
}

static void plat_peer_event(void *plat, uint64_t prov_cookie,
			    uint64_t region_id, uint64_t grant_id,
			    enum csm_peer_event ev)
{
	struct simd *d = plat;
	struct simd_client *c = simd_client_by_serial(d, prov_cookie);
	if (!c || c->dead)
		return;
	simd_send_event(d, c, ev == CSM_PEER_ATTACHED ? SIMD_EV_PEER_ATTACHED :
			SIMD_EV_PEER_DETACHED, region_id, grant_id);
}

const struct csm_plat_ops simd_plat_ops = {
	.alloc = plat_alloc,
	.free = plat_free,
	.entropy = plat_entropy,
	.region_create = plat_region_create,
	.region_release = plat_region_release,
	.map = plat_map,
	.unmap = plat_unmap,
	.seal = plat_seal,
	.peer_event = plat_peer_event,
};
