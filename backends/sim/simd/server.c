/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec-simd's event loop: accept realms, read one request at a time from
 * each, hold back replies until revocations are acknowledged, reap realms
 * that died (or misbehaved) and release everything they held.
 *
 * Framing errors (short, oversized, wrong magic or version, length field
 * not matching the packet) disconnect the offending client: after such a
 * packet nothing it says can be trusted to be in sync.  Well-framed but
 * invalid requests get an error reply and the client stays.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "sockmsg.h"
#include "simd.h"

void simd_log(const struct simd *d, const char *fmt, ...)
{
	if (!d->verbose)
		return;
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "caec-simd: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

struct simd_client *simd_client_by_serial(struct simd *d, uint64_t serial)
{
	for (size_t i = 0; i < d->n_clients; i++)
		if (d->clients[i]->serial == serial)
			return d->clients[i];
	return NULL;
}

void simd_send_event(struct simd *d, struct simd_client *c, uint16_t type,
		     uint64_t id, uint64_t grant)
{
	struct simd_event ev = {
		.magic = SIMD_MAGIC,
		.version = SIMD_PROTO_VERSION,
		.type = type,
		.id = id,
		.grant = grant,
	};
	if (c->ev_fd < 0 || c->dead)
		return;
	if (sockmsg_send(c->ev_fd, &ev, sizeof(ev), -1, MSG_DONTWAIT) < 0) {
		/* Full queue or gone: a realm that does not take its events
		 * cannot be told to unmap, so it loses everything instead. */
		simd_log(d, "realm %016llx: cannot deliver event, disconnecting",
			 (unsigned long long)c->realm_id);
		c->dead = true;
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
			/* Cannot track it: do not let the provider believe
			 * the consumer unmapped; disconnect the consumer. */
			c->dead = true;
			return CAEC_E_NOMEM;
		}
		d->acks = a;
		d->cap_acks = cap;
	}
	d->acks[d->n_acks++] = (struct simd_ack){
		.consumer = c->serial,
		.grant_id = grant_id,
		.waiter = w->serial,
		.deadline_ms = now_ms() + d->revoke_timeout_ms,
	};
	w->acks_pending++;
	return 0;
}

/* Drop ack i; the waiter (if still connected) has one fewer to wait for. */
static void ack_done(struct simd *d, size_t i)
{
	struct simd_client *w = simd_client_by_serial(d, d->acks[i].waiter);
	if (w && w->acks_pending)
		w->acks_pending--;
	d->acks[i] = d->acks[--d->n_acks];
}

/* ---- setup ---------------------------------------------------------- */

int simd_init(struct simd *d, const char *sock_path, uint32_t revoke_timeout_ms)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int rc;

	d->listen_fd = -1;
	d->revoke_timeout_ms = revoke_timeout_ms;
	d->next_serial = 1;
	if (strlen(sock_path) >= sizeof(sa.sun_path) ||
	    strlen(sock_path) >= sizeof(d->sock_path)) {
		fprintf(stderr, "caec-simd: socket path too long: %s\n", sock_path);
		return -1;
	}
	/* Both buffers hold a sun_path; the length was checked above. */
	memcpy(d->sock_path, sock_path, strlen(sock_path) + 1);
	memcpy(sa.sun_path, sock_path, strlen(sock_path) + 1);

	rc = csm_init(&d->csm, &simd_plat_ops, d);
	if (rc < 0) {
		fprintf(stderr, "caec-simd: CSM state machine: %s\n", caec_strerror(rc));
		return -1;
	}
	d->listen_fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (d->listen_fd < 0) {
		perror("caec-simd: socket");
		return -1;
	}
	/* A stale socket file from a dead daemon is removed; a live daemon
	 * on the same path is not replaced. */
	int probe = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (probe >= 0) {
		if (connect(probe, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
			close(probe);
			fprintf(stderr, "caec-simd: another daemon is listening on %s\n",
				sock_path);
			return -1;
		}
		close(probe);
	}
	unlink(sock_path);
	mode_t old = umask(0077); /* socket usable by this user only */
	rc = bind(d->listen_fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (rc < 0) {
		fprintf(stderr, "caec-simd: bind %s: %s\n", sock_path, strerror(errno));
		return -1;
	}
	if (listen(d->listen_fd, 128) < 0) {
		perror("caec-simd: listen");
		return -1;
	}
	return 0;
}

static void client_free(struct simd_client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	if (c->ev_fd >= 0)
		close(c->ev_fd);
	if (c->rep_fd >= 0)
		close(c->rep_fd);
	free(c->rep_buf);
	free(c);
}

static void accept_clients(struct simd *d)
{
	for (;;) {
		int fd = accept4(d->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd < 0)
			return; /* EAGAIN, or a transient error: try next turn */
		struct ucred cr;
		socklen_t cl = sizeof(cr);
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &cl) < 0) {
			close(fd);
			continue;
		}
		if (d->n_clients == d->cap_clients) {
			size_t cap = d->cap_clients ? d->cap_clients * 2 : 16;
			struct simd_client **n = realloc(d->clients, cap * sizeof(*n));
			if (!n) {
				close(fd);
				continue;
			}
			d->clients = n;
			d->cap_clients = cap;
		}
		struct simd_client *c = calloc(1, sizeof(*c));
		if (!c) {
			close(fd);
			continue;
		}
		c->serial = d->next_serial++;
		c->fd = fd;
		c->ev_fd = -1;
		c->rep_fd = -1;
		c->pid = cr.pid;
		c->uid = cr.uid;
		/* Have the kernel stamp every request with its sender's PID:
		 * HELLO must come from the process that connected. */
		int one = 1;
		(void)setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one));
		d->clients[d->n_clients++] = c;
	}
}

