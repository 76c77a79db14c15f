/*
 * The zero-copy modes: libcaec's portable ring (core/ring, the same sources
 * as libcaec) in shared memory.  The sender reserves a span, fills the
 * payload in place and commits; the receiver peeks, checks the payload in
 * place and releases.  The release is the acknowledgement: the sender
 * waits until the consumer's index has caught up with its own.
 *   csm-zerocopy  the ring is in a CSM region
 *   shm-zerocopy  the ring is in host-visible memory: the same code, to
 *                 tell the ring protocol's cost from the memory's
 */
#include <ring/ring.h>

#include "bench.h"

static struct ring ring_ep[2];

int ring_mode_setup(struct chan *c, bool producer)
{
	struct ring *ep = &ring_ep[(c->mode == &mode_csm_zerocopy) ? 0 : 1];

	c->impl = ep;
	if (producer) {
		int rc = ring_format(c->shared, c->shared_size, ring_capacity_for(c->shared_size), 0U);

		if (rc != 0) {
			return rc;
		}
	}
	return ring_init(ep, c->shared, c->shared_size,
			 producer ? RING_PRODUCER : RING_CONSUMER);
}

static int ring_mode_send(struct chan *c, size_t n, uint64_t seq)
{
	void *p;
	int rc = ring_reserve(c->impl, n, &p);

	if (rc != 0) {
		return rc;	/* never AGAIN: stop-and-wait leaves the ring empty */
	}
	comm_fill(p, n, seq);
	return ring_commit(c->impl, n);
}

static void ring_mode_wait_ack(struct chan *c, uint64_t seq)
{
	struct caec_ring_abi *abi = (struct caec_ring_abi *)c->shared;
	uint32_t tail = __atomic_load_n(&abi->prod.tail, __ATOMIC_RELAXED);	/* ours */

	(void)seq;
	while (__atomic_load_n(&abi->cons.head, __ATOMIC_ACQUIRE) != tail) {
		spin_yield();
	}
}

static int ring_mode_recv(struct chan *c, size_t n, uint64_t seq)
{
	const void *p;
	size_t len;
	uint64_t t0;
	bool ok;
	int rc;

	while ((rc = ring_peek(c->impl, &p, &len)) == CAEC_E_AGAIN) {
		spin_yield();
	}
	t0 = insn_now();
	ok = rc == 0 && len == n && comm_check(p, n, seq);
	if (rc == 0) {
		rc = ring_release(c->impl);
	}
	c->rx_work = insn_now() - t0 - insn_overhead;
	return (ok && rc == 0) ? 0 : -1;
}

const struct mode mode_csm_zerocopy = {
	.name = "csm-zerocopy",
	.what = "CSM region holding a core/ring SPSC ring: reserve, fill in place, commit; "
		"peek, check in place, release (the release is the ack)",
	.send = ring_mode_send,
	.wait_ack = ring_mode_wait_ack,
	.recv = ring_mode_recv,
};

const struct mode mode_shm_zerocopy = {
	.name = "shm-zerocopy",
	.what = "host-visible memory holding the same core/ring ring, plaintext: the same code as "
		"csm-zerocopy",
	.send = ring_mode_send,
	.wait_ack = ring_mode_wait_ack,
	.recv = ring_mode_recv,
};
