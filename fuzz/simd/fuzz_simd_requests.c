/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer: arbitrary request sequences from two realms into caec-simd's
 * handlers and, through them, the CSM state machine.
 *
 * Input: a sequence of records {u8 client, u8 op, u16 len, len bytes of
 * body}.  Bodies are passed as they are (wrong sizes included), so both
 * the handlers' validation and every state-machine transition reachable
 * from the wire are exercised.  Record fields that look like IDs are
 * rewritten, with some probability, to IDs the daemon actually issued, so
 * the fuzzer gets past "unknown ID" quickly.
 *
 * The two realms are real clients of the daemon's loop code: socketpairs
 * stand for their connections (replies and events are read back and
 * dropped), and a real worker thread runs the seal jobs, which the harness
 * waits for, so a sealed region's copy and hash paths run too.
 */
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "simd.h"
#include "sockmsg.h"

static uint64_t issued[64];
static size_t n_issued;

static void remember(uint64_t id)
{
	if (id)
		issued[n_issued++ % 64] = id;
}

static void patch_ids(unsigned char *b, size_t len, uint8_t sel)
{
	/* Replace the first u64 fields by issued IDs depending on sel bits. */
	for (size_t off = 0; off + 8 <= len && off < 24; off += 8) {
		if (!(sel & (1u << (off / 8))) || !n_issued)
			continue;
		uint64_t id = issued[(sel >> 3) % (n_issued < 64 ? n_issued : 64)];
		memcpy(b + off, &id, 8);
	}
}

/* Read whatever the daemon sent a client; remember IDs in replies. */
static void drain(int fd, bool reply)
{
	unsigned char buf[SIMD_MSG_MAX];
	for (;;) {
		int rfd = -1;
		ssize_t n = sockmsg_recv(fd, buf, sizeof(buf), &rfd, MSG_DONTWAIT);
		if (rfd >= 0)
			close(rfd);
		if (n <= 0)
			return;
		struct simd_hdr h;
		if (reply && (size_t)n >= sizeof(h) + 8) {
			memcpy(&h, buf, sizeof(h));
			uint64_t id;
			memcpy(&id, buf + sizeof(h), 8);
			if (h.status == 0)
				remember(id);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct simd d;
	static struct simd_client cl[2];
	static struct simd_reply rep;
	int peer[2] = { -1, -1 }, evpeer[2] = { -1, -1 };
	uint8_t rim[32] = { 0 };

	memset(&d, 0, sizeof(d));
	memset(cl, 0, sizeof(cl));
	n_issued = 0;
	d.o.revoke_timeout_ms = 1;
	/* Small regions keep every unit fast (sealing hashes the region);
	 * the size check itself is exercised by larger requests. */
	d.o.max_region_bytes = UINT64_C(1) << 24;
	d.o.max_regions_per_uid = 64;
	d.o.max_pending_grants = 8;
	d.o.max_conns_per_uid = 16;
	d.o.workers = 1;
	d.listen_fd = d.sig_fd = d.spare_fd = d.lock_fd = -1;
	d.epfd = epoll_create1(EPOLL_CLOEXEC);
	if (d.epfd < 0 || simd_cache_init(&d) < 0 || simd_jobs_start(&d) < 0)
		abort();
	if (csm_init(&d.csm, &simd_plat_ops, &d) < 0)
		goto out;
	for (int i = 0; i < 2; i++) {
		struct simd_client *c = &cl[i];
		int sv[2], ev[2];
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0 ||
		    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ev) < 0)
			abort();
		c->serial = (uint64_t)i + 1;
		c->fd = sv[0];
		peer[i] = sv[1];
		c->ev_fd = ev[0];
		evpeer[i] = ev[1];
		c->held_fd = -1;
		c->pidfd = -1;
		c->pid = c->sender = getpid();
		c->acct = simd_uid_get(&d, (uid_t)i + 1000);
		c->state = SIMD_C_REALM;
		c->ref_req = (struct simd_epref){ SIMD_EP_REQ, c };
		c->ref_ev = (struct simd_epref){ SIMD_EP_EV, c };
		struct epoll_event e1 = { .events = EPOLLIN, .data.ptr = &c->ref_req };
		struct epoll_event e2 = { .events = EPOLLIN, .data.ptr = &c->ref_ev };
		if (epoll_ctl(d.epfd, EPOLL_CTL_ADD, c->fd, &e1) < 0 ||
		    epoll_ctl(d.epfd, EPOLL_CTL_ADD, c->ev_fd, &e2) < 0)
			abort();
		c->req_events = EPOLLIN;
		rim[0] = (uint8_t)i;
		memcpy(c->rim, rim, sizeof(rim));
		if (csm_realm_add(d.csm, (uint64_t)(uintptr_t)c, rim, sizeof(rim),
				  UINT64_C(1) << 47, &c->realm_id) < 0)
			goto out;
		simd_realm_link(&d, c);
		remember(c->realm_id);
	}

	while (size >= 4) {
		uint8_t who = data[0] & 1, op = data[1], sel = data[0] >> 1;
		size_t len = (size_t)data[2] | (size_t)data[3] << 8;
		data += 4;
		size -= 4;
		if (len > size)
			len = size;
		unsigned char body[SIMD_MSG_MAX];
		if (len > sizeof(body))
			len = sizeof(body);
		memcpy(body, data, len);
		data += len;
		size -= len;
		patch_ids(body, len, sel);
		if (op == SIMD_OP_HELLO || op == SIMD_OP_TOKEN)
			continue; /* need a real peer process / keys */
		struct simd_client *c = &cl[who];
		if (c->dead)
			break;
		memset(&c->req_hdr, 0, sizeof(c->req_hdr));
		c->req_hdr.magic = SIMD_MAGIC;
		c->req_hdr.version = SIMD_PROTO_VERSION;
		c->req_hdr.op = op;
		c->busy = true;
		d.current = c;
		simd_handle(&d, c, op, body, len, &rep);
		d.current = NULL;
		if (rep.deferred) {
			/* Wait for the worker, then let the loop's code finish. */
			while (c->job) {
				struct pollfd p = { .fd = d.jobs_fd, .events = POLLIN };
				(void)poll(&p, 1, 1000);
				simd_jobs_reap(&d);
			}
		} else {
			simd_reply(&d, c, rep.status, rep.body, rep.body_len, rep.fd);
		}
		/* No consumer will ACK here. */
		d.n_acks = 0;
		for (int i = 0; i < 2; i++) {
			cl[i].acks_pending = 0;
			simd_release_held(&d, &cl[i]);
			drain(peer[i], true);
			drain(evpeer[i], false);
		}
	}
out:
	simd_jobs_stop(&d);
	csm_fini(d.csm);
	for (int i = 0; i < 2; i++) {
		struct simd_client *c = &cl[i];
		if (c->fd >= 0)
			close(c->fd);
		if (c->ev_fd >= 0)
			close(c->ev_fd);
		if (c->held_fd >= 0)
			close(c->held_fd);
		free(c->held);
		simd_evq_free(c);
		if (peer[i] >= 0)
			close(peer[i]);
		if (evpeer[i] >= 0)
			close(evpeer[i]);
	}
	for (struct simd_uid *u = d.uids, *nx; u; u = nx) {
		nx = u->next;
		free(u);
	}
	free(d.acks);
	simd_cache_fini(&d);
	close(d.epfd);
	return 0;
}