/* ---- requests --------------------------------------------------------- */

static void send_reply(struct simd *d, struct simd_client *c,
		       const unsigned char *buf, size_t len, int fd)
{
	if (sockmsg_send(c->fd, buf, len, fd, MSG_DONTWAIT) < 0) {
		simd_log(d, "client %llu: reply not deliverable, disconnecting",
			 (unsigned long long)c->serial);
		c->dead = true;
	}
	if (fd >= 0)
		close(fd);
}

static void serve_request(struct simd *d, struct simd_client *c)
{
	static unsigned char in[SIMD_MSG_MAX];
	static unsigned char out[SIMD_MSG_MAX];
	static struct simd_reply rep;
	struct simd_hdr h;

	/* Descriptors a client sends are closed by sockmsg_recv (fd NULL). */
	ssize_t n = sockmsg_recv_pid(c->fd, in, sizeof(in), NULL, MSG_DONTWAIT,
				     &c->sender);
	if (n == -EAGAIN || n == -EINTR)
		return;
	if (n <= 0 || (size_t)n < sizeof(h)) {
		if (n != 0)
			simd_log(d, "client %llu: bad packet (%zd), disconnecting",
				 (unsigned long long)c->serial, n);
		c->dead = true;
		return;
	}
	memcpy(&h, in, sizeof(h));
	if (h.magic != SIMD_MAGIC || h.version != SIMD_PROTO_VERSION ||
	    h.len != (uint32_t)n) {
		simd_log(d, "client %llu: framing error, disconnecting",
			 (unsigned long long)c->serial);
		c->dead = true;
		return;
	}
	if (h.status != 0 || h._pad != 0) {
		rep.status = CAEC_E_PROTO;
		rep.body_len = 0;
		rep.fd = -1;
	} else {
		d->current = c;
		simd_handle(d, c, h.op, in + sizeof(h), (size_t)n - sizeof(h), &rep);
		d->current = NULL;
	}

	h.status = rep.status;
	h.len = (uint32_t)(sizeof(h) + rep.body_len);
	memcpy(out, &h, sizeof(h));
	memcpy(out + sizeof(h), rep.body, rep.body_len);
	if (c->acks_pending == 0) {
		send_reply(d, c, out, h.len, rep.fd);
		return;
	}
	/* Hold the reply until every consumer has unmapped. */
	c->rep_buf = malloc(h.len);
	if (!c->rep_buf) {
		/* Answer now rather than never. */
		send_reply(d, c, out, h.len, rep.fd);
		c->acks_pending = 0;
		return;
	}
	memcpy(c->rep_buf, out, h.len);
	c->rep_len = h.len;
	c->rep_fd = rep.fd;
	c->deferred = true;
}

/* Release replies whose acknowledgements are all in. */
static void flush_deferred(struct simd *d)
{
	for (size_t i = 0; i < d->n_clients; i++) {
		struct simd_client *c = d->clients[i];
		if (!c->deferred || c->acks_pending || c->dead)
			continue;
		send_reply(d, c, c->rep_buf, c->rep_len, c->rep_fd);
		free(c->rep_buf);
		c->rep_buf = NULL;
		c->rep_fd = -1;
		c->deferred = false;
	}
}

static void read_events(struct simd *d, struct simd_client *c)
{
	for (;;) {
		struct simd_event ev;
		ssize_t n = sockmsg_recv(c->ev_fd, &ev, sizeof(ev), NULL, MSG_DONTWAIT);
		if (n == -EAGAIN || n == -EINTR)
			return;
		if (n != (ssize_t)sizeof(ev) || ev.magic != SIMD_MAGIC ||
		    ev.version != SIMD_PROTO_VERSION || ev.type != SIMD_EV_ACK) {
			c->dead = true;
			return;
		}
		/* An ACK for something not outstanding is ignored. */
		for (size_t i = 0; i < d->n_acks; i++) {
			if (d->acks[i].consumer == c->serial &&
			    d->acks[i].grant_id == ev.id) {
				ack_done(d, i);
				break;
			}
		}
	}
}

