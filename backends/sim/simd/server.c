/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec-simd's event loop: accept realms, read one request at a time from
 * each, hold back replies until revocations are acknowledged or a worker
 * job is done, reap realms that died (or misbehaved) and release
 * everything they held.
 *
 * The loop never waits on a client and does bounded work per event:
 * sockets are non-blocking, measuring and sealing run on workers
 * (jobs.c), events that do not fit a client's socket wait in a queue
 * (events.c).  epoll scales to any number of descriptors; the number of
 * connections is capped per user, and when the process runs out of
 * descriptors the newest connection is shed rather than the loop failing.
 *
 * Framing errors (short, oversized, wrong magic or version, length field
 * not matching the packet) disconnect the offending client: after such a
 * packet nothing it says can be trusted to be in sync.  Well-framed but
 * invalid requests get an error reply and the client stays.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "sockmsg.h"
#include "listen.h"
#include "simd.h"

#ifndef SO_PEERPIDFD
#define SO_PEERPIDFD 77
#endif
#ifndef SO_PASSRIGHTS
#define SO_PASSRIGHTS 83
#endif

void simd_log(const struct simd *d, const char *fmt, ...)
{
	if (!d->o.verbose)
		return;
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "caec-simd: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

int simd_refuse_descriptors(int sock)
{
	int zero = 0;
	return setsockopt(sock, SOL_SOCKET, SO_PASSRIGHTS, &zero, sizeof(zero));
}

uint64_t simd_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

struct simd_uid *simd_uid_get(struct simd *d, uid_t uid)
{
	for (struct simd_uid *u = d->uids; u; u = u->next)
		if (u->uid == uid)
			return u;
	struct simd_uid *u = calloc(1, sizeof(*u));
	if (!u)
		return NULL;
	u->uid = uid;
	u->next = d->uids;
	d->uids = u;
	return u;
}

/* ---- realm ID index ---------------------------------------------------- */

static size_t bucket(uint64_t id)
{
	return (size_t)((id ^ (id >> 17) ^ (id >> 41)) & 255u);
}

void simd_realm_link(struct simd *d, struct simd_client *c)
{
	size_t b = bucket(c->realm_id);
	c->hnext = d->realms[b];
	d->realms[b] = c;
}

static void realm_unlink(struct simd *d, struct simd_client *c)
{
	for (struct simd_client **p = &d->realms[bucket(c->realm_id)]; *p; p = &(*p)->hnext)
		if (*p == c) {
			*p = c->hnext;
			return;
		}
}

struct simd_client *simd_client_by_realm(const struct simd *d, uint64_t realm_id)
{
	for (struct simd_client *c = d->realms[bucket(realm_id)]; c; c = c->hnext)
		if (c->realm_id == realm_id && c->state == SIMD_C_REALM)
			return c;
	return NULL;
}

/* ---- setup ---------------------------------------------------------- */

static int ep_add(struct simd *d, int fd, uint32_t events, struct simd_epref *ref)
{
	struct epoll_event ev = { .events = events, .data.ptr = ref };
	return epoll_ctl(d->epfd, EPOLL_CTL_ADD, fd, &ev);
}

int simd_init(struct simd *d, const char *sock_path, bool default_path)
{
	sigset_t sigs;
	int rc;

	d->epfd = d->listen_fd = d->sig_fd = d->jobs_fd = d->spare_fd = d->lock_fd = -1;
	d->next_serial = 1;
	d->euid = geteuid();
	rc = csm_init(&d->csm, &simd_plat_ops, d);
	if (rc < 0) {
		fprintf(stderr, "caec-simd: CSM state machine: %s\n", caec_strerror(rc));
		return -1;
	}
	if (simd_cache_init(d) < 0) {
		fprintf(stderr, "caec-simd: out of memory\n");
		return -1;
	}
	d->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (d->epfd < 0) {
		perror("caec-simd: epoll_create1");
		return -1;
	}
	/* SIGINT/SIGTERM are blocked (main.c) and read from a signalfd, so a
	 * stop request is never lost between checking and sleeping. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	d->sig_fd = signalfd(-1, &sigs, SFD_CLOEXEC | SFD_NONBLOCK);
	if (d->sig_fd < 0) {
		perror("caec-simd: signalfd");
		return -1;
	}
	/* Kept in reserve: when the process runs out of descriptors it is
	 * closed to accept (and shed) the connection that would otherwise
	 * keep the listening socket readable forever. */
	d->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (simd_jobs_start(d) < 0) {
		fprintf(stderr, "caec-simd: cannot start worker threads\n");
		return -1;
	}
	if (simd_listen_open(d, sock_path, default_path) < 0)
		return -1;
	d->ref_listen.kind = SIMD_EP_LISTEN;
	d->ref_sig.kind = SIMD_EP_SIGNAL;
	d->ref_jobs.kind = SIMD_EP_JOBS;
	if (ep_add(d, d->listen_fd, EPOLLIN, &d->ref_listen) < 0 ||
	    ep_add(d, d->sig_fd, EPOLLIN, &d->ref_sig) < 0 ||
	    ep_add(d, d->jobs_fd, EPOLLIN, &d->ref_jobs) < 0) {
		perror("caec-simd: epoll_ctl");
		return -1;
	}
	return 0;
}

/* ---- clients ---------------------------------------------------------- */

void simd_new_remove(struct simd *d, struct simd_client *c)
{
	if (c->new_prev)
		c->new_prev->new_next = c->new_next;
	else if (d->new_head == c)
		d->new_head = c->new_next;
	else
		return; /* not on the list */
	if (c->new_next)
		c->new_next->new_prev = c->new_prev;
	else
		d->new_tail = c->new_prev;
	c->new_prev = c->new_next = NULL;
}

static void new_list_append(struct simd *d, struct simd_client *c)
{
	c->new_next = NULL;
	c->new_prev = d->new_tail;
	if (d->new_tail)
		d->new_tail->new_next = c;
	else
		d->new_head = c;
	d->new_tail = c;
}

/* Put a client whose HELLO failed back among the unidentified: its HELLO
 * deadline (from accept time) still applies. */
void simd_new_restore(struct simd *d, struct simd_client *c)
{
	c->state = SIMD_C_NEW;
	/* Keep the list ordered by accept time: insert from the tail. */
	struct simd_client *p = d->new_tail;
	while (p && p->accepted_ms > c->accepted_ms)
		p = p->new_prev;
	c->new_prev = p;
	c->new_next = p ? p->new_next : d->new_head;
	if (c->new_next)
		c->new_next->new_prev = c;
	else
		d->new_tail = c;
	if (p)
		p->new_next = c;
	else
		d->new_head = c;
}

void simd_update_interest(struct simd *d, struct simd_client *c)
{
	uint32_t want = c->busy ? 0 : EPOLLIN;
	if (c->dead || c->fd < 0 || want == c->req_events)
		return;
	struct epoll_event ev = { .events = want, .data.ptr = &c->ref_req };
	if (epoll_ctl(d->epfd, EPOLL_CTL_MOD, c->fd, &ev) == 0)
		c->req_events = want;
	else
		c->dead = true;
}

static void client_free(struct simd *d, struct simd_client *c)
{
	if (c->fd >= 0) {
		(void)epoll_ctl(d->epfd, EPOLL_CTL_DEL, c->fd, NULL);
		close(c->fd);
	}
	if (c->ev_fd >= 0) {
		(void)epoll_ctl(d->epfd, EPOLL_CTL_DEL, c->ev_fd, NULL);
		close(c->ev_fd);
	}
	if (c->pidfd >= 0)
		close(c->pidfd);
	if (c->held_fd >= 0)
		close(c->held_fd);
	free(c->held);
	simd_job_free(c->seal_wait);
	simd_evq_free(c);
	if (c->acct && c->acct->conns)
		c->acct->conns--;
	free(c);
}

/* Out of descriptors: accept one pending connection with the spare
 * descriptor and close it, so the listening socket stops being readable
 * for it.  Nothing exits; the client sees its connection closed. */
static void shed_one(struct simd *d)
{
	if (d->spare_fd < 0)
		return;
	close(d->spare_fd);
	int fd = accept4(d->listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd >= 0)
		close(fd);
	d->spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	fprintf(stderr, "caec-simd: out of file descriptors: refused a connection\n");
}

static int peer_pidfd(int fd, pid_t pid)
{
	int pidfd = -1;
	socklen_t l = sizeof(pidfd);
	/* The process that connected, pinned at connect time (Linux 6.5). */
	if (getsockopt(fd, SOL_SOCKET, SO_PEERPIDFD, &pidfd, &l) == 0 && pidfd >= 0)
		return pidfd;
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

static void accept_clients(struct simd *d)
{
	/* Bounded: other events get their turn between batches. */
	for (int k = 0; k < 64; k++) {
		int fd = accept4(d->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE)
				shed_one(d);
			return; /* EAGAIN, or a transient error: try next turn */
		}
		struct ucred cr;
		socklen_t cl = sizeof(cr);
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &cl) < 0) {
			close(fd);
			continue;
		}
		struct simd_uid *acct = simd_uid_get(d, cr.uid);
		if (!acct) {
			close(fd);
			continue;
		}
		if (acct->conns >= d->o.max_conns_per_uid) {
			simd_log(d, "uid %u: connection limit (%u) reached, refusing pid %d",
				 (unsigned)cr.uid, d->o.max_conns_per_uid, (int)cr.pid);
			close(fd);
			continue;
		}
		int pidfd = peer_pidfd(fd, cr.pid);
		if (pidfd < 0) {
			close(fd);
			if (errno == EMFILE || errno == ENFILE)
				shed_one(d);
			continue;
		}
		struct simd_client *c = calloc(1, sizeof(*c));
		if (!c) {
			close(pidfd);
			close(fd);
			continue;
		}
		c->serial = d->next_serial++;
		c->fd = fd;
		c->ev_fd = -1;
		c->held_fd = -1;
		c->pidfd = pidfd;
		c->pid = cr.pid;
		c->uid = cr.uid;
		c->gid = cr.gid;
		c->acct = acct;
		c->state = SIMD_C_NEW;
		c->accepted_ms = simd_now_ms();
		c->ref_req = (struct simd_epref){ SIMD_EP_REQ, c };
		c->ref_ev = (struct simd_epref){ SIMD_EP_EV, c };
		/* Have the kernel stamp every request with its sender's PID:
		 * only the process that connected speaks for the realm. */
		int one = 1;
		(void)setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one));
		if (ep_add(d, fd, EPOLLIN, &c->ref_req) < 0) {
			close(pidfd);
			close(fd);
			free(c);
			continue;
		}
		c->req_events = EPOLLIN;
		acct->conns++;
		c->next = d->clients;
		if (d->clients)
			d->clients->prev = c;
		d->clients = c;
		d->n_clients++;
		new_list_append(d, c);
	}
}

