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
 * (peer_check.c, through demo_roles.c).  Then the provider and A talk over
 * a channel (demo_channel.c).
 *
 * Its command line follows every caec program's (tools/cli), written out
 * here so that the example needs nothing but libcaec: --help, --version,
 * an unknown option named with exit 2.
 */
#include <errno.h>
#include <getopt.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <caec/caec.h>
#include <caec/version.h>

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

static const char help[] =
	"usage: caec-demo [options]\n"
	"\n"
	"Three realms (this process and two it forks) on the platform libcaec\n"
	"finds (caec-simd at $CAEC_SIM_SOCKET or its default socket): each pair\n"
	"verifies the other's attestation token; the provider shares a region,\n"
	"read-write with consumer A and read-only with consumer B, reads A's reply\n"
	"in place, shows B's store refused, revokes B and destroys the region.\n"
	"Then the provider and A talk over a channel: a copy that wakes A from its\n"
	"doorbell, a zero-copy reply read in place, and a revocation that wakes A\n"
	"from its next wait.  scripts/sim-demo-run.sh runs it against a private\n"
	"caec-simd.\n"
	"\n"
	"options:\n"
	"  -h, --help     print this help and exit\n"
	"      --version  print the version and exit\n"
	"\n"
	"Environment: CAEC_SIM_SOCKET (the daemon's socket), CAEC_PLATFORM_KEY (a\n"
	"PEM platform key to pin).\n"
	"Exit status: 0 every step did what it shows; 1 a step failed; 2 usage\n"
	"error.\n";

/* --help, --version, or a usage error (exit 2) naming the option. */
static void parse_options(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 },
	};
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (c == 'h') {
			fputs(help, stdout);
			exit(0);
		}
		if (c == 'V') {
			printf("caec-demo %s\n", CAEC_VERSION_STRING);
			exit(0);
		}
		const char *word = argv[optind - 1];
		if (strncmp(word, "--", 2) != 0)
			fprintf(stderr, "caec-demo: unknown option '-%c'\n", optopt);
		else if (optopt)
			fprintf(stderr, "caec-demo: option '%.*s' takes no argument\n",
				(int)strcspn(word, "="), word);
		else
			fprintf(stderr, "caec-demo: unknown option '%s'\n", word);
		fprintf(stderr, "Try 'caec-demo --help'.\n");
		exit(2);
	}
	if (optind != argc) {
		fprintf(stderr, "caec-demo: unexpected operand '%s'\nTry 'caec-demo --help'.\n",
			argv[optind]);
		exit(2);
	}
}

int main(int argc, char **argv)
{
	parse_options(argc, argv);
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
