/* SPDX-License-Identifier: Apache-2.0 */
/*
 * unix-socket, tcp-loopback (and the stream logic vsock reuses): messages
 * as a 16-byte header {seq, len} plus payload on a connected stream socket;
 * the receiver answers with the 8-byte sequence number when asked to ack.
 * The kernel copies twice (sender -> socket buffer -> receiver); in a
 * confidential VM these bytes would also cross hypervisor-visible virtio
 * buffers, so they would need encryption on top of this cost.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "comm.h"
#include "mode_socket.h"

static struct comm_sock *sk(struct comm_chan *ch) { return ch->priv; }

struct comm_sock *comm_sock_get(struct comm_chan *ch)
{
	if (!ch->priv) {
		struct comm_sock *s = calloc(1, sizeof(*s));
		if (!s)
			return NULL;
		s->fd[0] = s->fd[1] = -1;
		ch->priv = s;
	}
	return ch->priv;
}

int comm_sock_fail(struct comm_chan *ch, const char *what)
{
	int e = errno;
	snprintf(ch->why, sizeof(ch->why), "unavailable: %s (%s) at %s",
		 strerrorname_np(e) ? strerrorname_np(e) : "?", strerror(e),
		 what);
	return -e;
}

/*
 * Connect socket c (created by the caller) to the listener lfd at address a
 * in this process, accept: fd[COMM_TX] = accepted end, fd[COMM_RX] = c.
 * Consumes c.
 */
int comm_sock_pair_via(struct comm_chan *ch, int lfd, int c,
		       const struct sockaddr *a, socklen_t alen)
{
	struct comm_sock *s = sk(ch);
	if (connect(c, a, alen) < 0) {
		int rc = comm_sock_fail(ch, "connect()");
		close(c);
		return rc;
	}
	int acc = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (acc < 0) {
		int rc = comm_sock_fail(ch, "accept()");
		close(c);
		return rc;
	}
	s->fd[COMM_TX] = acc;
	s->fd[COMM_RX] = c;
	return 0;
}

static int unix_prepare(struct comm_chan *ch)
{
	struct comm_sock *s = comm_sock_get(ch);
	if (!s)
		return -ENOMEM;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, s->fd) < 0)
		return comm_sock_fail(ch, "socketpair()");
	return 0;
}

