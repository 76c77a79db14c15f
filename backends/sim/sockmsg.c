/* SPDX-License-Identifier: Apache-2.0 */
#include "sockmsg.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* sendmsg() one whole packet: retried on EINTR, never SIGPIPE. */
static ssize_t send_all(int sock, const struct msghdr *msg, size_t len, int flags)
{
	for (;;) {
		ssize_t n = sendmsg(sock, msg, MSG_NOSIGNAL | flags);
		if (n >= 0)
			return n == (ssize_t)len ? n : -EMSGSIZE;
		if (errno != EINTR)
			return -errno;
	}
}

ssize_t sockmsg_send(int sock, const void *buf, size_t len, int fd, int flags)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (fd >= 0) {
		memset(&ctl, 0, sizeof(ctl));
		msg.msg_control = ctl.buf;
		msg.msg_controllen = sizeof(ctl.buf);
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	return send_all(sock, &msg, len, flags);
}

ssize_t sockmsg_send_creds(int sock, const void *buf, size_t len)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	union {
		char buf[CMSG_SPACE(sizeof(struct ucred))];
		struct cmsghdr align;
	} ctl;
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = ctl.buf,
		.msg_controllen = sizeof(ctl.buf),
	};
	struct ucred cr = { .pid = getpid(), .uid = getuid(), .gid = getgid() };

	memset(&ctl, 0, sizeof(ctl));
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_CREDENTIALS;
	c->cmsg_len = CMSG_LEN(sizeof(cr));
	memcpy(CMSG_DATA(c), &cr, sizeof(cr));
	return send_all(sock, &msg, len, 0);
}

/* Close every descriptor carried by msg's control data except *keep, and
 * pick up the sender's credentials. */
static void take_fds(struct msghdr *msg, int *keep, pid_t *pid)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct ucred))) {
			struct ucred cr;
			memcpy(&cr, CMSG_DATA(c), sizeof(cr));
			if (pid)
				*pid = cr.pid;
			continue;
		}
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < n; i++) {
			int f;
			memcpy(&f, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			if (keep && *keep < 0)
				*keep = f;
			else
				close(f);
		}
	}
}

ssize_t sockmsg_recv(int sock, void *buf, size_t cap, int *fd, int flags)
{
	return sockmsg_recv_pid(sock, buf, cap, fd, flags, NULL);
}

ssize_t sockmsg_recv_pid(int sock, void *buf, size_t cap, int *fd, int flags,
			 pid_t *pid)
{
	struct iovec iov = { .iov_base = buf, .iov_len = cap };
	/* Room for a few descriptors so that extras are received and closed
	 * rather than silently truncated (MSG_CTRUNC still handled). */
	union {
		char buf[CMSG_SPACE(8 * sizeof(int)) + CMSG_SPACE(sizeof(struct ucred))];
		struct cmsghdr align;
	} ctl;
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = ctl.buf,
		.msg_controllen = sizeof(ctl.buf),
	};
	ssize_t n;

	if (fd)
		*fd = -1;
	if (pid)
		*pid = 0;
	do {
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC | flags);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	take_fds(&msg, fd, pid);
	if (msg.msg_flags & MSG_TRUNC) {
		if (fd && *fd >= 0) {
			close(*fd);
			*fd = -1;
		}
		return -EMSGSIZE;
	}
	return n;
}
