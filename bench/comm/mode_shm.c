/* SPDX-License-Identifier: Apache-2.0 */
/*
 * shm-plain: hypervisor-visible shared memory, no cryptography.
 *
 * The shared block is a memfd both realm processes map MAP_SHARED: on a
 * real CCA system this is Normal-world memory the host can read and write
 * (the ivshmem / virtio-shared-buffer pattern).  It is the upper bound on
 * speed and the lower bound on security.  Also holds the helpers every
 * shmring-based mode uses (comm_shmx_*).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "comm.h"

static struct comm_shmx *shmx(struct comm_chan *ch) { return ch->priv; }

static struct comm_shmx *shmx_get(struct comm_chan *ch)
{
	if (!ch->priv) {
		struct comm_shmx *x = calloc(1, sizeof(*x));
		if (!x)
			return NULL;
		x->memfd = -1;
		ch->priv = x;
	}
	return ch->priv;
}

int comm_shmx_prepare_memfd(struct comm_chan *ch, const char *name)
{
	struct comm_shmx *x = shmx_get(ch);
	if (!x)
		return -ENOMEM;
	x->bytes = shmring_bytes(ch->opts->ring_bytes);
	x->memfd = memfd_create(name, MFD_CLOEXEC);
	if (x->memfd < 0) {
		int e = -errno;
		snprintf(ch->why, sizeof(ch->why), "memfd_create: %s",
			 strerror(-e));
		return e;
	}
	if (ftruncate(x->memfd, (off_t)x->bytes) < 0) {
		int e = -errno;
		snprintf(ch->why, sizeof(ch->why), "ftruncate: %s",
			 strerror(-e));
		return e;
	}
	void *p = mmap(NULL, x->bytes, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_POPULATE, x->memfd, 0);
	if (p == MAP_FAILED) {
		int e = -errno;
		snprintf(ch->why, sizeof(ch->why), "mmap: %s", strerror(-e));
		return e;
	}
	x->base = p;
	return 0;
}

/*
 * Map every page of the shared block in this process now, so that no mode
 * pays page faults inside the measurement (fork() does not copy the page
 * tables of shared mappings, and libcaec maps CSM regions lazily).  The
 * content is not touched.
 */
void comm_prefault(void *base, size_t bytes)
{
#ifdef MADV_POPULATE_WRITE
	if (madvise(base, bytes, MADV_POPULATE_WRITE) == 0)
		return;
#endif
	volatile const unsigned char *p = base;
	for (size_t off = 0; off < bytes; off += 4096)
		(void)p[off];
}

int comm_shmx_open(struct comm_chan *ch, size_t extra)
{
	struct comm_shmx *x = shmx(ch);
	if (!x || !x->base)
		return -EINVAL;
	comm_prefault(x->base, x->bytes);
	x->ring = shmring_new(x->base, x->bytes, ch->opts->max_slots, extra);
	if (!x->ring)
		return -ENOMEM;
	x->buflen = ch->opts->max_msg + extra + 64;
	if (ch->role == COMM_TX)
		x->txbuf = comm_alloc(x->buflen);
	else
		x->rxbuf = comm_alloc(x->buflen);
	if (!x->txbuf && !x->rxbuf)
		return -ENOMEM;
	return 0;
}

int comm_shmx_configure(struct comm_chan *ch, size_t size)
{
	return shmring_configure(shmx(ch)->ring, size);
}

int comm_shmx_tx_wait(struct comm_chan *ch, uint64_t seq)
{
	return shmring_tx_wait(shmx(ch)->ring, seq);
}

int comm_shmx_rx_put(struct comm_chan *ch, uint64_t seq, bool ack)
{
	(void)ack; /* the head index is the ack */
	shmring_rx_release(shmx(ch)->ring, seq);
	return 0;
}

void comm_shmx_close(struct comm_chan *ch)
{
	struct comm_shmx *x = shmx(ch);
	if (!x)
		return;
	shmring_free(x->ring);
	x->ring = NULL;
	comm_free(x->txbuf, x->buflen);
	comm_free(x->rxbuf, x->buflen);
	x->txbuf = x->rxbuf = NULL;
}

void comm_shmx_host_view(struct comm_chan *ch, const void **p, size_t *len)
{
	struct comm_shmx *x = shmx(ch);
	*p = x && x->memfd >= 0 ? x->base : NULL;
	*len = x && x->memfd >= 0 ? x->bytes : 0;
}

void comm_shmx_unprepare(struct comm_chan *ch)
{
	struct comm_shmx *x = shmx(ch);
	if (!x)
		return;
	if (x->base && x->memfd >= 0)
		munmap(x->base, x->bytes);
	if (x->memfd >= 0)
		close(x->memfd);
	free(x);
	ch->priv = NULL;
}

void *comm_shmx_tx_private(struct comm_chan *ch, size_t len, uint64_t seq)
{
	(void)seq;
	struct comm_shmx *x = shmx(ch);
	return len <= ch->opts->max_msg ? x->txbuf : NULL;
}

/* Copy modes: private payload -> shared slot, publish. */
int comm_shmx_tx_copy(struct comm_chan *ch, size_t len, uint64_t seq)
{
	struct comm_shmx *x = shmx(ch);
	void *slot = shmring_tx_slot(x->ring, seq);
	if (!slot)
		return -ETIMEDOUT;
	memcpy(slot, x->txbuf, len);
	return shmring_tx_publish(x->ring, seq, len);
}

int comm_shmx_rx_wait(struct comm_chan *ch, uint64_t seq)
{
	void *slot;
	size_t n;
	return shmring_rx_slot(shmx(ch)->ring, seq, &slot, &n);
}

/* Copy modes: shared slot -> private copy (what the receiver then uses). */
int comm_shmx_rx_copy(struct comm_chan *ch, uint64_t seq, const void **p,
		      size_t *len)
{
	struct comm_shmx *x = shmx(ch);
	void *slot;
	size_t n;
	int rc = shmring_rx_slot(x->ring, seq, &slot, &n);
	if (rc < 0)
		return rc;
	if (n > ch->opts->max_msg)
		return -EPROTO;
	memcpy(x->rxbuf, slot, n);
	*p = x->rxbuf;
	*len = n;
	return 0;
}

static int plain_prepare(struct comm_chan *ch)
{
	return comm_shmx_prepare_memfd(ch, "caec-bench-shm-plain");
}

static int plain_open(struct comm_chan *ch) { return comm_shmx_open(ch, 0); }

const struct comm_mode_ops comm_mode_shm_plain = {
	.name = "shm-plain",
	.what = "hypervisor-visible shared memory (memfd MAP_SHARED), "
		"plaintext copy in, copy out",
	.prepare = plain_prepare,
	.open = plain_open,
	.configure = comm_shmx_configure,
	.tx_reserve = comm_shmx_tx_private,
	.tx_commit = comm_shmx_tx_copy,
	.tx_wait = comm_shmx_tx_wait,
	.rx_wait = comm_shmx_rx_wait,
	.rx_get = comm_shmx_rx_copy,
	.rx_put = comm_shmx_rx_put,
	.close = comm_shmx_close,
	.host_view = comm_shmx_host_view,
	.unprepare = comm_shmx_unprepare,
};
