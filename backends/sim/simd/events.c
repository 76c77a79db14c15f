/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Events to clients and their acknowledgements.
 *
 * A client whose event socket is full is not disconnected for it: its
 * events wait in a queue here and go out when the socket drains.  Grant
 * announcements (GRANTED) are notifications too: dropped, never
 * coalesced, once a client has too many waiting.  Peer
 * notifications (a consumer attached / detached) are coalesced per grant
 * -- only the latest state of each grant waits -- so a consumer that
 * attaches and detaches in a loop costs its provider one queue entry, not
 * a disconnection.  Revocations are never dropped or merged: each needs
 * its acknowledgement.
 *
 * An acknowledgement deadline is checked against what the daemon could
 * read: before giving up on a consumer, the daemon sends it whatever is
 * still queued and reads its socket once more, so an acknowledgement that
 * arrived while the daemon was busy elsewhere is never mistaken for
 * silence.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "sockmsg.h"
#include "simd.h"

/* Most notifications one client may have waiting; beyond it (a client
 * that never reads, with that many distinct grants changing) notifications
 * are dropped -- revocations never are. */
#define SIMD_EVQ_NOTIFY_MAX 65536u

/* A consumer attached or detached: only the latest state of each grant
 * matters, so these coalesce. */
static bool is_peer_event(uint16_t type)
{
	return type == SIMD_EV_PEER_ATTACHED || type == SIMD_EV_PEER_DETACHED;
}

/* Events that may be dropped when a client lets its queue grow: peer
 * events and grant announcements (GRANT_LIST has the grants anyway). */
static bool is_notification(uint16_t type)
{
	return type == SIMD_EV_PEER_ATTACHED || type == SIMD_EV_PEER_DETACHED ||
	       type == SIMD_EV_GRANTED;
}

static void set_out(struct simd *d, struct simd_client *c, bool on)
{
	if (c->ev_out == on || c->ev_fd < 0)
		return;
	struct epoll_event ev = { .events = EPOLLIN | (on ? EPOLLOUT : 0),
				  .data.ptr = &c->ref_ev };
	if (epoll_ctl(d->epfd, EPOLL_CTL_MOD, c->ev_fd, &ev) == 0)
		c->ev_out = on;
	else
		c->dead = true;
}

/* 1 sent, 0 no room now, -1 the client is gone. */
static int try_send(struct simd_client *c, const struct simd_evq_item *it)
{
	struct simd_event ev = {
		.magic = SIMD_MAGIC,
		.version = SIMD_PROTO_VERSION,
		.type = it->type,
		.id = it->id,
		.grant = it->grant,
	};
	ssize_t n = sockmsg_send(c->ev_fd, &ev, sizeof(ev), -1, MSG_DONTWAIT);
	if (n >= 0)
		return 1;
	return n == -EAGAIN || n == -ENOBUFS || n == -EINTR ? 0 : -1;
}

static int evq_push(struct simd_client *c, const struct simd_evq_item *it)
{
	if (c->evq_head + c->evq_len == c->evq_cap) {
		if (c->evq_head > 0) {
			memmove(c->evq, c->evq + c->evq_head, c->evq_len * sizeof(*c->evq));
			c->evq_head = 0;
		} else {
			size_t cap = c->evq_cap ? c->evq_cap * 2 : 16;
			struct simd_evq_item *q = realloc(c->evq, cap * sizeof(*q));
			if (!q)
				return -1;
			c->evq = q;
			c->evq_cap = cap;
		}
	}
	c->evq[c->evq_head + c->evq_len++] = *it;
	return 0;
}

void simd_evq_free(struct simd_client *c)
{
	free(c->evq);
	c->evq = NULL;
	c->evq_head = c->evq_len = c->evq_cap = 0;
}

void simd_send_event(struct simd *d, struct simd_client *c, uint16_t type,
		     uint64_t id, uint64_t grant)
{
	struct simd_evq_item it = { .type = type, .id = id, .grant = grant };
	if (c->ev_fd < 0 || c->dead)
		return;
	if (c->evq_len == 0) {
		int r = try_send(c, &it);
		if (r > 0)
			return;
		if (r < 0) {
			c->dead = true;
			return;
		}
	} else if (is_notification(type)) {
		/* Coalesce: the grant's latest state replaces a waiting one. */
		for (size_t i = 0; is_peer_event(type) && i < c->evq_len; i++) {
			struct simd_evq_item *q = &c->evq[c->evq_head + i];
			if (is_peer_event(q->type) && q->id == id && q->grant == grant) {
				q->type = type;
				return;
			}
		}
		if (c->evq_len >= SIMD_EVQ_NOTIFY_MAX) {
			if (!c->evq_overflow_logged)
				simd_log(d, "realm %016llx: event queue full, dropping notifications",
					 (unsigned long long)c->realm_id);
			c->evq_overflow_logged = true;
			return;
		}
	}
	if (evq_push(c, &it) < 0) {
		/* Out of memory: a revocation that cannot be delivered must
		 * not be lost silently; a notification may be. */
		if (!is_notification(type))
			c->dead = true;
		return;
	}
	set_out(d, c, true);
}

