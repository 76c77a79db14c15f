/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers for the attack tests: child processes that report through their
 * exit status (cmocka's failure path must run in the test process only),
 * a pipe protocol between processes, and raw caec-simd protocol calls for
 * attackers that do not use libcaec.
 */
#ifndef CAEC_TEST_ADV_UTIL_H
#define CAEC_TEST_ADV_UTIL_H

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caec_test.h"
#include "child_check.h"
#include "proto.h"
#include "sockmsg.h"

/* Two pipes between a parent and a child. */
struct chan {
	int up[2];   /* child -> parent */
	int down[2]; /* parent -> child */
};

static inline void chan_open(struct chan *c)
{
	if (pipe(c->up) < 0 || pipe(c->down) < 0)
		abort();
}

static inline void chan_child_side(struct chan *c)
{
	close(c->up[0]);
	close(c->down[1]);
}

static inline void chan_parent_side(struct chan *c)
{
	close(c->up[1]);
	close(c->down[0]);
}

static inline void put(int fd, uint64_t v)
{
	if (write(fd, &v, sizeof(v)) != (ssize_t)sizeof(v))
		_exit(3);
}

static inline uint64_t get(int fd)
{
	uint64_t v;
	ssize_t n;
	do {
		n = read(fd, &v, sizeof(v));
	} while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(v))
		_exit(4);
	return v;
}

/* Exit status of a child (128 + signal if it was killed). */
static inline int wait_child(pid_t pid)
{
	int st;
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}

/* ---- raw protocol ----------------------------------------------------- */

static inline int raw_connect_to(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* One request; returns the reply status, 1 on EOF, 2 on timeout (2 s).
 * A descriptor in the reply goes to *rfd (or is closed). */
static inline int raw_request(int fd, uint16_t op, const void *body, size_t len,
			      void *rep, size_t cap, int *rfd)
{
	unsigned char buf[SIMD_MSG_MAX];
	struct simd_hdr h = {
		.magic = SIMD_MAGIC, .version = SIMD_PROTO_VERSION, .op = op,
		.seq = 7, .len = (uint32_t)(sizeof(h) + len),
	};
	memcpy(buf, &h, sizeof(h));
	if (len)
		memcpy(buf + sizeof(h), body, len);
	ssize_t sent = op == SIMD_OP_HELLO ? sockmsg_send_creds(fd, buf, h.len) :
					     sockmsg_send(fd, buf, h.len, -1, 0);
	if (sent != (ssize_t)h.len)
		return 1;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	if (poll(&p, 1, 10000) <= 0)
		return 2;
	int got = -1;
	ssize_t n = sockmsg_recv(fd, buf, sizeof(buf), &got, 0);
	if (rfd)
		*rfd = got;
	else if (got >= 0)
		close(got);
	if (n <= 0 || (size_t)n < sizeof(h))
		return 1;
	memcpy(&h, buf, sizeof(h));
	if (rep && h.status == 0 && (size_t)n - sizeof(h) <= cap)
		memcpy(rep, buf + sizeof(h), (size_t)n - sizeof(h));
	return h.status;
}

/* HELLO on a raw connection: 0 and the realm ID, or the status. */
static inline int raw_hello(int fd, uint64_t *id, int *evfd)
{
	struct simd_hello_req rq;
	struct simd_hello_rep rp;
	memset(&rq, 0, sizeof(rq));
	int e = -1;
	int st = raw_request(fd, SIMD_OP_HELLO, &rq, sizeof(rq), &rp, sizeof(rp), &e);
	if (st == 0) {
		*id = rp.realm_id;
		if (evfd)
			*evfd = e;
		else
			(void)e; /* kept open: closing it would disconnect us */
	} else if (e >= 0) {
		close(e);
	}
	return st;
}

/* ATTACH on a raw connection, keeping the memory descriptor (a hostile
 * consumer keeps what libcaec would close).  Returns the status. */
static inline int raw_attach(int fd, uint64_t grant, uint64_t base, uint64_t size,
			     int *memfd)
{
	struct simd_attach_req ar;
	struct simd_attach_rep arep;
	memset(&ar, 0, sizeof(ar));
	ar.grant_id = grant;
	ar.base = base;
	ar.size = size;
	return raw_request(fd, SIMD_OP_ATTACH, &ar, sizeof(ar), &arep, sizeof(arep), memfd);
}

#endif