static void expire_acks(struct simd *d)
{
	uint64_t now = now_ms();
	for (size_t i = 0; i < d->n_acks; i++) {
		if (d->acks[i].deadline_ms > now)
			continue;
		struct simd_client *c = simd_client_by_serial(d, d->acks[i].consumer);
		if (c && !c->dead) {
			simd_log(d, "realm %016llx did not unmap in %u ms, disconnecting",
				 (unsigned long long)c->realm_id, d->revoke_timeout_ms);
			c->dead = true;
		}
	}
}

/* Remove dead clients; their teardown may kill more (event delivery). */
static void reap(struct simd *d)
{
	bool again = true;
	while (again) {
		again = false;
		for (size_t i = 0; i < d->n_clients; i++) {
			struct simd_client *c = d->clients[i];
			if (!c->dead)
				continue;
			/* Outstanding acks from this consumer will never come. */
			for (size_t k = 0; k < d->n_acks;) {
				if (d->acks[k].consumer == c->serial)
					ack_done(d, k);
				else
					k++;
			}
			if (c->hello_done) {
				simd_log(d, "realm %016llx left", (unsigned long long)c->realm_id);
				(void)csm_realm_remove(d->csm, c->realm_id);
			}
			/* Acks it was waiting for keep the consumers honest
			 * but nobody needs the answer any more. */
			for (size_t k = 0; k < d->n_acks; k++)
				if (d->acks[k].waiter == c->serial)
					d->acks[k].waiter = 0;
			d->clients[i] = d->clients[--d->n_clients];
			client_free(c);
			again = true;
			break;
		}
	}
}

int simd_run(struct simd *d, volatile int *stop)
{
	struct pollfd *pfd = NULL;
	size_t pfd_cap = 0;
	sigset_t empty;

	sigemptyset(&empty);
	while (!*stop) {
		size_t need = 1 + 2 * d->n_clients;
		if (need > pfd_cap) {
			struct pollfd *n = realloc(pfd, need * 2 * sizeof(*n));
			if (!n) {
				free(pfd);
				return -1;
			}
			pfd = n;
			pfd_cap = need * 2;
		}
		pfd[0] = (struct pollfd){ .fd = d->listen_fd, .events = POLLIN };
		for (size_t i = 0; i < d->n_clients; i++) {
			struct simd_client *c = d->clients[i];
			/* One request at a time: not while its reply waits. */
			pfd[1 + 2 * i] = (struct pollfd){
				.fd = c->fd, .events = c->deferred ? 0 : POLLIN };
			pfd[2 + 2 * i] = (struct pollfd){ .fd = c->ev_fd, .events = POLLIN };
		}
		struct timespec ts, *tsp = NULL;
		if (d->n_acks) {
			uint64_t now = now_ms(), first = UINT64_MAX;
			for (size_t i = 0; i < d->n_acks; i++)
				if (d->acks[i].deadline_ms < first)
					first = d->acks[i].deadline_ms;
			uint64_t wait = first > now ? first - now : 0;
			ts.tv_sec = (time_t)(wait / 1000);
			ts.tv_nsec = (long)(wait % 1000) * 1000000L;
			tsp = &ts;
		}
		size_t n_polled = d->n_clients;
		int pr = ppoll(pfd, 1 + 2 * n_polled, tsp, &empty);
		if (pr < 0) {
			if (errno == EINTR)
				continue;
			perror("caec-simd: poll");
			break;
		}
		for (size_t i = 0; i < n_polled && i < d->n_clients; i++) {
			struct simd_client *c = d->clients[i];
			short ev_re = pfd[2 + 2 * i].revents;
			short rq_re = pfd[1 + 2 * i].revents;
			if (pfd[2 + 2 * i].fd == c->ev_fd && ev_re) {
				if (ev_re & POLLIN)
					read_events(d, c);
				else if (ev_re & (POLLHUP | POLLERR))
					c->dead = true;
			}
			if (!c->dead && rq_re) {
				if (rq_re & POLLIN)
					serve_request(d, c);
				else if (rq_re & (POLLHUP | POLLERR))
					c->dead = true;
			}
		}
		if (pfd[0].revents & POLLIN)
			accept_clients(d);
		expire_acks(d);
		reap(d);
		flush_deferred(d);
		reap(d);
	}
	free(pfd);
	return 0;
}

void simd_fini(struct simd *d)
{
	/* Everyone is told to unmap; nobody waits for the answers. */
	if (d->csm)
		csm_fini(d->csm);
	for (size_t i = 0; i < d->n_clients; i++)
		client_free(d->clients[i]);
	free(d->clients);
	free(d->acks);
	if (d->listen_fd >= 0) {
		close(d->listen_fd);
		unlink(d->sock_path);
	}
}
