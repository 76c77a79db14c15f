/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Capturing SOCK_SEQPACKET relay for the scan test; see relay.h.  It runs
 * in its own process (not a thread), so the test process stays
 * single-threaded when the benchmark harness fork()s the realms; the
 * capture goes to a shared anonymous mapping the test reads afterwards.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "relay.h"

#define MAX_PAIRS 64
#define MAX_FDS 4
#define PKT_MAX 65536
#define CAP_MAX ((size_t)8 << 20)

/* Written by the relay process only; read by the test after it exited. */
struct capture {
	size_t len, packets, proxied;
	int overflow;
	unsigned char data[];
};

struct pair {
	int fd[2]; /* forward fd[0] <-> fd[1] */
};

struct relay {
	char dir[64];
	char path[100];
	char upstream[108];
	int lfd;
	int stop[2];
	pid_t pid;          /* the relay process, or -1 */
	struct pair pairs[MAX_PAIRS]; /* relay process only */
	size_t npairs;
	struct capture *cap; /* MAP_SHARED */
	unsigned char buf[PKT_MAX];
};

static int connect_upstream(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	int s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	if (connect(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
		int e = -errno;
		close(s);
		return e;
	}
	return s;
}

static void record(struct relay *r, const void *p, size_t n)
{
	struct capture *c = r->cap;
	if (c->len + n > CAP_MAX - sizeof(*c)) {
		c->overflow = 1;
		return;
	}
	memcpy(c->data + c->len, p, n);
	c->len += n;
	c->packets++;
}

static void add_pair(struct relay *r, int a, int b)
{
	if (r->npairs == MAX_PAIRS) {
		close(a);
		close(b);
		return;
	}
	r->pairs[r->npairs].fd[0] = a;
	r->pairs[r->npairs].fd[1] = b;
	r->npairs++;
}

static void drop_pair(struct relay *r, size_t i)
{
	close(r->pairs[i].fd[0]);
	close(r->pairs[i].fd[1]);
	r->pairs[i] = r->pairs[--r->npairs];
}

/* Forward one packet from `from` to `to`; false when the pair is done. */
static bool forward(struct relay *r, int from, int to)
{
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int) * MAX_FDS) +
		       CMSG_SPACE(sizeof(struct ucred))];
	} cin, cout;
	struct iovec iov = { r->buf, sizeof(r->buf) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cin.b,
			    .msg_controllen = sizeof(cin.b) };
	ssize_t n = recvmsg(from, &m, MSG_CMSG_CLOEXEC);
	if (n <= 0)
		return n < 0 && errno == EINTR;
	record(r, r->buf, (size_t)n);

	int in[MAX_FDS], out[MAX_FDS], nfd = 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		int k = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		for (int i = 0; i < k && nfd < MAX_FDS; i++)
			memcpy(&in[nfd++], CMSG_DATA(c) + i * sizeof(int),
			       sizeof(int));
	}
	for (int i = 0; i < nfd; i++) {
		struct stat st;
		int type = 0;
		socklen_t tl = sizeof(type);
		out[i] = in[i];
		if (fstat(in[i], &st) == 0 && S_ISSOCK(st.st_mode) &&
		    getsockopt(in[i], SOL_SOCKET, SO_TYPE, &type, &tl) == 0) {
			/* relay the passed socket too, so we see its bytes */
			int sp[2];
			if (socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sp) == 0) {
				out[i] = sp[0];
				add_pair(r, in[i], sp[1]);
				r->cap->proxied++;
			}
		}
	}
	struct iovec oiov = { r->buf, (size_t)n };
	struct msghdr om = { .msg_iov = &oiov, .msg_iovlen = 1 };
	/* Every packet carries the relay's own credentials: caec-simd
	 * requires HELLO to come from the process that connected to it,
	 * which is the relay. */
	struct ucred cr = { .pid = getpid(), .uid = getuid(), .gid = getgid() };
	memset(&cout, 0, sizeof(cout));
	om.msg_control = cout.b;
	om.msg_controllen = CMSG_SPACE(sizeof(cr)) +
			    (nfd > 0 ? CMSG_SPACE(sizeof(int) * (size_t)nfd) : 0);
	struct cmsghdr *c = CMSG_FIRSTHDR(&om);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_CREDENTIALS;
	c->cmsg_len = CMSG_LEN(sizeof(cr));
	memcpy(CMSG_DATA(c), &cr, sizeof(cr));
	if (nfd > 0) {
		c = CMSG_NXTHDR(&om, c);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfd);
		memcpy(CMSG_DATA(c), out, sizeof(int) * (size_t)nfd);
	}
	ssize_t w = sendmsg(to, &om, MSG_NOSIGNAL);
	for (int i = 0; i < nfd; i++)
		close(out[i]); /* our copy: passed-through fd or sp[0] */
	return w == n;
}

