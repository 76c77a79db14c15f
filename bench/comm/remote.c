/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The remote receiver: the receiver side of a run in a process that was not
 * fork()ed by the sender -- on the host, when the sender runs in a VM and
 * the mode measures guest-to-host vsock (vsock-host).  The sender's harness
 * sends the plan (sizes, repetitions, pipelined or not) over the control
 * connection; the receiver checks it and then runs exactly what a fork()ed
 * receiver runs (comm_rx_side()), so the figures are comparable with every
 * other mode's.  Both ends are the same program built from the same tree
 * on the same architecture: the plan is a fixed native-endian layout with
 * a magic number and version, and anything else is refused.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "comm.h"
#include "mode_socket.h"

#define PLAN_MAGIC 0x4e4c5043u /* "CPLN" */
#define PLAN_VERSION 1u
#define MAX_BYTES ((uint64_t)1 << 30) /* the largest --sizes accepts */
#define MAX_REPS 1000000u

struct wire_plan {
	uint32_t magic, version;
	uint64_t max_msg;
	uint32_t nsizes, reps_small;
	uint8_t quick, pipelined, pad[6];
	uint64_t sizes[COMM_REMOTE_MAX_SIZES];
};

int comm_remote_send_plan(int ctl, const struct comm_opts *opts,
			  const struct comm_plan *plan)
{
	struct wire_plan w = {
		.magic = PLAN_MAGIC, .version = PLAN_VERSION,
		.max_msg = opts->max_msg, .nsizes = (uint32_t)plan->nsizes,
		.reps_small = plan->reps_small, .quick = plan->quick,
		.pipelined = plan->pipelined,
	};
	if (plan->nsizes == 0 || plan->nsizes > COMM_REMOTE_MAX_SIZES)
		return -E2BIG;
	for (size_t i = 0; i < plan->nsizes; i++)
		w.sizes[i] = plan->sizes[i];
	return comm_write_all(ctl, &w, sizeof(w));
}

/* Read and check a plan; sizes[] receives the sizes.  0 or -EPROTO. */
static int read_plan(int ctl, struct comm_plan *plan, struct comm_opts *opts,
		     size_t *sizes, char *why, size_t whylen)
{
	struct wire_plan w;
	int rc = comm_read_all(ctl, &w, sizeof(w));
	if (rc < 0) {
		snprintf(why, whylen, "reading the plan: %s", strerror(-rc));
		return rc;
	}
	const char *bad = NULL;
	if (w.magic != PLAN_MAGIC || w.version != PLAN_VERSION)
		bad = "not a caec-bench-comm plan of this version";
	else if (w.nsizes == 0 || w.nsizes > COMM_REMOTE_MAX_SIZES)
		bad = "number of sizes out of range";
	else if (w.reps_small == 0 || w.reps_small > MAX_REPS)
		bad = "repetitions out of range";
	else if (w.max_msg == 0 || w.max_msg > MAX_BYTES)
		bad = "largest message out of range";
	for (uint32_t i = 0; !bad && i < w.nsizes; i++) {
		if (w.sizes[i] < 16 || w.sizes[i] > w.max_msg)
			bad = "a message size is out of range";
		sizes[i] = (size_t)w.sizes[i];
	}
	if (bad) {
		snprintf(why, whylen, "refused plan: %s", bad);
		return -EPROTO;
	}
	*plan = (struct comm_plan){
		.sizes = sizes, .nsizes = w.nsizes, .quick = w.quick != 0,
		.reps_small = w.reps_small, .pipelined = w.pipelined != 0,
		.rounds = 1,
	};
	*opts = (struct comm_opts){
		.max_msg = (size_t)w.max_msg, .cpu_tx = -1, .cpu_rx = -1,
	};
	return 0;
}

int comm_remote_serve_one(const struct comm_mode_ops *ops, int ctl, int data,
			  char *why, size_t whylen)
{
	size_t sizes[COMM_REMOTE_MAX_SIZES];
	struct comm_plan plan;
	struct comm_opts opts;
	int rc = read_plan(ctl, &plan, &opts, sizes, why, whylen);
	if (rc < 0)
		return rc;
	struct comm_chan ch = { .ops = ops, .opts = &opts, .role = COMM_RX,
				.ctl = ctl };
	struct comm_sock *s = comm_sock_get(&ch);
	if (!s)
		return -ENOMEM;
	s->fd[COMM_RX] = data; /* not ours to close: see below */
	rc = comm_rx_side(&ch, &plan);
	if (rc < 0)
		snprintf(why, whylen, "receiving: %s", strerror(-rc));
	s->fd[COMM_RX] = -1;
	ops->unprepare(&ch);
	return rc;
}

/* A stalled or vanished sender must not hold the receiver forever. */
static void set_timeouts(int fd)
{
	struct timeval tv = { 120, 0 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

int comm_remote_serve_vsock(const struct comm_mode_ops *ops, unsigned port)
{
	int l = socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (l < 0)
		return -errno;
	struct sockaddr_vm a = { .svm_family = AF_VSOCK,
				 .svm_cid = VMADDR_CID_ANY, .svm_port = port };
	if (bind(l, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(l, 4) < 0) {
		int e = errno;
		close(l);
		return -e;
	}
	printf("caec-bench-comm: receiver for %s listening on vsock port %u\n",
	       ops->name, port);
	fflush(stdout);
	for (unsigned n = 1;; n++) {
		struct sockaddr_vm pa, pb;
		socklen_t la = sizeof(pa), lb = sizeof(pb);
		char why[160] = "";
		int ctl = accept4(l, (struct sockaddr *)&pa, &la, SOCK_CLOEXEC);
		if (ctl < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			int e = errno;
			close(l);
			return -e;
		}
		set_timeouts(ctl);
		/* the data connection follows from the same peer */
		struct timeval tv = { 10, 0 };
		setsockopt(l, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		int data = accept4(l, (struct sockaddr *)&pb, &lb, SOCK_CLOEXEC);
		struct timeval inf = { 0, 0 };
		setsockopt(l, SOL_SOCKET, SO_RCVTIMEO, &inf, sizeof(inf));
		int rc;
		if (data < 0) {
			rc = -errno;
			snprintf(why, sizeof(why), "no data connection: %s",
				 strerror(errno));
		} else if (pb.svm_cid != pa.svm_cid) {
			rc = -EPROTO;
			snprintf(why, sizeof(why),
				 "data connection from CID %u, control from %u",
				 pb.svm_cid, pa.svm_cid);
		} else {
			set_timeouts(data);
			rc = comm_remote_serve_one(ops, ctl, data, why,
						   sizeof(why));
		}
		printf("run %u from CID %u: %s%s\n", n, pa.svm_cid,
		       rc < 0 ? "FAILED: " : "done", rc < 0 ? why : "");
		fflush(stdout);
		if (data >= 0)
			close(data);
		close(ctl);
	}
}
