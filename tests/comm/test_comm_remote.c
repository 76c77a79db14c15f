/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The remote receiver of caec-bench-comm (bench/comm/remote.c), which the
 * vsock-host mode uses to measure guest-to-host virtio-vsock.  That path
 * needs a host with /dev/vhost-vsock; these tests run the same code --
 * the harness's remote branch, the plan on the wire, the receiver -- over
 * AF_UNIX socket pairs standing in for the two vsock connections:
 *  - a whole run completes and yields every size, with the receiver in a
 *    process the harness did not fork (as on the host);
 *  - the receiver refuses a plan that is not one (garbage), one whose
 *    message sizes exceed its own largest message, and a truncated one,
 *    with a reason, instead of allocating or looping on what it was told;
 *  - the sender refuses to send a plan with no sizes.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caec_test.h"
#include "comm.h"
#include "mode_socket.h"

/* The two connections prepare() would have made: [0] sender, [1] receiver */
static int ctl_fd[2], data_fd[2];

static int pairs_prepare(struct comm_chan *ch)
{
	struct comm_sock *s = comm_sock_get(ch);
	if (!s)
		return -ENOMEM;
	s->fd[COMM_TX] = data_fd[0]; /* closed by unprepare() */
	ch->ctl = ctl_fd[0];         /* closed by the harness */
	return 0;
}

static pid_t start_receiver(void)
{
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ctl_fd), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, data_fd), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char why[160] = "";
		close(ctl_fd[0]);
		close(data_fd[0]);
		int rc = comm_remote_serve_one(&comm_mode_vsock_host, ctl_fd[1],
					       data_fd[1], why, sizeof(why));
		if (rc < 0)
			fprintf(stderr, "receiver: %s\n", why);
		_exit(rc < 0 ? 1 : 0);
	}
	close(ctl_fd[1]);
	close(data_fd[1]);
	return pid;
}

static int receiver_status(pid_t pid)
{
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static void test_comm_remote_run_completes(void **s)
{
	(void)s;
	static const size_t sizes[] = { 64, 4096, 65536 };
	struct comm_mode_ops ops = comm_mode_vsock_host;
	ops.prepare = pairs_prepare;
	struct comm_opts opts = { .max_msg = 65536, .cpu_tx = -1, .cpu_rx = -1 };
	struct comm_plan plan = { .sizes = sizes, .nsizes = 3, .quick = true,
				  .reps_small = 20, .pipelined = true };
	struct comm_result res;
	pid_t pid = start_receiver();
	int rc = comm_run_mode(&ops, &opts, &plan, &res);
	if (rc < 0)
		kill(pid, SIGKILL);
	int st = receiver_status(pid);
	if (rc < 0)
		fail_msg("remote run: %s (%s)", strerror(-rc), res.why);
	assert_true(res.available);
	assert_int_equal(st, 0);
	assert_int_equal(res.npoints, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_true(res.points[i].ok);
		assert_int_equal(res.points[i].size, sizes[i]);
		assert_true(res.points[i].rtt_med > 0);
		assert_int_equal(res.points[i].pipe_msgs,
				 comm_plan_pipe_msgs(&plan, sizes[i]));
	}
	comm_result_fini(&res);
}

/* Feed the receiver's control connection `n` bytes of p, then hang up;
 * return serve_one's result and reason. */
static int serve_bytes(const void *p, size_t n, char *why, size_t whylen)
{
	int c[2], d[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, c), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, d), 0);
	assert_int_equal(comm_write_all(c[0], p, n), 0);
	close(c[0]);
	close(d[0]);
	int rc = comm_remote_serve_one(&comm_mode_vsock_host, c[1], d[1], why,
				       whylen);
	close(c[1]);
	close(d[1]);
	return rc;
}

static void test_comm_remote_refuses_garbage(void **s)
{
	(void)s;
	unsigned char junk[1024];
	char why[160] = "";
	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)(i * 37 + 11);
	assert_int_equal(serve_bytes(junk, sizeof(junk), why, sizeof(why)), -EPROTO);
	assert_non_null(strstr(why, "refused plan"));
	/* a truncated plan is an error too, not a run */
	why[0] = 0;
	assert_int_equal(serve_bytes(junk, 10, why, sizeof(why)), -EPIPE);
	assert_non_null(strstr(why, "reading the plan"));
}

/* A message size beyond the largest message the plan announces would make
 * the receiver read past its buffer: refused before anything is received. */
static void test_comm_remote_refuses_oversized_message(void **s)
{
	(void)s;
	static const size_t sizes[] = { 64, 1 << 20 };
	struct comm_opts opts = { .max_msg = 4096 };
	struct comm_plan plan = { .sizes = sizes, .nsizes = 2,
				  .reps_small = 10 };
	int c[2], d[2];
	char why[160] = "";
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, c), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, d), 0);
	assert_int_equal(comm_remote_send_plan(c[0], &opts, &plan), 0);
	/* no sender behind the plan: a receiver that accepted it fails fast */
	close(c[0]);
	close(d[0]);
	assert_int_equal(comm_remote_serve_one(&comm_mode_vsock_host, c[1], d[1],
					       why, sizeof(why)), -EPROTO);
	assert_non_null(strstr(why, "size"));
	close(c[1]);
	close(d[1]);
}

static void test_comm_remote_sender_refuses_empty_plan(void **s)
{
	(void)s;
	struct comm_opts opts = { .max_msg = 4096 };
	struct comm_plan plan = { .nsizes = 0, .reps_small = 10 };
	assert_int_equal(comm_remote_send_plan(-1, &opts, &plan), -E2BIG);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_comm_remote_run_completes),
		cmocka_unit_test(test_comm_remote_refuses_garbage),
		cmocka_unit_test(test_comm_remote_refuses_oversized_message),
		cmocka_unit_test(test_comm_remote_sender_refuses_empty_plan),
	};
	return cmocka_run_group_tests_name("comm-remote", tests, NULL, NULL);
}
