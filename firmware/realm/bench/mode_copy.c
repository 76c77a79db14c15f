/*
 * The copy modes, one code path on two kinds of memory: the sender fills
 * its private payload and copies it into the shared slot, then publishes
 * the sequence number; the receiver copies the payload out into private
 * memory, checks it and acknowledges.
 *   csm-copy   the slot is a CSM region (confidential: the paper's CAEC mode)
 *   shm-plain  the slot is host-visible memory (unprotected IPA, plaintext)
 */
#include <string.h>

#include "bench.h"

void slot_publish(struct slot_ctl *ctl, size_t n, uint64_t seq)
{
	ctl->len = n;
	__atomic_store_n(&ctl->seq, seq, __ATOMIC_RELEASE);	/* payload and len first */
}

void slot_wait_seq(const struct slot_ctl *ctl, uint64_t seq)
{
	while (__atomic_load_n(&ctl->seq, __ATOMIC_ACQUIRE) != seq) {
		spin_yield();
	}
}

void slot_ack(struct slot_ctl *ctl, uint64_t seq)
{
	__atomic_store_n(&ctl->ack, seq, __ATOMIC_RELEASE);
}

void slot_wait_ack(struct chan *c, uint64_t seq)
{
	struct slot_ctl *ctl = (struct slot_ctl *)c->shared;

	while (__atomic_load_n(&ctl->ack, __ATOMIC_ACQUIRE) != seq) {
		spin_yield();
	}
}

static int copy_send(struct chan *c, size_t n, uint64_t seq)
{
	comm_fill(c->priv, n, seq);
	memcpy(SLOT_PAYLOAD(c->shared), c->priv, n);
	slot_publish((struct slot_ctl *)c->shared, n, seq);
	return 0;
}

static int copy_recv(struct chan *c, size_t n, uint64_t seq)
{
	struct slot_ctl *ctl = (struct slot_ctl *)c->shared;
	uint64_t t0;
	bool ok;

	slot_wait_seq(ctl, seq);
	t0 = insn_now();
	ok = ctl->len == n;
	if (ok) {
		memcpy(c->priv, SLOT_PAYLOAD(c->shared), n);
		ok = comm_check(c->priv, n, seq);
	}
	slot_ack(ctl, seq);
	c->rx_work = insn_now() - t0 - insn_overhead;
	return ok ? 0 : -1;
}

const struct mode mode_csm_copy = {
	.name = "csm-copy",
	.what = "CSM region (core/csm in the RMM): fill private, copy in, publish; copy out, check",
	.send = copy_send,
	.wait_ack = slot_wait_ack,
	.recv = copy_recv,
};

const struct mode mode_shm_plain = {
	.name = "shm-plain",
	.what = "host-visible memory (NS granules at an unprotected IPA in both realms), plaintext: "
		"the same code as csm-copy",
	.send = copy_send,
	.wait_ack = slot_wait_ack,
	.recv = copy_recv,
};
