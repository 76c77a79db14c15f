/* SPDX-License-Identifier: Apache-2.0 */
/*
 * caec-demo on Linux: three realms share one confidential region (the
 * roles are demo_roles.c's; the same roles run in realms on the firmware,
 * firmware/realm/demo).
 *
 * Each realm is a process with its own libcaec context (so its own realm
 * ID): the provider in this one, consumers A and B in forked children.
 * Realm IDs, grant IDs and attestation tokens travel between them over
 * pipes; each pair verifies the other's token before sharing
 * (peer_check.c, through demo_roles.c).
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <caec/caec.h>

#include "demo_roles.h"

struct link {
	int to_child[2];
	int to_parent[2];
};

static void put_u64(int fd, uint64_t v)
{
	if (write(fd, &v, sizeof(v)) != (ssize_t)sizeof(v)) {
		perror("demo: pipe write");
		exit(1);
	}
}

static uint64_t get_u64(int fd)
{
	uint64_t v;
	ssize_t n;
	do {
		n = read(fd, &v, sizeof(v));
	} while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(v)) {
		fprintf(stderr, "demo: peer process went away\n");
		exit(1);
	}
	return v;
}

static sigjmp_buf *fault_jump;

static void on_fault(int sig)
{
	siglongjmp(*fault_jump, sig);
}

/* Try to store into a read-only mapping and observe the fault rather than
 * suffer it: a temporary SIGSEGV handler jumps back here.  (Not in a
 * forked child: region memory is not inherited across fork().) */
static int write_faults(volatile char *p)
{
	struct sigaction sa, old;
	sigjmp_buf jb;
	volatile int faulted = 0;

	sa.sa_handler = on_fault;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_NODEFER;
	if (sigaction(SIGSEGV, &sa, &old) < 0)
		return -1;
	fault_jump = &jb;
	if (sigsetjmp(jb, 1) == 0) {
		char v = p[0];
		p[0] = v; /* stores nothing new even if it were allowed */
	} else {
		faulted = 1;
	}
	fault_jump = NULL;
	sigaction(SIGSEGV, &old, NULL);
	return faulted;
}

/* The pipes to and from each consumer; the provider runs in main. */
static struct link links[3];
static int my_role;

static void send_to(int to, uint64_t v)
{
	put_u64(my_role == DEMO_PROVIDER ? links[to].to_child[1] : links[my_role].to_parent[1], v);
}

static uint64_t recv_from(int from)
{
	return get_u64(my_role == DEMO_PROVIDER ? links[from].to_parent[0]
						 : links[my_role].to_child[0]);
}

static const struct demo_platform linux_platform = {
	.send = send_to,
	.recv = recv_from,
	.write_faults = write_faults,
	.outsider_look = NULL,
};

static pid_t spawn(int role)
{
	struct link *l = &links[role];
	if (pipe(l->to_child) < 0 || pipe(l->to_parent) < 0) {
		perror("demo: pipe");
		exit(1);
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("demo: fork");
		exit(1);
	}
	if (pid == 0) {
		my_role = role;
		close(l->to_child[1]);
		close(l->to_parent[0]);
		exit(demo_consumer(&linux_platform, role));
	}
	close(l->to_child[0]);
	close(l->to_parent[1]);
	return pid;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	pid_t pa = spawn(DEMO_A);
	pid_t pb = spawn(DEMO_B);
	my_role = DEMO_PROVIDER;
	int rc = demo_provider(&linux_platform);
	if (rc != 0) {
		kill(pa, SIGKILL);
		kill(pb, SIGKILL);
	}
	int st_a, st_b;
	waitpid(pa, &st_a, 0);
	waitpid(pb, &st_b, 0);
	bool ok = rc == 0 && WIFEXITED(st_a) && !WEXITSTATUS(st_a) && WIFEXITED(st_b) &&
		  !WEXITSTATUS(st_b);
	printf("[%-8s] %s\n", "provider", ok ? "demo complete" : "demo FAILED");
	return ok ? 0 : 1;
}