static void relay_main(struct relay *r)
{
	struct pollfd pf[2 + 2 * MAX_PAIRS];
	for (;;) {
		size_t n = 0;
		pf[n++] = (struct pollfd){ .fd = r->stop[0], .events = POLLIN };
		pf[n++] = (struct pollfd){ .fd = r->lfd, .events = POLLIN };
		for (size_t i = 0; i < r->npairs; i++)
			for (int k = 0; k < 2; k++)
				pf[n++] = (struct pollfd){
					.fd = r->pairs[i].fd[k], .events = POLLIN
				};
		if (poll(pf, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pf[0].revents)
			break;
		if (pf[1].revents & POLLIN) {
			int c = accept4(r->lfd, NULL, NULL, SOCK_CLOEXEC);
			if (c >= 0) {
				int d = connect_upstream(r->upstream);
				if (d >= 0)
					add_pair(r, c, d);
				else
					close(c);
			}
			continue; /* pair indices may have changed */
		}
		/* pf[2 + 2i + k] belongs to pairs[i].fd[k] as of this poll */
		size_t np = r->npairs;
		for (size_t i = np; i-- > 0;) {
			for (int k = 0; k < 2; k++) {
				short ev = pf[2 + 2 * i + (size_t)k].revents;
				if (!ev)
					continue;
				if (!forward(r, r->pairs[i].fd[k],
					     r->pairs[i].fd[!k])) {
					drop_pair(r, i);
					break;
				}
			}
		}
	}
}

int relay_start(struct relay **out, const char *upstream)
{
	struct relay *r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->lfd = r->stop[0] = r->stop[1] = -1;
	r->pid = -1;
	snprintf(r->upstream, sizeof(r->upstream), "%s", upstream);
	snprintf(r->dir, sizeof(r->dir), "/tmp/caec-relay-XXXXXX");
	if (!mkdtemp(r->dir)) {
		free(r);
		return -errno;
	}
	snprintf(r->path, sizeof(r->path), "%s/relay.sock", r->dir);
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", r->path);
	int rc;
	r->cap = mmap(NULL, CAP_MAX, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (r->cap == MAP_FAILED) {
		r->cap = NULL;
		rc = -errno;
		relay_free(r);
		return rc;
	}
	r->lfd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (r->lfd < 0 || bind(r->lfd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(r->lfd, 16) < 0 || pipe2(r->stop, O_CLOEXEC) < 0) {
		rc = -errno;
		relay_free(r);
		return rc;
	}
	fflush(NULL);
	r->pid = fork();
	if (r->pid < 0) {
		rc = -errno;
		relay_free(r);
		return rc;
	}
	if (r->pid == 0) {
		close(r->stop[1]);
		relay_main(r);
		_exit(0);
	}
	close(r->lfd); /* the relay process owns it now */
	r->lfd = -1;
	close(r->stop[0]);
	r->stop[0] = -1;
	*out = r;
	return 0;
}

const char *relay_path(const struct relay *r) { return r->path; }

void relay_stop(struct relay *r)
{
	if (!r || r->pid <= 0)
		return;
	char c = 1;
	if (write(r->stop[1], &c, 1) != 1)
		kill(r->pid, SIGKILL); /* our own relay process */
	while (waitpid(r->pid, NULL, 0) < 0 && errno == EINTR)
		;
	r->pid = -1;
}

const unsigned char *relay_bytes(const struct relay *r, size_t *len)
{
	*len = r->cap ? r->cap->len : 0;
	return r->cap ? r->cap->data : NULL;
}

size_t relay_packets(const struct relay *r)
{
	return r->cap ? r->cap->packets : 0;
}

size_t relay_sockets_proxied(const struct relay *r)
{
	return r->cap ? r->cap->proxied : 0;
}

bool relay_overflowed(const struct relay *r)
{
	return r->cap && r->cap->overflow;
}

void relay_free(struct relay *r)
{
	if (!r)
		return;
	relay_stop(r);
	if (r->lfd >= 0)
		close(r->lfd);
	if (r->stop[0] >= 0)
		close(r->stop[0]);
	if (r->stop[1] >= 0)
		close(r->stop[1]);
	unlink(r->path);
	rmdir(r->dir);
	if (r->cap)
		munmap(r->cap, CAP_MAX);
	free(r);
}