static int tcp_prepare(struct comm_chan *ch)
{
	struct comm_sock *s = comm_sock_get(ch);
	if (!s)
		return -ENOMEM;
	int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (l < 0)
		return comm_sock_fail(ch, "socket()");
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	int rc;
	if (bind(l, (struct sockaddr *)&a, sizeof(a)) < 0) {
		rc = comm_sock_fail(ch, "bind(127.0.0.1)");
		goto out;
	}
	if (listen(l, 1) < 0 ||
	    getsockname(l, (struct sockaddr *)&a, &alen) < 0) {
		rc = comm_sock_fail(ch, "listen()");
		goto out;
	}
	int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c < 0) {
		rc = comm_sock_fail(ch, "socket()");
		goto out;
	}
	rc = comm_sock_pair_via(ch, l, c, (struct sockaddr *)&a, sizeof(a));
	if (rc == 0) {
		int one = 1;
		setsockopt(s->fd[0], IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		setsockopt(s->fd[1], IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	}
out:
	close(l);
	return rc;
}

int comm_sock_open(struct comm_chan *ch)
{
	struct comm_sock *s = sk(ch);
	/* keep our end, drop the peer's */
	close(s->fd[!ch->role]);
	s->fd[!ch->role] = -1;
	s->buflen = ch->opts->max_msg;
	s->buf = comm_alloc(s->buflen);
	return s->buf ? 0 : -ENOMEM;
}

int comm_sock_configure(struct comm_chan *ch, size_t size)
{
	(void)ch;
	(void)size;
	return 0;
}

void *comm_sock_tx_reserve(struct comm_chan *ch, size_t len, uint64_t seq)
{
	(void)seq;
	return len <= ch->opts->max_msg ? sk(ch)->buf : NULL;
}

int comm_sock_tx_commit(struct comm_chan *ch, size_t len, uint64_t seq)
{
	struct comm_sock *s = sk(ch);
	uint64_t hdr[2] = { seq, len };
	struct iovec iov[2] = { { hdr, sizeof(hdr) }, { s->buf, len } };
	size_t left = sizeof(hdr) + len;
	int fd = s->fd[COMM_TX];
	/* one writev for the common case, then finish what is left */
	ssize_t w = writev(fd, iov, 2);
	if (w < 0)
		return -errno;
	left -= (size_t)w;
	if (left == 0)
		return 0;
	if ((size_t)w < sizeof(hdr)) {
		int rc = comm_write_all(fd, (char *)hdr + w, sizeof(hdr) - (size_t)w);
		if (rc < 0)
			return rc;
		return comm_write_all(fd, s->buf, len);
	}
	return comm_write_all(fd, s->buf + ((size_t)w - sizeof(hdr)), left);
}

int comm_sock_tx_wait(struct comm_chan *ch, uint64_t seq)
{
	uint64_t got;
	do {
		int rc = comm_read_all(sk(ch)->fd[COMM_TX], &got, sizeof(got));
		if (rc < 0)
			return rc;
		if (got > seq)
			return -EPROTO;
	} while (got != seq);
	return 0;
}

int comm_sock_rx_wait(struct comm_chan *ch, uint64_t seq)
{
	(void)seq;
	struct pollfd pf = { .fd = sk(ch)->fd[COMM_RX], .events = POLLIN };
	for (;;) {
		int n = poll(&pf, 1, 60000);
		if (n > 0)
			return 0;
		if (n == 0)
			return -ETIMEDOUT;
		if (errno != EINTR)
			return -errno;
	}
}

int comm_sock_rx_get(struct comm_chan *ch, uint64_t seq, const void **p,
		     size_t *len)
{
	struct comm_sock *s = sk(ch);
	uint64_t hdr[2];
	int rc = comm_read_all(s->fd[COMM_RX], hdr, sizeof(hdr));
	if (rc < 0)
		return rc;
	if (hdr[0] != seq || hdr[1] > s->buflen)
		return -EPROTO;
	rc = comm_read_all(s->fd[COMM_RX], s->buf, hdr[1]);
	if (rc < 0)
		return rc;
	*p = s->buf;
	*len = hdr[1];
	return 0;
}

int comm_sock_rx_put(struct comm_chan *ch, uint64_t seq, bool ack)
{
	if (!ack)
		return 0;
	return comm_write_all(sk(ch)->fd[COMM_RX], &seq, sizeof(seq));
}

void comm_sock_close(struct comm_chan *ch)
{
	struct comm_sock *s = sk(ch);
	if (!s)
		return;
	comm_free(s->buf, s->buflen);
	s->buf = NULL;
}

void comm_sock_unprepare(struct comm_chan *ch)
{
	struct comm_sock *s = sk(ch);
	if (!s)
		return;
	for (int i = 0; i < 2; i++)
		if (s->fd[i] >= 0)
			close(s->fd[i]);
	free(s);
	ch->priv = NULL;
}

#define SOCK_OPS(nm, wh, prep)                                        \
	{                                                             \
		.name = nm, .what = wh, .prepare = prep,              \
		.open = comm_sock_open,                               \
		.configure = comm_sock_configure,                     \
		.tx_reserve = comm_sock_tx_reserve,                   \
		.tx_commit = comm_sock_tx_commit,                     \
		.tx_wait = comm_sock_tx_wait,                         \
		.rx_wait = comm_sock_rx_wait,                         \
		.rx_get = comm_sock_rx_get,                           \
		.rx_put = comm_sock_rx_put, .close = comm_sock_close, \
		.unprepare = comm_sock_unprepare,                     \
	}

const struct comm_mode_ops comm_mode_unix =
	SOCK_OPS("unix-socket", "AF_UNIX stream socketpair, plaintext",
		 unix_prepare);
const struct comm_mode_ops comm_mode_tcp =
	SOCK_OPS("tcp-loopback", "TCP over 127.0.0.1, TCP_NODELAY, plaintext",
		 tcp_prepare);
