/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vsock: AF_VSOCK stream to VMADDR_CID_LOCAL, i.e. the AF_VSOCK socket
 * layer over the vsock_loopback transport -- the socket API of the usual
 * guest<->host channel of confidential VMs without its virtqueues and
 * without the host, so a lower bound on what virtio-vsock costs.  Where the
 * kernel offers no usable transport (no vsock_loopback: most hosts; see
 * bench/vm/ for a guest that has one), socket()/bind()/listen()/connect()
 * fails and the mode is reported "unavailable: <errno name>" -- nothing is
 * substituted under this name.
 *
 * vsock-host: the same stream protocol from this VM to a receiver at
 * --vsock-peer CID:PORT, normally the host (CID 2) through the virtio
 * transport and the host's vhost-vsock: the real guest-to-host path.  The
 * receiver is `caec-bench-comm --serve-vsock PORT` on the host (remote.c);
 * bench/vm/run-in-guest.sh starts it where the host has /dev/vhost-vsock.
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

/* One AF_VSOCK stream connection to cid:port, failing within 2 s. */
static int vsock_connect(struct comm_chan *ch, unsigned cid, unsigned port,
			 const char *what)
{
	int c = socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c < 0)
		return comm_sock_fail(ch, "socket(AF_VSOCK)");
	struct timeval tv = { 2, 0 };
	setsockopt(c, AF_VSOCK, SO_VM_SOCKETS_CONNECT_TIMEOUT, &tv, sizeof(tv));
	struct sockaddr_vm to = { .svm_family = AF_VSOCK, .svm_cid = cid,
				  .svm_port = port };
	if (connect(c, (struct sockaddr *)&to, sizeof(to)) < 0) {
		char where[96];
		snprintf(where, sizeof(where), "connect() to CID %u port %u (%s)",
			 cid, port, what);
		int rc = comm_sock_fail(ch, where);
		close(c);
		return rc;
	}
	/* a receiver that stalls must not hold the sender forever */
	tv.tv_sec = 120;
	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	return c;
}

static int vsock_host_prepare(struct comm_chan *ch)
{
	const struct comm_opts *o = ch->opts;
	if (!comm_sock_get(ch))
		return -ENOMEM;
	if (o->vsock_peer_port == 0) {
		snprintf(ch->why, sizeof(ch->why),
			 "unavailable: no receiver given (--vsock-peer CID:PORT)");
		return -EDESTADDRREQ;
	}
	int ctl = vsock_connect(ch, o->vsock_peer_cid, o->vsock_peer_port,
				"control");
	if (ctl < 0)
		return ctl;
	int data = vsock_connect(ch, o->vsock_peer_cid, o->vsock_peer_port,
				 "data");
	if (data < 0) {
		close(ctl);
		return data;
	}
	struct comm_sock *s = ch->priv;
	s->fd[COMM_TX] = data;
	ch->ctl = ctl;
	snprintf(ch->note, sizeof(ch->note), "receiver at CID %u port %u: %s",
		 o->vsock_peer_cid, o->vsock_peer_port,
		 o->vsock_peer_cid == VMADDR_CID_HOST
			 ? "the host, through the virtio transport (vhost-vsock)"
		 : o->vsock_peer_cid == VMADDR_CID_LOCAL
			 ? "this machine over vsock_loopback: a check of this "
			   "code path, not virtio"
			 : "another VM");
	return 0;
}

const struct comm_mode_ops comm_mode_vsock_host = {
	.name = "vsock-host",
	.what = "AF_VSOCK stream to a receiver process at --vsock-peer CID:PORT "
		"(CID 2: this VM's host, virtio-vsock through vhost-vsock)",
	.prepare = vsock_host_prepare,
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
	.remote = true,
};

const struct comm_mode_ops comm_mode_vsock = {
	.name = "vsock",
	.what = "AF_VSOCK stream to VMADDR_CID_LOCAL: the AF_VSOCK socket layer "
		"over the vsock_loopback transport (a lower bound on "
		"virtio-vsock)",
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