/* Has the process behind c exited?  (Its pidfd becomes readable.) */
static bool process_alive(const struct simd_client *c)
{
	struct pollfd p = { .fd = c->pidfd, .events = POLLIN };
	return poll(&p, 1, 0) == 0;
}

/* ---- replies ---------------------------------------------------------- */

static void send_packet(struct simd *d, struct simd_client *c,
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

void simd_reply(struct simd *d, struct simd_client *c, int32_t status,
		const void *body, size_t len, int fd)
{
	static unsigned char out[SIMD_MSG_MAX];
	struct simd_hdr h = c->req_hdr;

	if (status < 0)
		len = 0;
	h.status = status;
	h.len = (uint32_t)(sizeof(h) + len);
	memcpy(out, &h, sizeof(h));
	if (len)
		memcpy(out + sizeof(h), body, len);
	if (c->acks_pending == 0) {
		send_packet(d, c, out, h.len, fd);
		c->busy = false;
		c->unconfirmed = false;
		simd_update_interest(d, c);
		return;
	}
	/* Hold the reply until every consumer has unmapped (events.c sends
	 * it when the last acknowledgement comes, or is given up on). */
	c->held = malloc(h.len);
	if (!c->held) {
		/* Answer now rather than never, and truthfully. */
		if (status == 0) {
			h.status = CAEC_E_UNCONFIRMED;
			h.len = sizeof(h);
			memcpy(out, &h, sizeof(h));
		}
		send_packet(d, c, out, h.len, fd);
		c->busy = false;
		c->acks_pending = 0;
		simd_update_interest(d, c);
		return;
	}
	memcpy(c->held, out, h.len);
	c->held_len = h.len;
	c->held_fd = fd;
}

void simd_release_held(struct simd *d, struct simd_client *c)
{
	if (c->acks_pending)
		return;
	if (c->seal_wait) {
		/* Its reply is not written yet: the seal commits now. */
		simd_seal_resume(d, c);
		return;
	}
	if (!c->held)
		return;
	struct simd_hdr h;
	memcpy(&h, c->held, sizeof(h));
	/* The provider is told when a consumer left without confirming
	 * that it unmapped: its call did not achieve what it promises. */
	if (h.status == 0 && c->unconfirmed) {
		h.status = CAEC_E_UNCONFIRMED;
		h.len = sizeof(h);
		memcpy(c->held, &h, sizeof(h));
		c->held_len = sizeof(h);
		if (c->held_fd >= 0) {
			close(c->held_fd);
			c->held_fd = -1;
		}
	}
	if (!c->dead)
		send_packet(d, c, c->held, c->held_len, c->held_fd);
	else if (c->held_fd >= 0)
		close(c->held_fd);
	free(c->held);
	c->held = NULL;
	c->held_fd = -1;
	c->busy = false;
	c->unconfirmed = false;
	simd_update_interest(d, c);
}

/* ---- requests --------------------------------------------------------- */

static void serve_request(struct simd *d, struct simd_client *c)
{
	static unsigned char in[SIMD_MSG_MAX];
	static struct simd_reply rep;
	struct simd_hdr h;

	if (c->busy)
		return;
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
	c->req_hdr = h;
	c->busy = true;
	if (c->state == SIMD_C_REALM) {
		/* Only the measured process speaks for its realm: not a child
		 * that inherited the socket, nor a process that got it passed
		 * (the kernel stamps the sender).  A dead connector ends the
		 * realm even if someone else still holds the socket. */
		if (!process_alive(c)) {
			simd_log(d, "realm %016llx: its process exited, disconnecting",
				 (unsigned long long)c->realm_id);
			c->dead = true;
			return;
		}
		if (c->sender != c->pid) {
			simd_log(d, "realm %016llx: request from pid %d, not the realm's %d",
				 (unsigned long long)c->realm_id, (int)c->sender, (int)c->pid);
			simd_reply(d, c, CAEC_E_DENIED, NULL, 0, -1);
			return;
		}
	}
	if (h.status != 0 || h._pad != 0) {
		simd_reply(d, c, CAEC_E_PROTO, NULL, 0, -1);
		return;
	}
	d->current = c;
	simd_handle(d, c, h.op, in + sizeof(h), (size_t)n - sizeof(h), &rep);
	d->current = NULL;
	if (rep.deferred) {
		simd_update_interest(d, c);
		return;
	}
	simd_reply(d, c, rep.status, rep.body, rep.body_len, rep.fd);
}

/* ---- time limits ------------------------------------------------------ */

static void expire_hellos(struct simd *d)
{
	uint64_t now = simd_now_ms();
	while (d->new_head && d->new_head->accepted_ms + d->o.hello_timeout_ms <= now) {
		struct simd_client *c = d->new_head;
		simd_new_remove(d, c);
		if (!c->busy) {
			simd_log(d, "client %llu (pid %d): no HELLO in %u ms, disconnecting",
				 (unsigned long long)c->serial, (int)c->pid,
				 d->o.hello_timeout_ms);
			c->dead = true;
		}
	}
}

static int next_timeout_ms(const struct simd *d)
{
	int t = simd_next_ack_ms(d);
	if (d->new_head) {
		uint64_t now = simd_now_ms();
		uint64_t dl = d->new_head->accepted_ms + d->o.hello_timeout_ms;
		int h = dl > now ? (int)(dl - now) : 0;
		if (t < 0 || h < t)
			t = h;
	}
	return t;
}

/* Free one dead client: its acknowledgements, its realm, its sockets. */
static void client_reap(struct simd *d, struct simd_client *c)
{
	simd_drop_acks(d, c);
	simd_new_remove(d, c);
	if (c->state == SIMD_C_REALM) {
		simd_log(d, "realm %016llx left", (unsigned long long)c->realm_id);
		(void)csm_realm_remove(d->csm, c->realm_id);
		realm_unlink(d, c);
	}
	if (c->prev)
		c->prev->next = c->next;
	else
		d->clients = c->next;
	if (c->next)
		c->next->prev = c->prev;
	d->n_clients--;
	client_free(d, c);
}

/* Remove dead clients.  A teardown may kill others (an event they cannot
 * take): passes repeat until one frees nothing. */
static void reap(struct simd *d)
{
	bool freed = true;
	while (freed) {
		freed = false;
		for (struct simd_client *c = d->clients, *nx; c; c = nx) {
			nx = c->next;
			if (!c->dead)
				continue;
			if (c->job) {
				/* A worker still uses what the job points at:
				 * cancel it, free the client when it returns. */
				atomic_store(&c->job->cancel, true);
				continue;
			}
			/* Only c is freed: nx stays valid. */
			client_reap(d, c);
			freed = true;
		}
	}
}

static void on_client_event(struct simd *d, struct simd_epref *ref, uint32_t ev)
{
	struct simd_client *c = ref->c;
	if (c->dead)
		return;
	if (ref->kind == SIMD_EP_EV) {
		if (ev & EPOLLIN)
			simd_read_events(d, c);
		if (!c->dead && (ev & EPOLLOUT))
			simd_flush_events(d, c);
		if (!c->dead && (ev & (EPOLLHUP | EPOLLERR)) && !(ev & EPOLLIN))
			c->dead = true;
		return;
	}
	if (ev & EPOLLIN)
		serve_request(d, c);
	else if (ev & (EPOLLHUP | EPOLLERR))
		c->dead = true;
}

int simd_run(struct simd *d, volatile int *stop)
{
	struct epoll_event evs[128];

	while (!*stop) {
		int n = epoll_wait(d->epfd, evs, 128, next_timeout_ms(d));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("caec-simd: epoll_wait");
			return -1;
		}
		for (int i = 0; i < n; i++) {
			struct simd_epref *ref = evs[i].data.ptr;
			switch (ref->kind) {
			case SIMD_EP_LISTEN:
				accept_clients(d);
				break;
			case SIMD_EP_SIGNAL: {
				struct signalfd_siginfo si;
				while (read(d->sig_fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
					*stop = 1;
				break;
			}
			case SIMD_EP_JOBS:
				simd_jobs_reap(d);
				break;
			case SIMD_EP_REQ:
			case SIMD_EP_EV:
				on_client_event(d, ref, evs[i].events);
				break;
			}
		}
		expire_hellos(d);
		simd_expire_acks(d);
		reap(d);
	}
	return 0;
}

void simd_fini(struct simd *d)
{
	/* Workers first: they may hold pointers into regions and clients. */
	for (struct simd_client *c = d->clients; c; c = c->next)
		if (c->job)
			atomic_store(&c->job->cancel, true);
	simd_jobs_stop(d);
	for (struct simd_client *c = d->clients; c; c = c->next)
		c->job = NULL;
	/* Everyone is told to unmap; nobody waits for the answers. */
	if (d->csm)
		csm_fini(d->csm);
	d->csm = NULL;
	for (struct simd_client *c = d->clients, *nx; c; c = nx) {
		nx = c->next;
		client_free(d, c);
	}
	d->clients = NULL;
	free(d->acks);
	for (struct simd_uid *u = d->uids, *nx; u; u = nx) {
		nx = u->next;
		free(u);
	}
	d->uids = NULL;
	simd_listen_close(d);
	simd_cache_fini(d);
	if (d->spare_fd >= 0)
		close(d->spare_fd);
	if (d->sig_fd >= 0)
		close(d->sig_fd);
	if (d->epfd >= 0)
		close(d->epfd);
}
