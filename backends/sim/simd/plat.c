/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec-simd's implementation of the CSM platform interface: what the RMM
 * does with stage-2 tables and granules, the simulator does with memfds,
 * descriptors and events.
 *
 * Region memory is a memfd created by the daemon, so its inode belongs to
 * the daemon's user: a realm of another user cannot change its mode,
 * reopen it with more access than its descriptor gives, or see it through
 * /proc.  Its size is sealed (F_SEAL_SHRINK | F_SEAL_GROW) from the start.
 * Adding seals needs a writable descriptor; before a consumer gets one
 * (a read-write attach) the daemon adds F_SEAL_SEAL, so no consumer can
 * ever add a seal (F_SEAL_FUTURE_WRITE would lock out later writers,
 * F_SEAL_SEAL would block sealing).  Such a region is sealed by copying it
 * into a new memfd sealed against writes (see op_seal in handlers.c); its
 * attachments are revoked first, since the old memfd stays writable for
 * whoever kept a writable mapping of it.
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
	(void)region_id;
	(void)base;
	struct simd_client *prov = (struct simd_client *)(uintptr_t)prov_cookie;
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
	/* Owner (the daemon's user) only: other users can neither open it
	 * through /proc nor change this. */
	if (fchmod(m->fd, 0600) < 0)
		goto fail;
	m->size = size;
	m->sealable_in_place = true;
	m->acct = prov->acct;
	m->acct->regions++;
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

static void scrub_close(int fd, uint64_t size)
{
	if (fd < 0)
		return;
	/* Free the pages now, so any mapping a misbehaving process kept
	 * reads zeros from here on.  A sealed memfd refuses hole punching;
	 * its content is public to its consumers by design. */
	(void)fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, (off_t)size);
	close(fd);
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
	scrub_close(m->fd, size);
	if (m->acct && m->acct->regions)
		m->acct->regions--;
	free(m);
}

int simd_mem_lock_seals(struct simd_mem *m)
{
	if (!m->sealable_in_place)
		return 0;
	if (fcntl(m->fd, F_ADD_SEALS, F_SEAL_SEAL) < 0)
		return CAEC_E_PLATFORM;
	m->sealable_in_place = false;
	return 0;
}

static int plat_map(void *plat, const struct csm_mapping *mp)
{
	/* The ATTACH handler sends the descriptor once the state machine
	 * has committed the attach.  While a seal by copy is under way, the
	 * descriptor would be of the memory being replaced -- which a
	 * revoked read-write consumer may still map and write -- so the
	 * attach is refused until the sealed copy is in place. */
	(void)plat;
	const struct simd_mem *m = (const struct simd_mem *)(uintptr_t)mp->mem_cookie;
	return m->copy_sealing ? CAEC_E_BUSY : 0;
}

static void plat_unmap(void *plat, const struct csm_mapping *mp,
		       enum csm_unmap_reason why)
{
	struct simd *d = plat;

	if (why == CSM_UNMAP_DETACH)
		return; /* the consumer unmapped before asking */
	struct simd_client *c = (struct simd_client *)(uintptr_t)mp->realm_cookie;
	if (c->dead)
		return;
	simd_send_event(d, c, SIMD_EV_REVOKED, mp->grant_id, 0);
	if (!c->dead)
		(void)simd_expect_ack(d, c, mp->grant_id);
}

/*
 * Sealing runs in two phases around a worker job (handlers.c, op_seal):
 *
 *  PREPARE, in the loop, after the state machine's checks: choose how the
 *  worker freezes the memory -- in place, with F_SEAL_WRITE (the kernel
 *  refuses while any writable shared mapping of it exists anywhere, and
 *  afterwards refuses every write and writable mapping), or, if a consumer
 *  was ever given a writable descriptor (F_SEAL_SEAL is set, no seal can
 *  be added), by sealing a copy (the handler then revokes the region's
 *  attachments).  Report CAEC_E_BUSY: the state machine changes nothing.
 *  F_SEAL_WRITE is not added here: while pages are pinned the kernel
 *  waits for them (about 150 ms) before failing, and the loop must not
 *  wait on what a client controls.
 *
 *  COMMIT, in the loop, when the worker has frozen and hashed (and
 *  copied) and, after a copy, every revoked consumer has acknowledged or
 *  been disconnected: report the hash; the state machine records the
 *  region as sealed.
 */
static int plat_seal(void *plat, uint64_t prov_cookie, uint64_t region_id,
		     uint64_t mem_cookie, uint64_t size, uint8_t *hash,
		     size_t cap, size_t *len)
{
	struct simd *d = plat;
	(void)prov_cookie;
	struct simd_mem *m = (struct simd_mem *)(uintptr_t)mem_cookie;
	struct simd_job *j = d->seal_job;
	if (cap < 32)
		return CAEC_E_RANGE;
	if (!j)
		return CAEC_E_PLATFORM;
	if (d->seal_phase == SIMD_SEAL_PREPARE) {
		j->mem = m;
		j->region_id = region_id;
		j->size = size;
		if (m->sealable_in_place) {
			j->copy = false;
			j->src_fd = m->fd; /* frozen by the worker first */
		} else {
			j->copy = true;
		}
		return CAEC_E_BUSY;
	}
	if (j->mem != m || j->rc < 0)
		return CAEC_E_PLATFORM;
	memcpy(hash, j->hash, 32);
	*len = 32;
	return 0;
}

static void plat_peer_event(void *plat, uint64_t prov_cookie,
			    uint64_t region_id, uint64_t grant_id,
			    enum csm_peer_event ev)
{
	struct simd *d = plat;
	struct simd_client *c = (struct simd_client *)(uintptr_t)prov_cookie;
	if (c->dead)
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
