/* SPDX-License-Identifier: Apache-2.0 */
/* caec-bench-ring's vsock baseline (vsock_ref.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <linux/vm_sockets.h>

#include "vsock_ref.h"

static int fail(char *why, size_t whylen, const char *at)
{
	int e = errno;
	snprintf(why, whylen, "unavailable: %s (%s) at %s",
		 strerrorname_np(e) ? strerrorname_np(e) : "?", strerror(e), at);
	return -e;
}

int vsock_ref_open(int fd[2], char *why, size_t whylen)
{
	int l = socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (l < 0)
		return fail(why, whylen, "socket(AF_VSOCK)");
	struct sockaddr_vm a = { .svm_family = AF_VSOCK,
				 .svm_cid = VMADDR_CID_ANY,
				 .svm_port = VMADDR_PORT_ANY };
	socklen_t alen = sizeof(a);
	int rc, c = -1;
	if (bind(l, (struct sockaddr *)&a, sizeof(a)) < 0) {
		rc = fail(why, whylen, "bind()");
		goto out;
	}
	if (listen(l, 1) < 0 || getsockname(l, (struct sockaddr *)&a, &alen) < 0) {
		rc = fail(why, whylen, "listen()");
		goto out;
	}
	c = socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c < 0) {
		rc = fail(why, whylen, "socket(AF_VSOCK)");
		goto out;
	}
	/* without a usable transport, fail in 2 s rather than hang */
	struct timeval tv = { 2, 0 };
	setsockopt(c, AF_VSOCK, SO_VM_SOCKETS_CONNECT_TIMEOUT, &tv, sizeof(tv));
	struct sockaddr_vm to = { .svm_family = AF_VSOCK,
				  .svm_cid = VMADDR_CID_LOCAL,
				  .svm_port = a.svm_port };
	if (connect(c, (struct sockaddr *)&to, sizeof(to)) < 0) {
		rc = fail(why, whylen, "connect() to VMADDR_CID_LOCAL");
		goto out;
	}
	int acc = accept4(l, NULL, NULL, SOCK_CLOEXEC);
	if (acc < 0) {
		rc = fail(why, whylen, "accept()");
		goto out;
	}
	fd[0] = c;
	fd[1] = acc;
	c = -1;
	rc = 0;
out:
	if (c >= 0)
		close(c);
	close(l);
	return rc;
}

static void io_die(const char *what)
{
	fprintf(stderr, "caec-bench-ring: vsock %s: %s\n", what, strerror(errno));
	exit(1);
}

static void write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n > 0) {
		ssize_t w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			io_die("write");
		c += w;
		n -= (size_t)w;
	}
}

static void read_all(int fd, void *p, size_t n)
{
	char *c = p;
	while (n > 0) {
		ssize_t r = read(fd, c, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			io_die("read");
		if (r == 0) {
			errno = EPIPE;
			io_die("read");
		}
		c += r;
		n -= (size_t)r;
	}
}

void vsock_ref_initiate(int fd, unsigned n, uint8_t *buf, uint32_t size)
{
	for (unsigned i = 0; i < n; i++) {
		write_all(fd, buf, size);
		read_all(fd, buf, size);
	}
}

void vsock_ref_respond(int fd, unsigned n, uint8_t *buf, uint32_t size)
{
	for (unsigned i = 0; i < n; i++) {
		read_all(fd, buf, size);
		write_all(fd, buf, size);
	}
}

void vsock_ref_stream_send(int fd, uint64_t n, uint8_t *buf, uint32_t size)
{
	for (uint64_t i = 0; i < n; i++)
		write_all(fd, buf, size);
	uint64_t ack;
	read_all(fd, &ack, sizeof(ack));
	if (ack != n) {
		errno = EPROTO;
		io_die("stream acknowledgement");
	}
}

void vsock_ref_stream_recv(int fd, uint64_t n, uint8_t *buf, uint32_t size)
{
	for (uint64_t i = 0; i < n; i++)
		read_all(fd, buf, size);
	write_all(fd, &n, sizeof(n));
}
