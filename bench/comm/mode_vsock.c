/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vsock: AF_VSOCK stream to VMADDR_CID_LOCAL (the vsock_loopback
 * transport), the usual guest<->host channel of confidential VMs.  Where
 * the kernel offers no usable transport, socket()/bind()/listen()/connect()
 * fails and the mode is reported "unavailable: <errno name>" -- nothing is
 * substituted under this name.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "comm.h"
#include "mode_socket.h"

static int vsock_prepare(struct comm_chan *ch)
{
	if (!comm_sock_get(ch))
		return -ENOMEM;
	int l = socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (l < 0)
		return comm_sock_fail(ch, "socket(AF_VSOCK)");
	struct sockaddr_vm a = { .svm_family = AF_VSOCK,
				 .svm_cid = VMADDR_CID_ANY,
				 .svm_port = VMADDR_PORT_ANY };
	socklen_t alen = sizeof(a);
	int rc, c = -1;
	if (bind(l, (struct sockaddr *)&a, sizeof(a)) < 0) {
		rc = comm_sock_fail(ch, "bind(VMADDR_CID_ANY)");
		goto out;
	}
	if (listen(l, 1) < 0) {
		rc = comm_sock_fail(ch, "listen()");
		goto out;
	}
	if (getsockname(l, (struct sockaddr *)&a, &alen) < 0) {
		rc = comm_sock_fail(ch, "getsockname()");
		goto out;
	}
	c = socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c < 0) {
		rc = comm_sock_fail(ch, "socket(AF_VSOCK)");
		goto out;
	}
	/* an unusable transport must not stall the run for long */
	struct timeval tv = { 2, 0 };
	setsockopt(c, AF_VSOCK, SO_VM_SOCKETS_CONNECT_TIMEOUT, &tv, sizeof(tv));
	struct sockaddr_vm to = { .svm_family = AF_VSOCK,
				  .svm_cid = VMADDR_CID_LOCAL,
				  .svm_port = a.svm_port };
	rc = comm_sock_pair_via(ch, l, c, (struct sockaddr *)&to, sizeof(to));
	if (rc < 0) {
		size_t n = strlen(ch->why);
		snprintf(ch->why + n, sizeof(ch->why) - n,
			 " of VMADDR_CID_LOCAL:%u", a.svm_port);
	}
out:
	close(l);
	return rc;
}

const struct comm_mode_ops comm_mode_vsock = {
	.name = "vsock",
	.what = "AF_VSOCK stream to VMADDR_CID_LOCAL (vsock_loopback)",
	.prepare = vsock_prepare,
	.open = comm_sock_open,
	.configure = comm_sock_configure,
	.tx_reserve = comm_sock_tx_reserve,
	.tx_commit = comm_sock_tx_commit,
	.tx_wait = comm_sock_tx_wait,
	.rx_wait = comm_sock_rx_wait,
	.rx_get = comm_sock_rx_get,
	.rx_put = comm_sock_rx_put,
	.close = comm_sock_close,
	.unprepare = comm_sock_unprepare,
};