void simd_flush_events(struct simd *d, struct simd_client *c)
{
	while (c->evq_len && !c->dead) {
		int r = try_send(c, &c->evq[c->evq_head]);
		if (r == 0)
			break;
		if (r < 0) {
			c->dead = true;
			return;
		}
		c->evq_head++;
		c->evq_len--;
	}
	if (c->evq_len == 0) {
		c->evq_head = 0;
		c->evq_overflow_logged = false;
	}
	set_out(d, c, c->evq_len != 0);
}

/* ---- acknowledgements ------------------------------------------------- */

/* Drop ack i.  confirmed: the consumer unmapped (it said so, or its
 * process is gone); otherwise the waiter learns it is unconfirmed. */
static void ack_done(struct simd *d, size_t i, bool confirmed)
{
	struct simd_client *w = d->acks[i].waiter;
	d->acks[i] = d->acks[--d->n_acks];
	if (!w)
		return;
	if (!confirmed)
		w->unconfirmed = true;
	if (w->acks_pending)
		w->acks_pending--;
	if (w->acks_pending == 0)
		simd_release_held(d, w);
}

void simd_read_events(struct simd *d, struct simd_client *c)
{
	for (int k = 0; k < 256; k++) { /* bounded per turn */
		struct simd_event ev;
		pid_t sender = 0;
		ssize_t n = sockmsg_recv_pid(c->ev_fd, &ev, sizeof(ev), NULL, MSG_DONTWAIT,
					     &sender);
		if (n == -EAGAIN || n == -EINTR)
			return;
		if (n != (ssize_t)sizeof(ev) || ev.magic != SIMD_MAGIC ||
		    ev.version != SIMD_PROTO_VERSION || ev.type != SIMD_EV_ACK) {
			c->dead = true;
			return;
		}
		/* Only the realm's own process can confirm its unmap. */
		if (sender != c->pid)
			continue;
		/* An ACK for something not outstanding is ignored. */
		for (size_t i = 0; i < d->n_acks; i++) {
			if (d->acks[i].consumer == c && d->acks[i].grant_id == ev.id) {
				ack_done(d, i, true);
				break;
			}
		}
	}
}

int simd_expect_ack(struct simd *d, struct simd_client *c, uint64_t grant_id)
{
	struct simd_client *w = d->current;
	if (!w || w == c)
		return 0; /* nobody waits (e.g. teardown after a death) */
	if (d->n_acks == d->cap_acks) {
		size_t cap = d->cap_acks ? d->cap_acks * 2 : 16;
		struct simd_ack *a = realloc(d->acks, cap * sizeof(*a));
		if (!a) {
			/* Cannot track it: the provider is told the unmap is
			 * unconfirmed, and the consumer is disconnected. */
			w->unconfirmed = true;
			c->dead = true;
			return CAEC_E_NOMEM;
		}
		d->acks = a;
		d->cap_acks = cap;
	}
	d->acks[d->n_acks++] = (struct simd_ack){
		.consumer = c,
		.grant_id = grant_id,
		.waiter = w,
		.deadline_ms = simd_now_ms() + d->o.revoke_timeout_ms,
	};
	w->acks_pending++;
	return 0;
}

int simd_next_ack_ms(const struct simd *d)
{
	if (!d->n_acks)
		return -1;
	uint64_t now = simd_now_ms(), first = UINT64_MAX;
	for (size_t i = 0; i < d->n_acks; i++)
		if (d->acks[i].deadline_ms < first)
			first = d->acks[i].deadline_ms;
	return first > now ? (int)(first - now) : 0;
}

void simd_expire_acks(struct simd *d)
{
	uint64_t now = simd_now_ms();
	for (size_t i = 0; i < d->n_acks;) {
		struct simd_ack *a = &d->acks[i];
		if (a->deadline_ms > now || a->consumer->dead) {
			i++;
			continue;
		}
		/* Last chance: deliver what waits and read what came. */
		struct simd_client *c = a->consumer;
		size_t before = d->n_acks;
		simd_flush_events(d, c);
		if (!c->dead)
			simd_read_events(d, c);
		if (d->n_acks != before) {
			i = 0; /* entries moved; start over */
			continue;
		}
		if (!c->dead)
			simd_log(d, "realm %016llx did not unmap in %u ms, disconnecting",
				 (unsigned long long)c->realm_id, d->o.revoke_timeout_ms);
		c->dead = true;
		i++;
	}
}

void simd_drop_acks(struct simd *d, struct simd_client *c)
{
	/* A consumer leaving without acknowledging confirmed nothing --
	 * unless its process is gone, and with it the mapping. */
	struct pollfd p = { .fd = c->pidfd, .events = POLLIN };
	bool exited = c->pidfd >= 0 && poll(&p, 1, 0) == 1;
	for (size_t i = 0; i < d->n_acks;) {
		if (d->acks[i].consumer == c) {
			ack_done(d, i, exited);
			continue;
		}
		if (d->acks[i].waiter == c)
			d->acks[i].waiter = NULL;
		i++;
	}
}
